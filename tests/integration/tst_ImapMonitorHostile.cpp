// The IMAP monitor against a scripted, misbehaving server: it must neither crash, hang, nor
// buffer without bound, and must recover (or fail for good, for authentication) as specified.
#include "FakeImapServer.h"
#include "monitor/imap/ImapMonitor.h"
#include "monitor/imap/ImapSettings.h"

#include <QLocale>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace herald;
using herald::test::FakeImapServer;
using Session = FakeImapServer::Session;

namespace {
constexpr int Patience = 20000;
}

class tst_ImapMonitorHostile : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<FakeImapServer> m_server;
    std::unique_ptr<ImapMonitor> m_monitor;
    std::unique_ptr<QSignalSpy> m_events;
    std::unique_ptr<QSignalSpy> m_authFailures;

    void startMonitor(int deadAfterSecs = 30, const QDateTime &watchFrom = {})
    {
        QString error;
        auto settings = ImapSettings::fromSection(
            {{QStringLiteral("host"), QStringLiteral("127.0.0.1")},
             {QStringLiteral("port"), QString::number(m_server->port())},
             {QStringLiteral("security"), QStringLiteral("plain")},
             {QStringLiteral("dead_after_secs"), QString::number(deadAfterSecs)},
             {QStringLiteral("backoff_min_ms"), QStringLiteral("50")},
             {QStringLiteral("backoff_max_secs"), QStringLiteral("1")}},
            QStringLiteral("imap"), QStringLiteral("test.conf"), &error);
        QVERIFY2(settings, qPrintable(error));
        MonitorContext context;
        context.account = QStringLiteral("alice");
        context.app = QStringLiteral("mail");
        context.privacy = QStringLiteral("summary");
        context.credentials = R"({"password":"pw"})";
        context.watchFrom = watchFrom;
        m_monitor = std::make_unique<ImapMonitor>(*settings, context);
        m_events = std::make_unique<QSignalSpy>(m_monitor.get(), &Monitor::newInformation);
        m_authFailures = std::make_unique<QSignalSpy>(m_monitor.get(), &Monitor::authenticationFailed);
        m_monitor->start();
    }

    // A hook that misbehaves once, on the first connection's first IDLE, and is normal otherwise.
    static FakeImapServer::Hook onFirstIdle(std::function<void(Session &)> misbehave)
    {
        return [misbehave](Session &s, const QByteArray &tag, const QByteArray &command) {
            if (s.index == 1 && command == "IDLE") {
                s.idleTag = tag;
                s.write("+ idling\r\n");
                misbehave(s);
                return true;
            }
            return false;
        };
    }

    void expectReconnectThenWatching(const char *errorPart)
    {
        QTRY_VERIFY_WITH_TIMEOUT(m_server->connections() >= 2, Patience);
        QTRY_COMPARE_WITH_TIMEOUT(m_monitor->state(), Monitor::State::Watching, Patience);
        QVERIFY2(m_monitor->lastError().contains(QLatin1String(errorPart)), qPrintable(m_monitor->lastError()));
        QCOMPARE(m_authFailures->size(), 0);
        // Still fully working on the new connection.
        m_server->addMessage("after recovery");
        QTRY_COMPARE_WITH_TIMEOUT(m_events->size(), 1, Patience);
        QCOMPARE(m_events->at(0).at(0).value<MonitorEvent>().subject, QStringLiteral("after recovery"));
    }

private slots:
    void init()
    {
        m_server = std::make_unique<FakeImapServer>();
        QVERIFY(m_server->listen());
    }

    void cleanup()
    {
        m_monitor.reset();
        m_events.reset();
        m_authFailures.reset();
        m_server.reset();
    }

    void wellBehavedServerWorks()
    {
        startMonitor();
        QTRY_COMPARE_WITH_TIMEOUT(m_monitor->state(), Monitor::State::Watching, Patience);
        m_server->addMessage("hello");
        QTRY_COMPARE_WITH_TIMEOUT(m_events->size(), 1, Patience);
        const MonitorEvent e = m_events->at(0).at(0).value<MonitorEvent>();
        QCOMPARE(e.eventId, QStringLiteral("7.1"));
        QCOMPARE(e.sender, QStringLiteral("Fake Sender"));
        QCOMPARE(m_server->connections(), 1);
    }

    // The first baseline from the login's time (UID SEARCH SINCE + INTERNALDATE), against servers
    // that refuse SEARCH, answer it with junk, or send a Date header that lies.
    void loginTimeBaselineWithoutSearch()
    {
        m_server->addMessage("old 1");
        m_server->addMessage("old 2");
        m_server->setHook([](Session &s, const QByteArray &tag, const QByteArray &command) {
            if (!command.startsWith("UID SEARCH"))
                return false;
            s.write(tag + " BAD SEARCH is not supported here\r\n");
            return true;
        });
        startMonitor(30, QDateTime::currentDateTimeUtc());
        QTRY_COMPARE_WITH_TIMEOUT(m_monitor->state(), Monitor::State::Watching, Patience);
        m_server->addMessage("new");
        QTRY_COMPARE_WITH_TIMEOUT(m_events->size(), 1, Patience);
        QCOMPARE(m_events->at(0).at(0).value<MonitorEvent>().subject, QStringLiteral("new"));
        QCOMPARE(m_server->connections(), 1);
    }

    void loginTimeBaselineIgnoresSearchJunk()
    {
        m_server->addMessage("old 1");
        m_server->setHook([](Session &s, const QByteArray &tag, const QByteArray &command) {
            if (!command.startsWith("UID SEARCH"))
                return false;
            s.write("* SEARCH abc 0 -3 99999999999 (1) \"2\"\r\n" + tag + " OK done\r\n");
            return true;
        });
        startMonitor(30, QDateTime::currentDateTimeUtc());
        QTRY_COMPARE_WITH_TIMEOUT(m_monitor->state(), Monitor::State::Watching, Patience);
        m_server->addMessage("new");
        QTRY_COMPARE_WITH_TIMEOUT(m_events->size(), 1, Patience);
        QCOMPARE(m_events->at(0).at(0).value<MonitorEvent>().subject, QStringLiteral("new"));
        QCOMPARE(m_server->connections(), 1);
    }

    void loginTimeBaselineGoesByArrivalNotByDateHeader()
    {
        // UID 1 arrived a day before the login but its Date header claims the future; UID 2 arrived
        // after the login (before the monitor looked) with an old Date header. Only UID 2 is news.
        const QDateTime login = QDateTime::currentDateTimeUtc();
        auto imapDate = [](const QDateTime &t) {
            return QLocale::c().toString(t.toUTC(), QStringLiteral("dd-MMM-yyyy HH:mm:ss")).toLatin1() + " +0000";
        };
        auto envelope = [](const QByteArray &date, const QByteArray &subject) {
            return "ENVELOPE (\"" + date + "\" \"" + subject
                   + "\" ((\"Fake Sender\" NIL \"fake\" \"example.org\")) NIL NIL NIL NIL NIL NIL NIL)";
        };
        m_server->addRawMessage(1, "INTERNALDATE \"" + imapDate(login.addDays(-1)) + "\" "
                                       + envelope("Fri, 1 Jan 2100 00:00:00 +0000", "before login"));
        m_server->addRawMessage(2, "INTERNALDATE \"" + imapDate(login.addSecs(1)) + "\" "
                                       + envelope("Sat, 1 Jan 2000 00:00:00 +0000", "after login"));
        QByteArray searched;
        m_server->setHook([&searched](Session &s, const QByteArray &tag, const QByteArray &command) {
            if (!command.startsWith("UID SEARCH"))
                return false;
            searched = command;
            s.write("* SEARCH 1 2\r\n" + tag + " OK done\r\n");
            return true;
        });
        startMonitor(30, login);
        QTRY_COMPARE_WITH_TIMEOUT(m_events->size(), 1, Patience);
        QCOMPARE(m_events->at(0).at(0).value<MonitorEvent>().subject, QStringLiteral("after login"));
        QCOMPARE(m_events->at(0).at(0).value<MonitorEvent>().eventId, QStringLiteral("7.2"));
        QTRY_COMPARE_WITH_TIMEOUT(m_monitor->state(), Monitor::State::Watching, Patience);
        // SINCE the day before the login's UTC date: every time zone's "today" is included.
        const QByteArray day = QLocale::c().toString(login.date().addDays(-1), QStringLiteral("d-MMM-yyyy")).toLatin1();
        QCOMPARE(searched, "UID SEARCH SINCE " + day);
        QCOMPARE(m_events->size(), 1);
    }

    void overlongLineIsCut()
    {
        m_server->setHook(onFirstIdle([](Session &s) {
            const QByteArray chunk(16 * 1024, 'x');
            s.write("* OK ");
            for (int i = 0; i < 8; ++i) // 128 KiB and no line end
                s.write(chunk);
        }));
        startMonitor();
        expectReconnectThenWatching("longer than");
    }

    void hugeLiteralIsRefused()
    {
        m_server->setHook(onFirstIdle([](Session &s) { s.write("* 1 FETCH (BODY[] {999999999}\r\nabc"); }));
        startMonitor();
        expectReconnectThenWatching("literal");
    }

    void malformedEnvelopeIsAConnectionError()
    {
        m_server->setHook([this](Session &s, const QByteArray &tag, const QByteArray &command) {
            if (s.index == 1 && command.startsWith("UID FETCH")) {
                s.write("* 1 FETCH (UID 1 ENVELOPE (\"date only\"))\r\n" + tag + " OK done\r\n");
                return true;
            }
            Q_UNUSED(this);
            return false;
        });
        startMonitor();
        QTRY_COMPARE_WITH_TIMEOUT(m_monitor->state(), Monitor::State::Watching, Patience);
        m_server->addMessage("broken on the first connection");
        QTRY_VERIFY_WITH_TIMEOUT(m_server->connections() >= 2, Patience);
        // The second connection serves the message properly: reported once.
        QTRY_COMPARE_WITH_TIMEOUT(m_events->size(), 1, Patience);
        QCOMPARE(m_events->at(0).at(0).value<MonitorEvent>().subject, QStringLiteral("broken on the first connection"));
        QVERIFY2(m_monitor->lastError().contains(QLatin1String("ENVELOPE")), qPrintable(m_monitor->lastError()));
    }

    void unexpectedUntaggedDataIsIgnored()
    {
        m_server->setHook(onFirstIdle([](Session &s) {
            s.write("* XYZZY [[[ \"unbalanced\r\n* 5 FLARGLE\r\n* OK [ALERT] hello\r\n* 3 RECENT\r\n"
                    "* 2 EXPUNGE\r\n* FLAGS (\\Seen)\r\n* 9 FETCH (FLAGS (\\Seen))\r\n* OK Still here\r\n"
                    "* STATUS \"Unwatched\" (UIDNEXT 9)\r\n* SEARCH 1 2\r\n* ENABLED X\r\n"
                    "* CAPABILITY IMAP4rev1 IDLE\r\n");
        }));
        startMonitor();
        QTRY_COMPARE_WITH_TIMEOUT(m_monitor->state(), Monitor::State::Watching, Patience);
        m_server->addMessage("still fine");
        QTRY_COMPARE_WITH_TIMEOUT(m_events->size(), 1, Patience);
        QCOMPARE(m_server->connections(), 1);
    }

    void serverClosingMidResponseIsRecovered()
    {
        m_server->setHook([](Session &s, const QByteArray &tag, const QByteArray &command) {
            if (s.index == 1 && command.startsWith("UID FETCH")) {
                s.write("* 1 FETCH (UID 1 ENVELOPE (\"Sat, 28 Nov");
                s.socket->flush();
                s.socket->disconnectFromHost();
                return true;
            }
            return false;
        });
        startMonitor();
        QTRY_COMPARE_WITH_TIMEOUT(m_monitor->state(), Monitor::State::Watching, Patience);
        m_server->addMessage("cut off");
        QTRY_COMPARE_WITH_TIMEOUT(m_events->size(), 1, Patience);
        QVERIFY(m_server->connections() >= 2);
        QCOMPARE(m_events->at(0).at(0).value<MonitorEvent>().subject, QStringLiteral("cut off"));
        // Watching again, and no duplicate comes from the reconnect.
        QTRY_COMPARE_WITH_TIMEOUT(m_monitor->state(), Monitor::State::Watching, Patience);
        m_server->addMessage("next");
        QTRY_COMPARE_WITH_TIMEOUT(m_events->size(), 2, Patience);
        QCOMPARE(m_events->at(1).at(0).value<MonitorEvent>().subject, QStringLiteral("next"));
    }

    void silentServerIsDetected()
    {
        // After IDLE is accepted the first connection says nothing more, not even "Still here", and
        // swallows our DONE too: a peer that vanished without closing the TCP connection.
        auto idled = std::make_shared<bool>(false);
        m_server->setHook([idled](Session &s, const QByteArray &tag, const QByteArray &command) {
            if (s.index != 1)
                return false;
            if (*idled)
                return true;
            if (command == "IDLE") {
                *idled = true;
                s.write("+ idling\r\n");
                return true;
            }
            return false;
        });
        startMonitor(1);
        expectReconnectThenWatching("no data");
    }

    void unexpectedTaggedResponseIsAnError()
    {
        m_server->setHook(onFirstIdle([](Session &s) { s.write("zz99 OK not yours\r\n"); }));
        startMonitor();
        expectReconnectThenWatching("unexpected tagged");
    }

    void byeGreetingIsRetried()
    {
        m_server->setHook([](Session &, const QByteArray &, const QByteArray &) { return false; });
        m_server->setGreeting("* BYE too busy\r\n");
        startMonitor();
        QTRY_VERIFY_WITH_TIMEOUT(m_server->connections() >= 3, Patience);
        QVERIFY(m_monitor->lastError().contains(QLatin1String("BYE")));
        QCOMPARE(m_authFailures->size(), 0);
        QCOMPARE(m_server->logins(), 0);
    }

    void rejectedLoginFailsForGood()
    {
        m_server->setHook([](Session &s, const QByteArray &tag, const QByteArray &command) {
            if (command.startsWith("LOGIN")) {
                s.write(tag + " NO [AUTHENTICATIONFAILED] Authentication failed.\r\n");
                return true;
            }
            return false;
        });
        startMonitor();
        QTRY_COMPARE_WITH_TIMEOUT(m_authFailures->size(), 1, Patience);
        QCOMPARE(m_monitor->state(), Monitor::State::Failed);
        // Only the back-off timer reconnects a monitor that is not started again: none is due.
        QVERIFY(!m_monitor->reconnectScheduled());
        QCOMPARE(m_server->connections(), 1);
        QCOMPARE(m_monitor->loginAttempts(), 1);
        QCOMPARE(m_authFailures->size(), 1);
    }

    void temporaryLoginFailureIsRetried()
    {
        m_server->setHook([](Session &s, const QByteArray &tag, const QByteArray &command) {
            if (s.index == 1 && command.startsWith("LOGIN")) {
                s.write(tag + " NO [UNAVAILABLE] Authentication backend down\r\n");
                return true;
            }
            return false;
        });
        startMonitor();
        QTRY_COMPARE_WITH_TIMEOUT(m_monitor->state(), Monitor::State::Watching, Patience);
        QCOMPARE(m_server->connections(), 2);
        QCOMPARE(m_authFailures->size(), 0);
    }

    void otherMailboxesArePolledWithoutNotify()
    {
        // The fake server offers no NOTIFY: the second mailbox is checked every poll_secs. (It serves
        // the same messages for every mailbox, so each new mail shows up once per mailbox.)
        QString error;
        auto settings = ImapSettings::fromSection(
            {{QStringLiteral("host"), QStringLiteral("127.0.0.1")},
             {QStringLiteral("port"), QString::number(m_server->port())},
             {QStringLiteral("security"), QStringLiteral("plain")},
             {QStringLiteral("mailboxes"), QStringLiteral("INBOX, Work")},
             {QStringLiteral("poll_secs"), QStringLiteral("1")}},
            QStringLiteral("imap"), QStringLiteral("test.conf"), &error);
        QVERIFY2(settings, qPrintable(error));
        MonitorContext context;
        context.account = QStringLiteral("alice");
        context.credentials = R"({"password":"pw"})";
        m_monitor = std::make_unique<ImapMonitor>(*settings, context);
        m_events = std::make_unique<QSignalSpy>(m_monitor.get(), &Monitor::newInformation);
        m_monitor->start();
        QTRY_COMPARE_WITH_TIMEOUT(m_monitor->state(), Monitor::State::Watching, Patience);
        QVERIFY(!m_monitor->usesNotify());
        m_server->addMessage("polled");
        QTRY_COMPARE_WITH_TIMEOUT(m_events->size(), 2, Patience);
        QStringList ids;
        for (const QList<QVariant> &e : std::as_const(*m_events))
            ids << e.at(0).value<MonitorEvent>().eventId;
        ids.sort();
        QCOMPARE(ids, (QStringList{QStringLiteral("7.1"), QStringLiteral("Work/7.1")}));
        QCOMPARE(m_server->connections(), 1);
    }

    void batchIsBounded()
    {
        // More new messages than one round keeps: all are reported, in UID order, exactly once.
        startMonitor();
        QTRY_COMPARE_WITH_TIMEOUT(m_monitor->state(), Monitor::State::Watching, Patience);
        const int total = ImapMonitor::MaxBatch + 37;
        for (int i = 0; i < total; ++i)
            m_server->addMessage("bulk " + QByteArray::number(i));
        QTRY_COMPARE_WITH_TIMEOUT(m_events->size(), total, Patience);
        for (int i = 0; i < total; ++i)
            QCOMPARE(m_events->at(i).at(0).value<MonitorEvent>().eventId, QStringLiteral("7.%1").arg(i + 1));
        QCOMPARE(m_server->connections(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_ImapMonitorHostile)
#include "tst_ImapMonitorHostile.moc"
