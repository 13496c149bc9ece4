// The IMAP monitor against a real Dovecot started for the test (tests/support/DovecotServer).
#include "DovecotServer.h"
#include "monitor/imap/ImapMonitor.h"
#include "monitor/imap/ImapMonitorFactory.h"
#include "monitor/imap/ImapSettings.h"

#include <QFile>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace herald;
using herald::test::DovecotServer;

namespace {
constexpr int Patience = 20000; // ms: generous for a loaded 2-core CI machine; never a timing assertion

// One monitor plus the spies a test looks at.
struct Watched
{
    std::unique_ptr<ImapMonitor> monitor;
    std::unique_ptr<QSignalSpy> events;
    std::unique_ptr<QSignalSpy> checkpoints;
    std::unique_ptr<QSignalSpy> authFailures;

    MonitorEvent event(int i) const { return events->at(i).at(0).value<MonitorEvent>(); }
    QByteArray lastCheckpoint() const
    {
        return checkpoints->isEmpty() ? QByteArray() : checkpoints->last().at(0).toByteArray();
    }
};
} // namespace

class tst_ImapMonitorDovecot : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DovecotServer> m_dovecot;

    QHash<QString, QString> sectionFor(const DovecotServer &server) const
    {
        return {{QStringLiteral("host"), server.host()},
                {QStringLiteral("port"), QString::number(server.imapPort())},
                {QStringLiteral("security"), QStringLiteral("plain")},
                {QStringLiteral("backoff_min_ms"), QStringLiteral("100")},
                {QStringLiteral("backoff_max_secs"), QStringLiteral("1")}};
    }

    static ImapSettings settingsFrom(const QHash<QString, QString> &section)
    {
        QString error;
        auto s = ImapSettings::fromSection(section, QStringLiteral("imap"), QStringLiteral("test.conf"), &error);
        if (!s)
            qFatal("bad test settings: %s", qPrintable(error));
        return *s;
    }

    static Watched watch(const ImapSettings &settings, const QString &account, const QByteArray &credentials,
                         const QByteArray &checkpoint = QByteArray(), const QString &privacy = QStringLiteral("summary"))
    {
        MonitorContext context;
        context.account = account;
        context.app = QStringLiteral("mail");
        context.privacy = privacy;
        context.credentials = credentials;
        context.checkpoint = checkpoint;
        Watched w;
        w.monitor = std::make_unique<ImapMonitor>(settings, context);
        w.events = std::make_unique<QSignalSpy>(w.monitor.get(), &Monitor::newInformation);
        w.checkpoints = std::make_unique<QSignalSpy>(w.monitor.get(), &Monitor::checkpointChanged);
        w.authFailures = std::make_unique<QSignalSpy>(w.monitor.get(), &Monitor::authenticationFailed);
        return w;
    }

    static QByteArray password(const QString &user, const QString &pw)
    {
        return QStringLiteral(R"({"username":"%1","password":"%2"})").arg(user, pw).toUtf8();
    }

    bool deliver(const QString &user, const QString &fromName, const QString &subject,
                 const QString &mailbox = QString(), DovecotServer *server = nullptr)
    {
        QString error;
        DovecotServer *s = server ? server : m_dovecot.get();
        const bool ok = s->deliver(user, DovecotServer::makeMessage(fromName, QStringLiteral("sender@example.org"),
                                                                    subject, QStringLiteral("Body of ") + subject),
                                   &error, mailbox);
        if (!ok)
            qWarning() << error;
        return ok;
    }

private slots:
    void initTestCase()
    {
        // No skip: CI installs Dovecot, and a monitor that was never run against a server is untested.
        QVERIFY2(!DovecotServer::dovecotBinary().isEmpty(),
                 "dovecot not found: install dovecot-imapd (scripts/deps.sh) to run the IMAP integration tests");
        m_dovecot = std::make_unique<DovecotServer>();
        for (const char *user : {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"})
            m_dovecot->addUser(QString::fromLatin1(user), QStringLiteral("pw-") + QString::fromLatin1(user));
        m_dovecot->setMasterUser(QStringLiteral("herald"), QStringLiteral("master-secret"));
        QString error;
        QVERIFY2(m_dovecot->start(&error), qPrintable(error));
    }

    void cleanupTestCase() { m_dovecot.reset(); }

    void factoryCreatesAnIdleMonitor()
    {
        ImapMonitorFactory factory(settingsFrom(sectionFor(*m_dovecot)));
        MonitorContext context;
        context.account = QStringLiteral("alice");
        std::unique_ptr<Monitor> monitor(factory.create(context));
        QVERIFY(qobject_cast<ImapMonitor *>(monitor.get()));
        QCOMPARE(monitor->state(), Monitor::State::Idle);
    }

    void newMailBecomesExactlyOneEvent()
    {
        // Mail that is already there when monitoring starts is not news.
        QVERIFY(deliver(QStringLiteral("alice"), QStringLiteral("Old"), QStringLiteral("old mail")));
        Watched w = watch(settingsFrom(sectionFor(*m_dovecot)), QStringLiteral("alice"),
                          password(QStringLiteral("alice"), QStringLiteral("pw-alice")));
        w.monitor->start();
        QTRY_COMPARE_WITH_TIMEOUT(w.monitor->state(), Monitor::State::Watching, Patience);
        QVERIFY(!w.lastCheckpoint().isEmpty()); // the baseline is stored at once

        QVERIFY(deliver(QStringLiteral("alice"), QStringLiteral("Éric Dupont"), QStringLiteral("Réunion à 10h")));
        QTRY_COMPARE_WITH_TIMEOUT(w.events->size(), 1, Patience);
        const MonitorEvent e = w.event(0);
        QCOMPARE(e.account, QStringLiteral("alice"));
        QCOMPARE(e.app, QStringLiteral("mail"));
        QCOMPARE(e.sender, QStringLiteral("Éric Dupont"));
        QCOMPARE(e.senderAddress, QStringLiteral("sender@example.org"));
        QCOMPARE(e.subject, QStringLiteral("Réunion à 10h"));
        QVERIFY(e.body.isEmpty()); // privacy "summary": the body is never fetched
        QCOMPARE(e.receivedAt, QDateTime(QDate(2026, 11, 28), QTime(3, 0), Qt::UTC));
        const QStringList id = e.eventId.split(QLatin1Char('.'));
        QCOMPARE(id.size(), 2);
        QVERIFY(id.at(0).toUInt() > 0);
        QCOMPARE(id.at(1), QStringLiteral("2")); // UID 1 was the old mail

        // A second mail is the second event: the first is not reported again.
        QVERIFY(deliver(QStringLiteral("alice"), QStringLiteral("Zoë"), QStringLiteral("second")));
        QTRY_COMPARE_WITH_TIMEOUT(w.events->size(), 2, Patience);
        QCOMPARE(w.event(1).subject, QStringLiteral("second"));
        QVERIFY(w.event(1).eventId != e.eventId);
        QCOMPARE(w.monitor->connectionAttempts(), 1);
    }

    void restartResumesFromTheCheckpoint()
    {
        const ImapSettings settings = settingsFrom(sectionFor(*m_dovecot));
        const QByteArray creds = password(QStringLiteral("bob"), QStringLiteral("pw-bob"));
        QByteArray checkpoint;
        {
            Watched first = watch(settings, QStringLiteral("bob"), creds);
            first.monitor->start();
            QTRY_COMPARE_WITH_TIMEOUT(first.monitor->state(), Monitor::State::Watching, Patience);
            checkpoint = first.lastCheckpoint();
            first.monitor->stop();
            QCOMPARE(first.monitor->state(), Monitor::State::Stopped);
        }
        // Arrives while nobody watches.
        QVERIFY(deliver(QStringLiteral("bob"), QStringLiteral("A"), QStringLiteral("while away 1")));
        QVERIFY(deliver(QStringLiteral("bob"), QStringLiteral("B"), QStringLiteral("while away 2")));

        QByteArray after;
        {
            Watched second = watch(settings, QStringLiteral("bob"), creds, checkpoint);
            second.monitor->start();
            QTRY_COMPARE_WITH_TIMEOUT(second.events->size(), 2, Patience);
            QCOMPARE(second.event(0).subject, QStringLiteral("while away 1"));
            QCOMPARE(second.event(1).subject, QStringLiteral("while away 2"));
            QTRY_COMPARE_WITH_TIMEOUT(second.monitor->state(), Monitor::State::Watching, Patience);
            after = second.lastCheckpoint();
            QVERIFY(after != checkpoint);
            second.monitor->stop();
        }
        {
            // Restarting again from the new checkpoint reports nothing old: the first event it sees
            // is the next new mail.
            Watched third = watch(settings, QStringLiteral("bob"), creds, after);
            third.monitor->start();
            QTRY_COMPARE_WITH_TIMEOUT(third.monitor->state(), Monitor::State::Watching, Patience);
            QVERIFY(deliver(QStringLiteral("bob"), QStringLiteral("C"), QStringLiteral("after restart")));
            QTRY_COMPARE_WITH_TIMEOUT(third.events->size(), 1, Patience);
            QCOMPARE(third.event(0).subject, QStringLiteral("after restart"));
        }
    }

    void changedUidValidityDoesNotFlood()
    {
        const ImapSettings settings = settingsFrom(sectionFor(*m_dovecot));
        QVERIFY(deliver(QStringLiteral("carol"), QStringLiteral("X"), QStringLiteral("existing")));
        // A checkpoint from a mailbox that has since been recreated (other UIDVALIDITY).
        const QByteArray stale = R"({"v":1,"m":{"INBOX":[12345,0]}})";
        Watched w = watch(settings, QStringLiteral("carol"), password(QStringLiteral("carol"), QStringLiteral("pw-carol")),
                          stale);
        w.monitor->start();
        QTRY_COMPARE_WITH_TIMEOUT(w.monitor->state(), Monitor::State::Watching, Patience);
        QVERIFY(!w.lastCheckpoint().contains("12345"));
        QVERIFY(deliver(QStringLiteral("carol"), QStringLiteral("Y"), QStringLiteral("new")));
        QTRY_COMPARE_WITH_TIMEOUT(w.events->size(), 1, Patience);
        QCOMPARE(w.event(0).subject, QStringLiteral("new"));
    }

    void droppedConnectionIsRecovered()
    {
        Watched w = watch(settingsFrom(sectionFor(*m_dovecot)), QStringLiteral("dave"),
                          password(QStringLiteral("dave"), QStringLiteral("pw-dave")));
        w.monitor->start();
        QTRY_COMPARE_WITH_TIMEOUT(w.monitor->state(), Monitor::State::Watching, Patience);
        QString error;
        QVERIFY2(m_dovecot->kick(QStringLiteral("dave"), &error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(w.monitor->connectionAttempts(), 2, Patience);
        QTRY_COMPARE_WITH_TIMEOUT(w.monitor->state(), Monitor::State::Watching, Patience);
        QVERIFY(deliver(QStringLiteral("dave"), QStringLiteral("K"), QStringLiteral("after kick")));
        QTRY_COMPARE_WITH_TIMEOUT(w.events->size(), 1, Patience);
        QCOMPARE(w.event(0).subject, QStringLiteral("after kick"));
    }

    void serverRestartIsRecovered()
    {
        Watched w = watch(settingsFrom(sectionFor(*m_dovecot)), QStringLiteral("dave"),
                          password(QStringLiteral("dave"), QStringLiteral("pw-dave")));
        w.monitor->start();
        QTRY_COMPARE_WITH_TIMEOUT(w.monitor->state(), Monitor::State::Watching, Patience);
        m_dovecot->stop();
        QTRY_VERIFY_WITH_TIMEOUT(w.monitor->state() != Monitor::State::Watching, Patience);
        // While the server is down the monitor keeps trying (dovecot-lda needs the running server,
        // so mail cannot arrive meanwhile; mail missed while disconnected is the checkpoint test's job).
        QTRY_VERIFY_WITH_TIMEOUT(w.monitor->connectionAttempts() >= 3, Patience);
        QString error;
        QVERIFY2(m_dovecot->start(&error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(w.monitor->state(), Monitor::State::Watching, Patience);
        QVERIFY(deliver(QStringLiteral("dave"), QStringLiteral("D"), QStringLiteral("after restart")));
        QTRY_COMPARE_WITH_TIMEOUT(w.events->size(), 1, Patience);
        QCOMPARE(w.event(0).subject, QStringLiteral("after restart"));
    }

    void stopStopsMonitoring()
    {
        const ImapSettings settings = settingsFrom(sectionFor(*m_dovecot));
        const QByteArray creds = password(QStringLiteral("erin"), QStringLiteral("pw-erin"));
        Watched stopped = watch(settings, QStringLiteral("erin"), creds);
        stopped.monitor->start();
        QTRY_COMPARE_WITH_TIMEOUT(stopped.monitor->state(), Monitor::State::Watching, Patience);
        // A second monitor on the same mailbox is the control: when it has seen the mail, the
        // stopped one would have too.
        Watched control = watch(settings, QStringLiteral("erin"), creds, stopped.lastCheckpoint());
        control.monitor->start();
        QTRY_COMPARE_WITH_TIMEOUT(control.monitor->state(), Monitor::State::Watching, Patience);

        const int loggedOutBefore = m_dovecot->countInLog(QStringLiteral("imap(erin)"));
        stopped.monitor->stop();
        QCOMPARE(stopped.monitor->state(), Monitor::State::Stopped);
        // The session really ends on the server.
        QTRY_VERIFY_WITH_TIMEOUT(m_dovecot->countInLog(QStringLiteral("imap(erin)")) > loggedOutBefore, Patience);

        QVERIFY(deliver(QStringLiteral("erin"), QStringLiteral("S"), QStringLiteral("after stop")));
        QTRY_COMPARE_WITH_TIMEOUT(control.events->size(), 1, Patience);
        QCOMPARE(stopped.events->size(), 0);
        QCOMPARE(stopped.monitor->state(), Monitor::State::Stopped);
        QCOMPARE(stopped.monitor->connectionAttempts(), 1);
    }

    void wrongPasswordFailsOnceWithoutRetrying()
    {
        const int failuresBefore = m_dovecot->countInLog(QStringLiteral("auth failed"));
        Watched w = watch(settingsFrom(sectionFor(*m_dovecot)), QStringLiteral("frank"),
                          password(QStringLiteral("frank"), QStringLiteral("not-his-password")));
        QSignalSpy states(w.monitor.get(), &Monitor::stateChanged);
        w.monitor->start();
        QTRY_COMPARE_WITH_TIMEOUT(w.authFailures->size(), 1, Patience);
        QCOMPARE(w.monitor->state(), Monitor::State::Failed);
        QVERIFY(w.authFailures->first().at(0).toString().contains(QLatin1String("AUTHENTICATIONFAILED")));
        QVERIFY(!w.monitor->lastError().contains(QLatin1String("not-his-password")));
        // Only the back-off timer reconnects a monitor that is not started again: none is due.
        QVERIFY(!w.monitor->reconnectScheduled());
        QCOMPARE(w.monitor->connectionAttempts(), 1);
        QCOMPARE(w.monitor->loginAttempts(), 1);
        QCOMPARE(w.authFailures->size(), 1);
        QCOMPARE(w.monitor->state(), Monitor::State::Failed);
        QTRY_COMPARE_WITH_TIMEOUT(m_dovecot->countInLog(QStringLiteral("auth failed")), failuresBefore + 1, Patience);
        for (const QList<QVariant> &s : std::as_const(states))
            QVERIFY(s.at(0).value<Monitor::State>() != Monitor::State::Backoff);
    }

    void noCredentialsAndNoMasterUserFails()
    {
        Watched w = watch(settingsFrom(sectionFor(*m_dovecot)), QStringLiteral("frank"), QByteArray());
        w.monitor->start();
        QCOMPARE(w.monitor->state(), Monitor::State::Failed);
        QCOMPARE(w.authFailures->size(), 1);
        QCOMPARE(w.monitor->connectionAttempts(), 0);
    }

    void masterUserWorks()
    {
        const QString pwFile = m_dovecot->directory() + QStringLiteral("/herald-master.pw");
        QFile f(pwFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("master-secret\n");
        f.close();
        QFile::setPermissions(pwFile, QFile::ReadOwner | QFile::WriteOwner);
        QHash<QString, QString> section = sectionFor(*m_dovecot);
        section.insert(QStringLiteral("master_user"), QStringLiteral("herald"));
        section.insert(QStringLiteral("master_password_file"), pwFile);
        Watched w = watch(settingsFrom(section), QStringLiteral("grace"), QByteArray());
        w.monitor->start();
        QTRY_COMPARE_WITH_TIMEOUT(w.monitor->state(), Monitor::State::Watching, Patience);
        QVERIFY(m_dovecot->countInLog(QStringLiteral("user=<grace>, method=PLAIN")) >= 1
                || m_dovecot->countInLog(QStringLiteral("user=<grace>")) >= 1);
        QVERIFY(deliver(QStringLiteral("grace"), QStringLiteral("M"), QStringLiteral("via master")));
        QTRY_COMPARE_WITH_TIMEOUT(w.events->size(), 1, Patience);
        QCOMPARE(w.event(0).subject, QStringLiteral("via master"));
        QCOMPARE(w.event(0).account, QStringLiteral("grace"));
    }

    void privacyFullFetchesAnExcerptWithoutMarkingSeen()
    {
        QHash<QString, QString> section = sectionFor(*m_dovecot);
        section.insert(QStringLiteral("excerpt_bytes"), QStringLiteral("12"));
        Watched w = watch(settingsFrom(section), QStringLiteral("heidi"),
                          password(QStringLiteral("heidi"), QStringLiteral("pw-heidi")), QByteArray(),
                          QStringLiteral("full"));
        w.monitor->start();
        QTRY_COMPARE_WITH_TIMEOUT(w.monitor->state(), Monitor::State::Watching, Patience);
        QVERIFY(deliver(QStringLiteral("heidi"), QStringLiteral("F"), QStringLiteral("Grüße")));
        QTRY_COMPARE_WITH_TIMEOUT(w.events->size(), 1, Patience);
        QCOMPARE(w.event(0).body, QStringLiteral("Body of Grü")); // 12 bytes of UTF-8, decoded
        QString flags;
        QVERIFY2(m_dovecot->doveadm({QStringLiteral("fetch"), QStringLiteral("-u"), QStringLiteral("heidi"),
                                     QStringLiteral("flags"), QStringLiteral("mailbox"), QStringLiteral("INBOX"),
                                     QStringLiteral("all")},
                                    &flags),
                 qPrintable(flags));
        QVERIFY2(flags.contains(QLatin1String("flags:")), qPrintable(flags));
        QVERIFY2(!flags.contains(QLatin1String("\\Seen")), qPrintable(flags));
    }

    void severalMailboxesUseNotify()
    {
        QString error;
        QVERIFY2(m_dovecot->createMailbox(QStringLiteral("alice"), QStringLiteral("Work"), &error), qPrintable(error));
        QHash<QString, QString> section = sectionFor(*m_dovecot);
        section.insert(QStringLiteral("mailboxes"), QStringLiteral("INBOX, Work"));
        Watched w = watch(settingsFrom(section), QStringLiteral("alice"),
                          password(QStringLiteral("alice"), QStringLiteral("pw-alice")));
        w.monitor->start();
        QTRY_COMPARE_WITH_TIMEOUT(w.monitor->state(), Monitor::State::Watching, Patience);
        QVERIFY(w.monitor->usesNotify());
        QVERIFY(deliver(QStringLiteral("alice"), QStringLiteral("W"), QStringLiteral("to work"), QStringLiteral("Work")));
        QTRY_COMPARE_WITH_TIMEOUT(w.events->size(), 1, Patience);
        QCOMPARE(w.event(0).subject, QStringLiteral("to work"));
        QVERIFY2(w.event(0).eventId.startsWith(QLatin1String("Work/")), qPrintable(w.event(0).eventId));
        QVERIFY(deliver(QStringLiteral("alice"), QStringLiteral("I"), QStringLiteral("to inbox")));
        QTRY_COMPARE_WITH_TIMEOUT(w.events->size(), 2, Patience);
        QCOMPARE(w.event(1).subject, QStringLiteral("to inbox"));
        QVERIFY(!w.event(1).eventId.contains(QLatin1Char('/')));
        QCOMPARE(w.monitor->connectionAttempts(), 1);
    }

    void idleIsRefreshedAndKeepalivesKeepTheConnection()
    {
        // Dovecot says "* OK Still here" every second; the monitor re-issues IDLE every second and
        // would call the connection dead after 3 s of silence. It must stay on one connection.
        DovecotServer::Options options;
        options.idleNotifySecs = 1;
        DovecotServer chatty(options);
        chatty.addUser(QStringLiteral("ivan"), QStringLiteral("pw-ivan"));
        QString error;
        QVERIFY2(chatty.start(&error), qPrintable(error));
        QHash<QString, QString> section = sectionFor(chatty);
        section.insert(QStringLiteral("idle_refresh_secs"), QStringLiteral("1"));
        section.insert(QStringLiteral("dead_after_secs"), QStringLiteral("3"));
        Watched w = watch(settingsFrom(section), QStringLiteral("ivan"),
                          password(QStringLiteral("ivan"), QStringLiteral("pw-ivan")));
        w.monitor->start();
        QTRY_COMPARE_WITH_TIMEOUT(w.monitor->state(), Monitor::State::Watching, Patience);
        QTRY_VERIFY_WITH_TIMEOUT(w.monitor->idleCommands() >= 4, Patience);
        QVERIFY(deliver(QStringLiteral("ivan"), QStringLiteral("R"), QStringLiteral("refreshed"), QString(), &chatty));
        QTRY_COMPARE_WITH_TIMEOUT(w.events->size(), 1, Patience);
        QCOMPARE(w.monitor->connectionAttempts(), 1);
    }

    void tlsAndStartTlsWork()
    {
        DovecotServer::Options options;
        options.tls = true;
        DovecotServer secure(options);
        secure.addUser(QStringLiteral("judy"), QStringLiteral("pw-judy"));
        QString error;
        QVERIFY2(secure.start(&error), qPrintable(error));

        for (const QString &mode : {QStringLiteral("tls"), QStringLiteral("starttls")}) {
            QHash<QString, QString> section = sectionFor(secure);
            section.insert(QStringLiteral("security"), mode);
            section.insert(QStringLiteral("port"),
                           QString::number(mode == QLatin1String("tls") ? secure.imapsPort() : secure.imapPort()));
            section.insert(QStringLiteral("ca_file"), secure.caFile());
            Watched w = watch(settingsFrom(section), QStringLiteral("judy"),
                              password(QStringLiteral("judy"), QStringLiteral("pw-judy")));
            w.monitor->start();
            QTRY_COMPARE_WITH_TIMEOUT(w.monitor->state(), Monitor::State::Watching, Patience);
            QVERIFY(deliver(QStringLiteral("judy"), QStringLiteral("T"), QStringLiteral("secure ") + mode, QString(),
                            &secure));
            QTRY_COMPARE_WITH_TIMEOUT(w.events->size(), 1, Patience);
            QCOMPARE(w.event(0).subject, QStringLiteral("secure ") + mode);
            w.monitor->stop();
        }
        QVERIFY(secure.countInLog(QStringLiteral("user=<judy>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, mpid=")) >= 2);
        QVERIFY(secure.countInLog(QStringLiteral("TLS")) >= 2);

        // Without the test CA the self-signed certificate is refused, and the password never sent.
        QHash<QString, QString> untrusted = sectionFor(secure);
        untrusted.insert(QStringLiteral("security"), QStringLiteral("tls"));
        untrusted.insert(QStringLiteral("port"), QString::number(secure.imapsPort()));
        Watched w = watch(settingsFrom(untrusted), QStringLiteral("judy"),
                          password(QStringLiteral("judy"), QStringLiteral("pw-judy")));
        w.monitor->start();
        QTRY_COMPARE_WITH_TIMEOUT(w.monitor->state(), Monitor::State::Backoff, Patience);
        QVERIFY2(w.monitor->lastError().contains(QLatin1String("certificate")), qPrintable(w.monitor->lastError()));
        QCOMPARE(w.monitor->loginAttempts(), 0);
        w.monitor->stop();
    }
};

QTEST_GUILESS_MAIN(tst_ImapMonitorDovecot)
#include "tst_ImapMonitorDovecot.moc"
