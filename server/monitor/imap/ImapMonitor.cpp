#include "ImapMonitor.h"

#include "ImapConnection.h"
#include "ImapFetchParser.h"
#include "ImapLog.h"
#include "ImapResponseParser.h"
#include "ImapSyntax.h"
#include "MimeText.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

namespace herald {

namespace {
// RFC 5530 codes after which trying the same password again later can succeed.
bool isTransientLoginFailure(const QByteArray &code)
{
    return code == "UNAVAILABLE" || code == "SERVERBUG" || code == "INUSE" || code == "LIMIT";
}
} // namespace

ImapMonitor::ImapMonitor(const ImapSettings &settings, const MonitorContext &context, QObject *parent)
    : Monitor(parent), m_settings(settings), m_context(context),
      m_backoff(settings.backoffMinMs, settings.backoffMaxSecs * 1000)
{
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &ImapMonitor::connectNow);
    m_idleRefreshTimer.setSingleShot(true);
    // Re-IDLE also before the dead-connection watchdog would fire: a server that sends no
    // keepalives (unlike Dovecot's "* OK Still here") then still answers often enough, while a
    // really dead peer stays silent and is caught, because only received bytes feed the watchdog.
    m_idleRefreshTimer.setInterval(qMin(settings.idleRefreshSecs * 1000, settings.deadAfterSecs * 2000 / 3));
    connect(&m_idleRefreshTimer, &QTimer::timeout, this, &ImapMonitor::leaveIdle);
    m_pollTimer.setInterval(settings.pollSecs * 1000);
    connect(&m_pollTimer, &QTimer::timeout, this, [this] {
        for (qsizetype i = 1; i < m_settings.mailboxes.size(); ++i)
            m_dirty.insert(m_settings.mailboxes.at(i));
        if (m_step == Step::Idling)
            leaveIdle();
    });
}

ImapMonitor::~ImapMonitor() = default;

void ImapMonitor::start()
{
    if (m_state == State::Connecting || m_state == State::Watching || m_state == State::Backoff)
        return;
    m_lastError.clear();
    m_backoff.reset();
    bool checkpointOk = true;
    m_checkpoint = ImapCheckpoint::fromBytes(m_context.checkpoint, &checkpointOk);
    if (!checkpointOk)
        qCWarning(lcImapLifecycle) << "account" << m_context.account
                                   << "has an unreadable IMAP checkpoint; starting from the current mailbox state";
    m_sinceLogin = checkpointOk && m_checkpoint.isEmpty() && m_context.watchFrom.isValid();
    if (!prepareCredentials())
        return;
    qCInfo(lcImapLifecycle) << "IMAP monitor starting for account" << m_context.account;
    connectNow();
}

void ImapMonitor::stop()
{
    m_reconnectTimer.stop();
    m_idleRefreshTimer.stop();
    m_pollTimer.stop();
    if (m_connection) {
        m_connection->close(true);
        m_connection->deleteLater();
        m_connection = nullptr;
    }
    m_step = Step::None;
    m_batch.clear();
    if (m_state != State::Stopped) {
        qCInfo(lcImapLifecycle) << "IMAP monitor stopped for account" << m_context.account;
        setState(State::Stopped);
    }
}

bool ImapMonitor::prepareCredentials()
{
    QString username = m_context.account;
    QString password;
    if (!m_context.credentials.isEmpty()) {
        const QJsonDocument doc = QJsonDocument::fromJson(m_context.credentials);
        if (!doc.isObject()) {
            failPermanently(QStringLiteral("the stored mail credentials are not a JSON object"), true);
            return false;
        }
        const QJsonObject o = doc.object();
        if (o.value(QLatin1String("username")).isString() && !o.value(QLatin1String("username")).toString().isEmpty())
            username = o.value(QLatin1String("username")).toString();
        password = o.value(QLatin1String("password")).toString();
    }
    if (!password.isEmpty()) {
        m_loginUser = username.toUtf8();
        m_loginPassword = password.toUtf8();
    } else if (m_settings.hasMasterUser()) {
        // Dovecot master user: "<user><separator><master>" with the master's password.
        m_loginUser = (username + m_settings.masterSeparator + m_settings.masterUser).toUtf8();
        m_loginPassword = m_settings.masterPassword.toUtf8();
    } else {
        failPermanently(QStringLiteral("no mail password was given at login and no master user is configured"), true);
        return false;
    }
    return true;
}

void ImapMonitor::connectNow()
{
    if (m_connection) {
        m_connection->close();
        m_connection->deleteLater();
    }
    m_connection = new ImapConnection(m_settings, this);
    connect(m_connection, &ImapConnection::ready, this, &ImapMonitor::onReady);
    connect(m_connection, &ImapConnection::response, this, &ImapMonitor::onResponse);
    connect(m_connection, &ImapConnection::lost, this, &ImapMonitor::onLost);
    m_step = Step::None;
    m_pendingTag.clear();
    m_capabilities.clear();
    m_notifyActive = false;
    m_watchedOnce = false;
    m_selected.clear();
    m_queue.clear();
    m_batch.clear();
    m_bodyQueue.clear();
    ++m_connectionAttempts;
    setState(State::Connecting);
    qCDebug(lcImapProtocol) << "connecting for account" << m_context.account << "attempt" << m_connectionAttempts;
    m_connection->open();
}

void ImapMonitor::onReady(bool preauthenticated, const QByteArray &capabilities)
{
    for (const QByteArray &c : capabilities.toUpper().split(' '))
        if (!c.isEmpty())
            m_capabilities.insert(c);
    if (preauthenticated) {
        send(Step::Capability, "CAPABILITY");
        return;
    }
    login();
}

void ImapMonitor::login()
{
    if (m_capabilities.contains("LOGINDISABLED")) {
        failPermanently(QStringLiteral("the server does not allow LOGIN on this connection; use tls or starttls"),
                        false);
        return;
    }
    QByteArray command = "LOGIN ";
    auto argument = [this](const QByteArray &value) -> QByteArray {
        if (!ImapSyntax::needsLiteral(value))
            return ImapSyntax::quoted(value);
        // Non-ASCII passwords travel as non-synchronising literals when the server allows them.
        if (m_capabilities.contains("LITERAL+") || m_capabilities.contains("LITERAL-"))
            return "{" + QByteArray::number(value.size()) + "+}\r\n" + value;
        return QByteArray();
    };
    const QByteArray user = argument(m_loginUser);
    const QByteArray password = argument(m_loginPassword);
    if (user.isEmpty() || password.isEmpty() || m_loginUser.contains('\0') || m_loginPassword.contains('\0')) {
        failPermanently(QStringLiteral("the user name or password contains characters this server cannot accept"),
                        true);
        return;
    }
    ++m_loginAttempts;
    send(Step::Login, command + user + ' ' + password, true);
}

void ImapMonitor::send(Step step, const QByteArray &command, bool sensitive)
{
    m_step = step;
    m_pendingTag = m_connection->send(command, sensitive);
}

void ImapMonitor::onResponse(const ImapResponse &response)
{
    switch (response.kind) {
    case ImapResponse::Kind::Untagged:
        handleUntagged(response);
        return;
    case ImapResponse::Kind::Tagged:
        // A server may also end IDLE on its own, so Idling accepts its tag even before our DONE.
        if (response.tag != m_pendingTag || m_step == Step::None) {
            protocolError(QStringLiteral("unexpected tagged response"));
            return;
        }
        handleTagged(response);
        return;
    case ImapResponse::Kind::Continuation:
        if (m_step != Step::IdleStarting) {
            protocolError(QStringLiteral("unexpected continuation request"));
            return;
        }
        m_step = Step::Idling;
        m_doneSent = false;
        m_idleRefreshTimer.start();
        if (!m_watchedOnce) {
            m_watchedOnce = true;
            m_backoff.reset();
            if (pollsOtherMailboxes())
                m_pollTimer.start();
            qCInfo(lcImapLifecycle) << "account" << m_context.account << "is watched" << "(mailboxes:"
                                    << m_settings.mailboxes.size() << (m_notifyActive ? "with NOTIFY)" : ")");
        }
        setState(State::Watching);
        // New mail that arrived while we were between IDLEs.
        if (!m_dirty.isEmpty())
            leaveIdle();
        return;
    }
}

void ImapMonitor::handleUntagged(const ImapResponse &response)
{
    if (response.status == "BYE") {
        protocolError(QStringLiteral("server ended the session (BYE)"));
        return;
    }
    if (response.status == "OK" && m_step == Step::Examine) {
        if (response.code == "UIDVALIDITY" || response.code == "UIDNEXT") {
            bool ok = false;
            const qint64 n = response.codeArgs.toLongLong(&ok);
            if (!ok || n <= 0 || n > 0xFFFFFFFFLL) {
                protocolError(QStringLiteral("invalid %1").arg(QString::fromLatin1(response.code)));
                return;
            }
            (response.code == "UIDVALIDITY" ? m_uidValidity : m_uidNext) = quint32(n);
        }
        return;
    }
    if (response.name == "CAPABILITY") {
        m_capabilities.clear();
        for (const ImapValue &v : response.values)
            m_capabilities.insert(v.bytes().toUpper());
        return;
    }
    if (response.name == "EXISTS") {
        if (m_step == Step::Examine) {
            m_exists = response.number;
        } else if (!m_selected.isEmpty()) {
            m_dirty.insert(m_selected);
            if (m_step == Step::Idling)
                leaveIdle();
        }
        return;
    }
    if (response.name == "STATUS") {
        // NOTIFY's report of a change in another mailbox: "* STATUS <mailbox> (UIDNEXT n ...)".
        if (response.values.isEmpty())
            return;
        const QByteArray mailbox = response.values.first().bytes();
        for (const QString &watched : std::as_const(m_settings.mailboxes)) {
            if (ImapSyntax::encodeMailboxName(watched) == mailbox
                || (watched == QLatin1String("INBOX") && mailbox.toUpper() == "INBOX")) {
                m_dirty.insert(watched);
                if (m_step == Step::Idling)
                    leaveIdle();
            }
        }
        return;
    }
    if (response.name == "SEARCH" && m_step == Step::SearchSinceLogin) {
        for (const ImapValue &v : response.values) {
            const qint64 uid = v.number(); // atoms only; anything else is not a UID
            if (uid > 0 && uid <= 0xFFFFFFFFLL && (m_searchLowest == 0 || quint32(uid) < m_searchLowest))
                m_searchLowest = quint32(uid);
        }
        return;
    }
    if (response.name == "FETCH") {
        handleFetch(response);
        return;
    }
    // Everything else (FLAGS, RECENT, EXPUNGE, "* OK Still here", extensions) tells us nothing new.
}

void ImapMonitor::handleFetch(const ImapResponse &response)
{
    if (m_step == Step::FetchHighest) {
        ImapMessage m;
        ImapFetchParser::Result r;
        QString error;
        if (!ImapFetchParser::parse(response, &m, &r, &error)) {
            protocolError(error);
            return;
        }
        m_highestUid = qMax(m_highestUid, r.uid);
        return;
    }
    if (m_step == Step::FetchArrivals) {
        ImapMessage m;
        ImapFetchParser::Result r;
        QString error;
        if (!ImapFetchParser::parse(response, &m, &r, &error)) {
            protocolError(error);
            return;
        }
        m_highestUid = qMax(m_highestUid, r.uid);
        const QDateTime loginSecond = m_context.watchFrom.addMSecs(-m_context.watchFrom.time().msec());
        // The server's arrival time, never the message's own Date header (the sender writes that).
        if (r.uid > 0 && r.internalDate.isValid() && r.internalDate >= loginSecond
            && (m_firstArrival == 0 || r.uid < m_firstArrival))
            m_firstArrival = r.uid;
        return;
    }
    if (m_step == Step::FetchNew) {
        ImapMessage m;
        ImapFetchParser::Result r;
        QString error;
        if (!ImapFetchParser::parse(response, &m, &r, &error)) {
            protocolError(error);
            return;
        }
        const quint32 last = m_checkpoint.mark(m_current).lastUid;
        // "n:*" also matches the highest message when it is below n: skip what we already reported.
        if (!r.hasEnvelope || r.uid <= last)
            return;
        m_batch.insert(r.uid, m);
        if (m_batch.size() > MaxBatch) {
            m_batch.erase(std::prev(m_batch.end()));
            m_batchTruncated = true;
        }
        return;
    }
    if (m_step == Step::FetchBody) {
        ImapMessage scratch;
        ImapFetchParser::Result r;
        QString error;
        if (!ImapFetchParser::parse(response, &scratch, &r, &error)) {
            protocolError(error);
            return;
        }
        auto it = m_batch.find(r.uid);
        if (r.hasBody && it != m_batch.end())
            it->excerpt = MimeText::excerpt(r.body, it->textEncoding, it->textCharset, m_settings.excerptBytes);
        return;
    }
    // Unsolicited FETCH (flag changes by another client): nothing to report.
}

void ImapMonitor::handleTagged(const ImapResponse &response)
{
    const Step step = m_step;
    m_step = Step::None;
    m_pendingTag.clear();
    const bool ok = response.status == "OK";
    switch (step) {
    case Step::Login:
        if (ok) {
            afterLogin(response);
        } else if (isTransientLoginFailure(response.code)) {
            protocolError(QStringLiteral("login temporarily impossible (%1)").arg(QString::fromLatin1(response.code)));
        } else {
            const QString code = response.code.isEmpty() ? QString::fromLatin1(response.status)
                                                         : QString::fromLatin1(response.code);
            failPermanently(QStringLiteral("the mail server rejected the login (%1)").arg(code), true);
        }
        return;
    case Step::Capability:
        if (!ok) {
            protocolError(QStringLiteral("CAPABILITY failed"));
            return;
        }
        afterCapabilities();
        return;
    case Step::Notify:
        m_notifyActive = ok;
        if (!ok)
            qCInfo(lcImapProtocol) << "account" << m_context.account
                                   << ": the server refused NOTIFY; polling the other mailboxes instead";
        beginSync(m_settings.mailboxes);
        return;
    case Step::Examine:
        if (!ok) {
            if (m_current == primaryMailbox()) {
                protocolError(QStringLiteral("cannot open the mailbox being watched"));
                return;
            }
            qCWarning(lcImapProtocol) << "account" << m_context.account << ": a watched mailbox cannot be opened";
            m_selected.clear();
            syncNext();
            return;
        }
        m_selected = m_current;
        reconcile();
        return;
    case Step::FetchHighest:
        if (!ok) {
            protocolError(QStringLiteral("FETCH failed"));
            return;
        }
        setBaseline(m_highestUid);
        syncNext();
        return;
    case Step::SearchSinceLogin:
        m_highestUid = 0;
        m_firstArrival = 0;
        if (!ok || m_searchLowest == 0) {
            // Nothing from around the login (or no SEARCH): the mailbox as it is now is the baseline.
            baselineAtLogin();
            return;
        }
        send(Step::FetchArrivals, "UID FETCH " + QByteArray::number(m_searchLowest) + ":* (UID INTERNALDATE)");
        return;
    case Step::FetchArrivals:
        if (!ok) {
            protocolError(QStringLiteral("UID FETCH failed"));
            return;
        }
        baselineAtLogin();
        return;
    case Step::FetchNew:
        if (!ok) {
            protocolError(QStringLiteral("UID FETCH failed"));
            return;
        }
        m_bodyQueue.clear();
        if (m_context.privacy == QLatin1String("full") && m_settings.excerptBytes > 0) {
            for (auto it = m_batch.cbegin(); it != m_batch.cend(); ++it)
                if (!it->textSection.isEmpty())
                    m_bodyQueue.append(it.key());
        }
        fetchNextBody();
        return;
    case Step::FetchBody:
        // NO here means the message vanished meanwhile: report it without an excerpt.
        fetchNextBody();
        return;
    case Step::IdleStarting:
        protocolError(QStringLiteral("server refused IDLE"));
        return;
    case Step::Idling:
        m_idleRefreshTimer.stop();
        if (!ok) {
            protocolError(QStringLiteral("IDLE ended with an error"));
            return;
        }
        if (!m_dirty.isEmpty()) {
            QStringList changed;
            for (const QString &m : std::as_const(m_settings.mailboxes))
                if (m_dirty.contains(m))
                    changed.append(m);
            m_dirty.clear();
            beginSync(changed);
        } else {
            enterIdle();
        }
        return;
    case Step::None:
        protocolError(QStringLiteral("unexpected tagged response"));
        return;
    }
}

void ImapMonitor::afterLogin(const ImapResponse &response)
{
    qCInfo(lcImapProtocol) << "account" << m_context.account << "logged in";
    // Capabilities change after login; Dovecot lists the new ones in the OK, others need asking.
    if (response.code == "CAPABILITY") {
        m_capabilities.clear();
        for (const QByteArray &c : response.codeArgs.toUpper().split(' '))
            if (!c.isEmpty())
                m_capabilities.insert(c);
        afterCapabilities();
        return;
    }
    send(Step::Capability, "CAPABILITY");
}

void ImapMonitor::afterCapabilities()
{
    if (!m_capabilities.contains("IDLE")) {
        failPermanently(QStringLiteral("the mail server does not support IDLE"), false);
        return;
    }
    if (m_settings.mailboxes.size() > 1 && m_capabilities.contains("NOTIFY")) {
        // The selected mailbox reports through EXISTS; the others through STATUS (RFC 5465).
        QByteArray others;
        for (qsizetype i = 1; i < m_settings.mailboxes.size(); ++i)
            others += (others.isEmpty() ? "" : " ") + ImapSyntax::mailboxArgument(m_settings.mailboxes.at(i));
        send(Step::Notify, "NOTIFY SET (selected (MessageNew MessageExpunge)) (mailboxes (" + others
                               + ") (MessageNew MessageExpunge))");
        return;
    }
    beginSync(m_settings.mailboxes);
}

void ImapMonitor::beginSync(const QStringList &mailboxes)
{
    // The primary mailbox goes last so that it is the one left selected for IDLE.
    m_queue.clear();
    for (const QString &m : mailboxes)
        if (m != primaryMailbox())
            m_queue.append(m);
    m_queue.append(primaryMailbox());
    syncNext();
}

void ImapMonitor::syncNext()
{
    if (m_queue.isEmpty()) {
        if (!m_dirty.isEmpty()) {
            QStringList changed;
            for (const QString &m : std::as_const(m_settings.mailboxes))
                if (m_dirty.contains(m))
                    changed.append(m);
            m_dirty.clear();
            beginSync(changed);
            return;
        }
        enterIdle();
        return;
    }
    m_current = m_queue.takeFirst();
    m_dirty.remove(m_current);
    m_uidValidity = 0;
    m_uidNext = 0;
    m_exists = -1;
    m_selected.clear();
    send(Step::Examine, "EXAMINE " + ImapSyntax::mailboxArgument(m_current));
}

void ImapMonitor::setBaseline(quint32 lastUid)
{
    m_checkpoint.setMark(m_current, ImapCheckpoint::Mark{m_uidValidity, lastUid});
    qCDebug(lcImapProtocol) << "account" << m_context.account << "baseline UID" << lastUid;
    emit checkpointChanged(m_checkpoint.toBytes());
}

void ImapMonitor::searchSinceLogin()
{
    // SINCE compares dates only, in the server's time zone: a day earlier than the login's UTC date
    // is sure to include every message of that moment; INTERNALDATE then decides to the second.
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const QDate day = m_context.watchFrom.toUTC().date().addDays(-1);
    m_searchLowest = 0;
    send(Step::SearchSinceLogin, "UID SEARCH SINCE " + QByteArray::number(day.day()) + '-' + months[day.month() - 1]
                                     + '-' + QByteArray::number(day.year()));
}

void ImapMonitor::baselineAtLogin()
{
    // Everything before the first message received at or after the login is old; from it on,
    // fetchNew() reports as usual. INTERNALDATE has whole seconds, so the login's second counts
    // as after it: a message from just before the login may be reported, none after it is missed.
    if (m_firstArrival > 0) {
        setBaseline(m_firstArrival - 1);
        fetchNew();
    } else if (m_uidNext > 0) {
        setBaseline(m_uidNext - 1);
        syncNext();
    } else {
        m_highestUid = 0;
        send(Step::FetchHighest, "FETCH * (UID)");
    }
}

void ImapMonitor::reconcile()
{
    if (m_uidValidity == 0) {
        protocolError(QStringLiteral("the server did not report UIDVALIDITY"));
        return;
    }
    const bool known = m_checkpoint.contains(m_current);
    const ImapCheckpoint::Mark mark = m_checkpoint.mark(m_current);
    if (!known || mark.uidValidity != m_uidValidity) {
        if (known)
            qCWarning(lcImapProtocol) << "account" << m_context.account
                                      << ": UIDVALIDITY changed; not reporting the mailbox's existing mail";
        // A new baseline: what is already there is not news, except what arrived after the login.
        if (!known && m_sinceLogin && m_exists != 0) {
            searchSinceLogin();
            return;
        }
        if (m_uidNext > 0) {
            setBaseline(m_uidNext - 1);
        } else if (m_exists == 0) {
            setBaseline(0);
        } else {
            m_highestUid = 0;
            send(Step::FetchHighest, "FETCH * (UID)");
            return;
        }
        syncNext();
        return;
    }
    if (m_uidNext > 0 && m_uidNext <= mark.lastUid) {
        qCWarning(lcImapProtocol) << "account" << m_context.account
                                  << ": UIDNEXT went backwards without a UIDVALIDITY change; rebasing";
        setBaseline(m_uidNext - 1);
        syncNext();
        return;
    }
    if (m_uidNext > 0 && m_uidNext == mark.lastUid + 1) {
        syncNext();
        return;
    }
    fetchNew();
}

void ImapMonitor::fetchNew()
{
    m_batch.clear();
    m_batchTruncated = false;
    const quint32 from = m_checkpoint.mark(m_current).lastUid + 1;
    QByteArray items = "UID ENVELOPE INTERNALDATE";
    if (m_context.privacy == QLatin1String("full") && m_settings.excerptBytes > 0)
        items += " BODYSTRUCTURE";
    send(Step::FetchNew, "UID FETCH " + QByteArray::number(from) + ":* (" + items + ")");
}

void ImapMonitor::fetchNextBody()
{
    if (m_bodyQueue.isEmpty()) {
        finishBatch();
        return;
    }
    const quint32 uid = m_bodyQueue.takeFirst();
    const ImapMessage &m = m_batch[uid];
    // PEEK: reading the excerpt must not mark the message \Seen.
    send(Step::FetchBody, "UID FETCH " + QByteArray::number(uid) + " (BODY.PEEK[" + m.textSection + "]<0."
                              + QByteArray::number(m_settings.excerptBytes) + ">)");
}

void ImapMonitor::finishBatch()
{
    const QString mailbox = m_current;
    ImapCheckpoint::Mark mark = m_checkpoint.mark(mailbox);
    const QMap<quint32, ImapMessage> batch = std::exchange(m_batch, {});
    const bool truncated = m_batchTruncated;
    const bool full = m_context.privacy == QLatin1String("full");
    QPointer<ImapMonitor> self(this);
    for (auto it = batch.cbegin(); it != batch.cend(); ++it) {
        const ImapMessage &m = it.value();
        MonitorEvent event;
        event.account = m_context.account;
        event.app = m_context.app;
        event.eventId = eventIdFor(mailbox, mark.uidValidity, m.uid);
        event.sender = m.senderName.isEmpty() ? m.senderAddress : m.senderName;
        event.senderAddress = m.senderAddress;
        event.subject = m.subject;
        if (full)
            event.body = m.excerpt;
        event.receivedAt = m.date.isValid() ? m.date.toUTC() : QDateTime::currentDateTimeUtc();
        qCDebug(lcImapProtocol) << "account" << m_context.account << "new message UID" << m.uid;
        emit newInformation(event);
        if (!self || m_state == State::Stopped || m_state == State::Failed)
            return; // the receiver stopped us; the checkpoint stays before the unreported rest
        mark.lastUid = m.uid;
        m_checkpoint.setMark(mailbox, mark);
    }
    // UIDs below UIDNEXT that FETCH did not return were expunged before we saw them.
    if (!truncated && m_uidNext > 0 && m_uidNext - 1 > mark.lastUid)
        mark.lastUid = m_uidNext - 1;
    if (mark.lastUid != m_checkpoint.mark(mailbox).lastUid || !batch.isEmpty()) {
        m_checkpoint.setMark(mailbox, mark);
        emit checkpointChanged(m_checkpoint.toBytes());
        if (!self || m_state == State::Stopped || m_state == State::Failed)
            return;
    }
    if (truncated) {
        fetchNew();
        return;
    }
    syncNext();
}

void ImapMonitor::enterIdle()
{
    if (m_selected != primaryMailbox()) {
        beginSync({});
        return;
    }
    m_doneSent = false;
    ++m_idleCommands;
    send(Step::IdleStarting, "IDLE");
}

void ImapMonitor::leaveIdle()
{
    if (m_step != Step::Idling || m_doneSent || !m_connection)
        return;
    m_doneSent = true;
    m_idleRefreshTimer.stop();
    m_connection->sendRaw("DONE\r\n");
}

QString ImapMonitor::eventIdFor(const QString &mailbox, quint32 uidValidity, quint32 uid) const
{
    const QString id = QStringLiteral("%1.%2").arg(uidValidity).arg(uid);
    return mailbox == QLatin1String("INBOX") ? id : mailbox + QLatin1Char('/') + id;
}

void ImapMonitor::protocolError(const QString &reason)
{
    if (m_connection)
        m_connection->close();
    onLost(reason);
}

void ImapMonitor::onLost(const QString &reason)
{
    if (m_state == State::Stopped || m_state == State::Failed)
        return;
    m_lastError = reason;
    m_idleRefreshTimer.stop();
    m_pollTimer.stop();
    m_step = Step::None;
    m_batch.clear();
    m_bodyQueue.clear();
    const int delay = m_backoff.nextDelayMs();
    qCWarning(lcImapProtocol) << "account" << m_context.account << "lost its IMAP connection:" << reason
                              << "- retrying in" << delay << "ms";
    setState(State::Backoff);
    m_reconnectTimer.start(delay);
}

void ImapMonitor::failPermanently(const QString &reason, bool authentication)
{
    m_lastError = reason;
    m_reconnectTimer.stop();
    m_idleRefreshTimer.stop();
    m_pollTimer.stop();
    m_step = Step::None;
    if (m_connection) {
        m_connection->close();
        m_connection->deleteLater();
        m_connection = nullptr;
    }
    qCWarning(lcImapLifecycle) << "IMAP monitor for account" << m_context.account << "failed:" << reason;
    setState(State::Failed);
    if (authentication)
        emit authenticationFailed(reason);
}

void ImapMonitor::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

} // namespace herald
