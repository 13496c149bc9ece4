// MonitorManager with the server's storage set-up (group commit: a background writer and reading
// connections), so that its reads and writes leave the event loop as in production:
// - a monitor's state lands in its login row, written behind the row;
// - enabling an account again resumes its monitors from a read made off the event loop, and a
//   logout, a login or a second disable that comes while that read runs wins over what it read.
#include "app/ServerConfig.h"
#include "dispatch/AppSettings.h"
#include "dispatch/Dispatcher.h"
#include "dispatch/EventIngestor.h"
#include "monitor/MonitorManager.h"
#include "presence/PresenceTracker.h"
#include "push/ProviderRegistry.h"
#include "storage/SqliteStorage.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace herald;

namespace {

// Watches nothing: starts and stops when told, and says so.
class QuietMonitor : public Monitor
{
public:
    using Monitor::Monitor;
    void start() override { setState(State::Watching); }
    void stop() override { setState(State::Stopped); }
    State state() const override { return m_state; }
    QString lastError() const override { return {}; }

private:
    void setState(State state)
    {
        m_state = state;
        Q_EMIT stateChanged(state);
    }
    State m_state = State::Idle;
};

} // namespace

class tst_MonitorResume : public QObject
{
    Q_OBJECT

    struct Server
    {
        explicit Server(const QString &path) : storage(path) {}
        SqliteStorage storage;
        ServerConfig config;
        PresenceTracker presence;
        ProviderRegistry providers;
        AppCatalog apps;
        std::unique_ptr<Dispatcher> dispatcher;
        std::unique_ptr<EventIngestor> ingestor;
        std::unique_ptr<MonitorManager> monitors;
        QList<QString> started; // "account/app" of every monitor made, in order
        qint64 accountId = 0;
    };

    QTemporaryDir m_dir;
    std::unique_ptr<Server> m_server;

    bool durable()
    {
        bool done = false;
        bool ok = false;
        m_server->storage.whenDurable([&](bool committed) {
            done = true;
            ok = committed;
        });
        return QTest::qWaitFor([&] { return done; }, 10'000) && ok;
    }

    std::optional<LoginRecord> loginRow(const QString &app)
    {
        if (!durable())
            return std::nullopt;
        const auto logins = m_server->storage.loginsOfAccount(m_server->accountId);
        for (const LoginRecord &login : logins.value_or(QList<LoginRecord>()))
            if (login.app == app)
                return login;
        return std::nullopt;
    }

    // Waits for the login's `done`.
    bool login(const QString &app)
    {
        std::optional<bool> result;
        m_server->monitors->login(m_server->accountId, QStringLiteral("alice"), app, {},
                                  [&](bool ok, const QString &) { result = ok; });
        return QTest::qWaitFor([&] { return result.has_value(); }, 10'000) && *result;
    }

    // Logged in to `apps`, then disabled: nothing runs, the logins stay, nothing started is remembered.
    void loggedInThenSuspended(const QStringList &apps)
    {
        for (const QString &app : apps)
            QVERIFY(login(app));
        m_server->monitors->suspendAccount(m_server->accountId);
        m_server->started.clear();
    }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<Server>(m_dir.filePath(QStringLiteral("herald-%1.sqlite").arg(QTest::currentTestFunction())));
        Server &s = *m_server;
        QString error;
        QVERIFY2(s.storage.open(&error), qPrintable(error));
        const auto id = s.storage.createAccount(QStringLiteral("alice"), QStringLiteral("x"));
        QVERIFY(id);
        s.accountId = *id;
        s.config.dataDir = m_dir.path();
        QVERIFY2(s.providers.load(s.config.sections, s.config.dataDir, &error), qPrintable(error));
        QMap<QString, ConfigSection> sections;
        ConfigSection quiet; // what `monitor = quiet` names; the factory below reads none of it
        quiet.name = QStringLiteral("quiet");
        sections.insert(quiet.name, quiet);
        for (const char *app : {"mail", "chat"}) {
            ConfigSection section;
            section.name = QStringLiteral("app.") + QLatin1String(app);
            section.values.insert(QStringLiteral("monitor"), QStringLiteral("quiet"));
            sections.insert(section.name, section);
        }
        QVERIFY2(s.apps.load(sections, &error), qPrintable(error));
        s.storage.setGroupCommit(true); // the server's mode: background writer and readers
        s.dispatcher = std::make_unique<Dispatcher>(s.storage, s.presence, s.providers, s.apps, s.config.dispatch);
        s.ingestor = std::make_unique<EventIngestor>(s.storage, s.presence, *s.dispatcher, s.config.dispatch);
        s.monitors = std::make_unique<MonitorManager>(s.storage, s.apps, *s.ingestor);
        s.monitors->setFactory([&s](const QString &, const MonitorContext &context, QString *) -> Monitor * {
            s.started.append(context.account + QLatin1Char('/') + context.app);
            return new QuietMonitor;
        });
    }

    void cleanup()
    {
        if (!m_server)
            return;
        m_server->monitors->stopAll();
        m_server->storage.setGroupCommit(false);
        m_server.reset();
    }

    void monitorStateIsStoredInItsLoginRow()
    {
        QVERIFY(login(QStringLiteral("mail")));
        QCOMPARE(m_server->monitors->runningMonitors(), 1);
        QTRY_COMPARE(loginRow(QStringLiteral("mail")).value_or(LoginRecord{}).monitorState, QStringLiteral("watching"));
        m_server->monitors->suspendAccount(m_server->accountId);
        QCOMPARE(m_server->monitors->runningMonitors(), 0);
        QTRY_COMPARE(loginRow(QStringLiteral("mail")).value_or(LoginRecord{}).monitorState, QStringLiteral("stopped"));
    }

    void resumeStartsEveryLoggedInApp()
    {
        loggedInThenSuspended({QStringLiteral("mail"), QStringLiteral("chat")});
        QSignalSpy resumed(m_server->monitors.get(), &MonitorManager::resumeSettled);
        m_server->monitors->resumeAccount(m_server->accountId);
        QCOMPARE(m_server->monitors->runningMonitors(), 0); // the logins are being read, not yet there
        QVERIFY(resumed.wait(10'000));
        QCOMPARE(resumed.at(0).at(0).toLongLong(), m_server->accountId);
        QCOMPARE(resumed.at(0).at(1).toInt(), 2);
        QCOMPARE(m_server->monitors->runningMonitors(), 2);
        std::sort(m_server->started.begin(), m_server->started.end());
        QCOMPARE(m_server->started, (QList<QString>{QStringLiteral("alice/chat"), QStringLiteral("alice/mail")}));
    }

    void logoutDuringTheResumeReadWins()
    {
        loggedInThenSuspended({QStringLiteral("mail"), QStringLiteral("chat")});
        QSignalSpy resumed(m_server->monitors.get(), &MonitorManager::resumeSettled);
        m_server->monitors->resumeAccount(m_server->accountId);
        // Before the read's answer: the logout's delete may or may not be visible to that read.
        bool loggedOut = false;
        m_server->monitors->logout(m_server->accountId, QStringLiteral("mail"), [&](bool ok) { loggedOut = ok; });
        QVERIFY(resumed.wait(10'000));
        QTRY_VERIFY(loggedOut);
        QCOMPARE(m_server->started, QList<QString>{QStringLiteral("alice/chat")});
        QCOMPARE(m_server->monitors->runningMonitors(), 1);
        QVERIFY(!m_server->monitors->status(m_server->accountId, QStringLiteral("mail")));
    }

    void loginDuringTheResumeReadStartsOnce()
    {
        loggedInThenSuspended({QStringLiteral("mail")});
        QSignalSpy resumed(m_server->monitors.get(), &MonitorManager::resumeSettled);
        m_server->monitors->resumeAccount(m_server->accountId);
        QVERIFY(login(QStringLiteral("mail"))); // the login's own monitor starts at its commit
        if (resumed.isEmpty())
            QVERIFY(resumed.wait(10'000));
        QCOMPARE(m_server->started, QList<QString>{QStringLiteral("alice/mail")});
        QCOMPARE(m_server->monitors->runningMonitors(), 1);
    }

    void disabledAgainDuringTheResumeReadStartsNothing()
    {
        loggedInThenSuspended({QStringLiteral("mail")});
        QSignalSpy resumed(m_server->monitors.get(), &MonitorManager::resumeSettled);
        m_server->monitors->resumeAccount(m_server->accountId);
        m_server->monitors->suspendAccount(m_server->accountId);
        QVERIFY(resumed.wait(10'000));
        QCOMPARE(resumed.at(0).at(1).toInt(), 0);
        QVERIFY(m_server->started.isEmpty());
        QCOMPARE(m_server->monitors->runningMonitors(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_MonitorResume)
#include "tst_monitorresume.moc"
