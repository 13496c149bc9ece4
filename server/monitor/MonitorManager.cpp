#include "monitor/MonitorManager.h"

#include "dispatch/AppSettings.h"
#include "dispatch/EventIngestor.h"
#include "storage/Storage.h"

#include <QLoggingCategory>
#include <QMetaEnum>
#include <QPointer>

#include <memory>

Q_LOGGING_CATEGORY(lcMonitorManager, "herald.monitor", QtInfoMsg)

namespace herald {

MonitorManager::MonitorManager(Storage &storage, const AppCatalog &apps, EventIngestor &ingestor, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_apps(apps)
    , m_ingestor(ingestor)
{
}

void MonitorManager::setSealer(Sealer seal, Sealer open)
{
    m_seal = std::move(seal);
    m_open = std::move(open);
}

QString MonitorManager::key(qint64 accountId, const QString &app)
{
    return QString::number(accountId) + QLatin1Char('/') + app;
}

void MonitorManager::login(qint64 accountId, const QString &account, const QString &app,
                           const QByteArray &credentials, LoginDone done)
{
    const AppSettings settings = m_apps.settings(app);
    // Credentials are kept only for apps whose monitor needs them, and only sealed.
    QByteArray stored;
    const QDateTime loggedInAt = QDateTime::currentDateTimeUtc(); // before the answer goes out
    if (!credentials.isEmpty() && !settings.monitor.isEmpty()) {
        if (!m_seal) {
            done(false, QStringLiteral("credentials cannot be stored: no key for sealing them"));
            return;
        }
        stored = m_seal(credentials, key(accountId, app).toUtf8());
        if (stored.isEmpty()) {
            done(false, QStringLiteral("sealing the credentials failed"));
            return;
        }
    }
    const QString k = key(accountId, app);
    const quint64 change = ++m_changes;
    m_latestChange.insert(k, change);
    m_lastChange.insert(k, change);
    m_storage.writeInBackground(
        [accountId, app, stored](Storage &storage) { return storage.upsertLogin(accountId, app, stored); },
        [this, guard = QPointer<MonitorManager>(this), k, change, accountId, account, app, credentials, loggedInAt,
         monitored = !settings.monitor.isEmpty(), done = std::move(done)](bool ok) {
            if (!guard)
                return; // the server is going down
            const bool latest = m_latestChange.value(k) == change;
            if (latest)
                m_latestChange.remove(k);
            if (!ok) {
                done(false, QStringLiteral("the login could not be stored"));
                return;
            }
            m_storage.forgetCachedTargets(); // the next event for the app must see the login
            if (monitored && latest && !m_suspended.contains(accountId)) {
                delete m_monitors.take(k); // a new login replaces the running monitor
                startMonitor(accountId, account, app, credentials, {}, loggedInAt);
            }
            done(true, QString());
        });
}

std::optional<MonitorStatus> MonitorManager::status(qint64 accountId, const QString &app) const
{
    const auto found = m_status.constFind(key(accountId, app));
    return found == m_status.cend() ? std::nullopt : std::optional<MonitorStatus>(*found);
}

void MonitorManager::setStatus(qint64 accountId, const QString &account, const QString &app, const QString &state,
                               const QString &reasonCode, const QString &reason)
{
    const QString k = key(accountId, app);
    if (state == QLatin1String("stopped")) {
        if (m_status.remove(k) > 0)
            Q_EMIT monitorStateChanged(accountId, app, state, QString());
        return;
    }
    MonitorStatus &status = m_status[k];
    if (status.state == state && status.reasonCode == reasonCode && status.reason == reason)
        return;
    status.accountId = accountId;
    status.account = account;
    status.app = app;
    status.monitor = m_apps.settings(app).monitor;
    if (status.state != state)
        status.since = QDateTime::currentDateTimeUtc();
    status.state = state;
    status.reasonCode = reasonCode;
    status.reason = reason;
    Q_EMIT monitorStateChanged(accountId, app, state, reason);
}

void MonitorManager::logout(qint64 accountId, const QString &app, std::function<void(bool ok)> done)
{
    const QString k = key(accountId, app);
    stopMonitor(k, accountId, app);
    const quint64 change = ++m_changes;
    m_latestChange.insert(k, change); // a login still being written must not start its monitor now
    m_lastChange.insert(k, change);
    m_storage.writeInBackground([accountId, app](Storage &storage) { return storage.deleteLogin(accountId, app); },
                                [this, guard = QPointer<MonitorManager>(this), k, change, done = std::move(done)](bool ok) {
                                    if (!guard)
                                        return;
                                    if (m_latestChange.value(k) == change)
                                        m_latestChange.remove(k);
                                    m_storage.forgetCachedTargets();
                                    done(ok);
                                });
}

void MonitorManager::stopMonitor(const QString &key, qint64 accountId, const QString &app)
{
    if (Monitor *monitor = m_monitors.take(key)) {
        monitor->stop();
        monitor->deleteLater();
    }
    setStatus(accountId, QString(), app, QStringLiteral("stopped"));
}

int MonitorManager::takeLeases(const QList<Storage::LoginKey> &held, const QList<LoginRecord> &claimed,
                               const QList<AccountRecord> &accounts, quint64 changesBefore)
{
    auto decidedSince = [&](const QString &k) { return m_lastChange.value(k) > changesBefore; };
    QSet<QString> heldKeys;
    for (const Storage::LoginKey &login : held)
        heldKeys.insert(key(login.accountId, login.app));
    // A running monitor whose login this run no longer holds: logged out or stored again on
    // another node, or taken by a node that took this one for stopped. Its new holder watches it.
    QList<QString> lost;
    for (auto it = m_monitors.cbegin(); it != m_monitors.cend(); ++it) {
        if (!heldKeys.contains(it.key()) && !decidedSince(it.key()))
            lost.append(it.key());
    }
    for (const QString &k : std::as_const(lost)) {
        const qsizetype slash = k.indexOf(QLatin1Char('/'));
        const qint64 accountId = k.left(slash).toLongLong();
        const QString app = k.mid(slash + 1);
        qCInfo(lcMonitorManager) << "account" << accountId << "app" << app
                                 << ": the login is no longer this server's to watch; its monitor stopped";
        stopMonitor(k, accountId, app);
    }
    QList<Resumable> logins = resumable(claimed, accounts);
    logins.removeIf([&](const Resumable &r) {
        return decidedSince(key(r.login.accountId, r.login.app)) || m_suspended.contains(r.login.accountId);
    });
    return resumeLogins(logins);
}

QList<Storage::LoginKey> MonitorManager::giveBack(const QList<Storage::LoginKey> &held, int count)
{
    QList<Storage::LoginKey> given;
    for (auto it = held.crbegin(); it != held.crend() && given.size() < count; ++it) {
        const QString k = key(it->accountId, it->app);
        if (m_latestChange.contains(k))
            continue; // its login or logout is still being written: it decides
        stopMonitor(k, it->accountId, it->app);
        given.append(*it);
    }
    return given;
}

void MonitorManager::resumeAll()
{
    const auto logins = m_storage.logins();
    const auto accounts = m_storage.accounts();
    if (!logins || !accounts) {
        qCCritical(lcMonitorManager).noquote() << "cannot read the logins to watch:" << m_storage.lastError();
        return;
    }
    resumeLogins(resumable(*logins, *accounts));
}

QList<MonitorManager::Resumable> MonitorManager::resumable(const QList<LoginRecord> &logins,
                                                           const QList<AccountRecord> &accounts) const
{
    const QString claimer = m_storage.claimer();
    QHash<qint64, const AccountRecord *> byId;
    for (const AccountRecord &account : accounts)
        byId.insert(account.id, &account);
    QList<Resumable> out;
    for (const LoginRecord &login : logins) {
        const AccountRecord *account = byId.value(login.accountId);
        if (account && !account->disabled && login.monitorClaimer == claimer)
            out.append({login, account->name});
    }
    return out;
}

int MonitorManager::resumeLogins(const QList<Resumable> &logins)
{
    int started = 0;
    for (const auto &[login, account] : logins) {
        const AppSettings settings = m_apps.settings(login.app);
        if (settings.monitor.isEmpty() || m_monitors.contains(key(login.accountId, login.app)))
            continue;
        QByteArray credentials;
        if (!login.credentials.isEmpty()) {
            credentials = m_open ? m_open(login.credentials, key(login.accountId, login.app).toUtf8()) : QByteArray();
            if (credentials.isEmpty()) {
                qCWarning(lcMonitorManager) << "cannot open stored credentials of account" << account << "app"
                                            << login.app << "; its monitor stays off";
                storeMonitorState(login.accountId, login.app, QStringLiteral("failed"),
                                  QStringLiteral("stored credentials cannot be decrypted"));
                setStatus(login.accountId, account, login.app, QStringLiteral("failing"),
                          QStringLiteral("credentials_unreadable"), QStringLiteral("stored credentials cannot be decrypted"));
                continue;
            }
        }
        startMonitor(login.accountId, account, login.app, credentials, login.checkpoint, login.loggedInAt);
        ++started;
    }
    return started;
}

void MonitorManager::storeMonitorState(qint64 accountId, const QString &app, const QString &state,
                                       const QString &error)
{
    m_storage.writeInBackground(
        [accountId, app, state, error](Storage &storage) {
            return storage.setLoginMonitorState(accountId, app, state, error);
        },
        [accountId, app](bool ok) {
            if (!ok)
                qCWarning(lcMonitorManager).noquote() << "cannot store the monitor state of account" << accountId
                                                      << "app" << app;
        });
}

void MonitorManager::suspendAccount(qint64 accountId)
{
    m_suspended.insert(accountId); // a login whose row is still being written starts nothing either
    const QString prefix = QString::number(accountId) + QLatin1Char('/');
    for (auto it = m_monitors.begin(); it != m_monitors.end();) {
        if (!it.key().startsWith(prefix)) {
            ++it;
            continue;
        }
        Monitor *monitor = it.value();
        it = m_monitors.erase(it);
        monitor->stop(); // reports Stopped, which is what storage shows while the account is disabled
        monitor->deleteLater();
        qCInfo(lcMonitorManager) << "account" << accountId << "disabled: its monitor stopped";
    }
}

void MonitorManager::resumeAccount(qint64 accountId)
{
    m_suspended.remove(accountId);
    struct Read
    {
        std::optional<QList<LoginRecord>> logins;
        std::optional<AccountRecord> account;
    };
    auto read = std::make_shared<Read>();
    const quint64 changesBefore = m_changes;
    m_storage.readInBackground(
        [accountId, read](Storage &storage) {
            read->logins = storage.loginsOfAccount(accountId);
            if (read->logins)
                read->account = storage.accountById(accountId);
        },
        [this, guard = QPointer<MonitorManager>(this), accountId, read, changesBefore] {
            if (!guard)
                return; // the server is going down
            if (m_suspended.contains(accountId)) {
                Q_EMIT resumeSettled(accountId, 0); // disabled again while the read ran
                return;
            }
            if (!read->logins || !read->account) {
                qCWarning(lcMonitorManager) << "cannot read the logins of account" << accountId << "to resume them";
                Q_EMIT resumeSettled(accountId, 0);
                return;
            }
            QList<Resumable> logins = resumable(*read->logins, {*read->account});
            // A login or logout asked for since the read began decides on its own (its write may
            // not have been visible to the read): this read is older than it.
            logins.removeIf([this, changesBefore](const Resumable &r) {
                return m_lastChange.value(key(r.login.accountId, r.login.app)) > changesBefore;
            });
            Q_EMIT resumeSettled(accountId, resumeLogins(logins));
        });
}

void MonitorManager::stopAll()
{
    for (Monitor *monitor : std::as_const(m_monitors)) {
        monitor->stop();
        delete monitor;
    }
    m_monitors.clear();
}

void MonitorManager::startMonitor(qint64 accountId, const QString &account, const QString &app,
                                  const QByteArray &credentials, const QByteArray &checkpoint,
                                  const QDateTime &watchFrom)
{
    const AppSettings settings = m_apps.settings(app);
    MonitorContext context{account, app, settings.privacy, credentials, checkpoint, watchFrom};
    setStatus(accountId, account, app, QStringLiteral("starting"));
    QString error;
    Monitor *monitor = m_factory ? m_factory(settings.monitor, context, &error) : nullptr;
    if (!monitor) {
        if (error.isEmpty())
            error = QStringLiteral("no monitor of kind %1 is available").arg(settings.monitor);
        qCWarning(lcMonitorManager).noquote() << "account" << account << "app" << app << ":" << error;
        storeMonitorState(accountId, app, QStringLiteral("failed"), error);
        setStatus(accountId, account, app, QStringLiteral("failing"), QStringLiteral("monitor_unavailable"), error);
        return;
    }
    monitor->setParent(this);
    const QString source = QStringLiteral("monitor:%1:%2").arg(settings.monitor, account);
    connect(monitor, &Monitor::newInformation, this, [this, source](const MonitorEvent &e) {
        m_ingestor.ingest(source, EventInput{e.account, e.app, e.eventId, e.sender, e.subject, e.body, e.receivedAt});
    });
    connect(monitor, &Monitor::checkpointChanged, this, [this, accountId, account, app](const QByteArray &checkpoint) {
        // Behind the events it follows: the events go through the background writer, whose units
        // commit in order, so a checkpoint is never durable before the mail it moves past.
        m_storage.writeInBackground(
            [accountId, app, checkpoint](Storage &storage) {
                return storage.setLoginCheckpoint(accountId, app, checkpoint);
            },
            [account, app](bool ok) {
                if (!ok)
                    qCWarning(lcMonitorManager).noquote() << "cannot store the checkpoint of account" << account
                                                          << "app" << app;
            });
    });
    connect(monitor, &Monitor::stateChanged, this, [this, accountId, account, app, monitor](Monitor::State state) {
        storeMonitorState(accountId, app,
                          QString::fromLatin1(QMetaEnum::fromType<Monitor::State>().valueToKey(int(state))).toLower(),
                          monitor->lastError());
        switch (state) {
        case Monitor::State::Idle:
        case Monitor::State::Connecting:
            // A reconnect after a failure stays "failing" until it watches again: the console
            // should not see a broken login flicker back to "starting" on every retry.
            if (!m_status.contains(key(accountId, app)) || m_status.value(key(accountId, app)).state != QLatin1String("failing"))
                setStatus(accountId, account, app, QStringLiteral("starting"));
            break;
        case Monitor::State::Watching:
            setStatus(accountId, account, app, QStringLiteral("watching"));
            break;
        case Monitor::State::Backoff:
            setStatus(accountId, account, app, QStringLiteral("failing"), QStringLiteral("connection_failed"), monitor->lastError());
            break;
        case Monitor::State::Failed:
            // authenticationFailed follows at once when that was the cause and refines the code.
            setStatus(accountId, account, app, QStringLiteral("failing"), QStringLiteral("monitor_failed"), monitor->lastError());
            break;
        case Monitor::State::Stopped:
            // Whoever stopped it (logout, a disabled account, shutdown), it is no longer watching;
            // a stale monitor going away after its replacement started must not erase that one.
            if (!m_monitors.contains(key(accountId, app)) || m_monitors.value(key(accountId, app)) == monitor)
                setStatus(accountId, account, app, QStringLiteral("stopped"));
            break;
        }
    });
    connect(monitor, &Monitor::authenticationFailed, this, [this, accountId, app, account](const QString &reason) {
        qCWarning(lcMonitorManager).noquote() << "monitor of account" << account << "app" << app
                                              << "stopped: authentication failed";
        storeMonitorState(accountId, app, QStringLiteral("failed"), reason);
        setStatus(accountId, account, app, QStringLiteral("failing"), QStringLiteral("auth_failed"), reason);
    });
    m_monitors.insert(key(accountId, app), monitor);
    monitor->start();
}

} // namespace herald
