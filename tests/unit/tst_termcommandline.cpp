#include "TermCommandLine.h"

#include <QTest>

using herald::term::Command;
using herald::term::TermCommandLine;

class tst_TermCommandLine : public QObject
{
    Q_OBJECT

private slots:
    void valid()
    {
        QProcessEnvironment env;
        TermCommandLine cl(env);
        QVERIFY2(
            cl.parse({"--server", "https://h.example:7443", "register", "bob", "--device-id", "d1",
                      "--platform", "ios", "--push-token", "tok", "--push-topic", "com.example.app",
                      "--locale", "zh_CN", "--name", "Bob's phone", "--apps", "mail,im", "--password-stdin"}),
            qPrintable(cl.errorMessage()));
        const auto &inv = cl.invocation();
        QCOMPARE(inv.command, Command::Register);
        QCOMPARE(inv.server, QStringLiteral("https://h.example:7443"));
        QCOMPARE(inv.username, QStringLiteral("bob"));
        QCOMPARE(inv.device.id, QStringLiteral("d1"));
        QCOMPARE(inv.device.platform, QStringLiteral("ios"));
        QCOMPARE(inv.device.pushTopic, QStringLiteral("com.example.app"));
        QCOMPARE(inv.device.locale, QStringLiteral("zh_CN"));
        QCOMPARE(inv.apps, QStringList({"mail", "im"}));
        QVERIFY(inv.passwordFromStdin);
        QCOMPARE(inv.stateFile, QStringLiteral("herald-term.json"));
    }

    void environmentDefaults()
    {
        QProcessEnvironment env;
        env.insert("HERALD_SERVER", "https://env.example:1");
        env.insert("HERALD_TERM_STATE", "/tmp/x.json");
        TermCommandLine cl(env);
        QVERIFY(cl.parse({"unregister"}));
        QCOMPARE(cl.invocation().server, QStringLiteral("https://env.example:1"));
        QVERIFY(cl.invocation().serverGiven);
        QCOMPARE(cl.invocation().stateFile, QStringLiteral("/tmp/x.json"));
        // The command line beats the environment.
        QVERIFY(cl.parse({"unregister", "--server=https://cli.example", "--state", "/tmp/y.json"}));
        QCOMPARE(cl.invocation().server, QStringLiteral("https://cli.example"));
        QCOMPARE(cl.invocation().stateFile, QStringLiteral("/tmp/y.json"));
    }

    void notificationsStateIsTheFilter()
    {
        TermCommandLine cl{QProcessEnvironment()};
        QVERIFY(cl.parse({"--state", "s.json", "notifications", "--state", "unread"}));
        QCOMPARE(cl.invocation().stateFile, QStringLiteral("s.json"));
        QCOMPARE(cl.invocation().notificationState, QStringLiteral("unread"));
        QVERIFY(cl.parse({"notifications", "--state-file", "t.json"}));
        QCOMPARE(cl.invocation().stateFile, QStringLiteral("t.json"));
        QVERIFY(cl.invocation().notificationState.isEmpty());
    }

    void loginLogoutOpenSession()
    {
        TermCommandLine cl{QProcessEnvironment()};
        QVERIFY(cl.parse({"login", "mail", "im", "--credentials-json", R"({"user":"bob","password":"x"})"}));
        QCOMPARE(cl.invocation().loginApps, QStringList({"mail", "im"}));
        QVERIFY(cl.invocation().hasCredentials);
        QCOMPARE(cl.invocation().credentials.value("user").toString(), QStringLiteral("bob"));

        QVERIFY(cl.parse({"logout"}));
        QVERIFY(cl.invocation().loginApps.isEmpty());
        QVERIFY(cl.parse({"open", "--", "-odd-id"}));
        QCOMPARE(cl.invocation().notificationId, QStringLiteral("-odd-id"));

        QVERIFY(cl.parse(
            {"session", "--foreground", "mail", "--background", "im", "--no-ack", "--duration", "5"}));
        const auto &inv = cl.invocation();
        QCOMPARE(inv.initialStates.size(), 2);
        QCOMPARE(inv.initialStates.at(0).first, QStringLiteral("mail"));
        QCOMPARE(inv.initialStates.at(0).second, herald::protocol::UiState::Foreground);
        QCOMPARE(inv.initialStates.at(1).second, herald::protocol::UiState::Background);
        QVERIFY(inv.noAck);
        QCOMPARE(inv.durationSeconds, 5);

        QVERIFY(cl.parse({"--help"}));
        QCOMPARE(cl.invocation().command, Command::Help);
        QVERIFY(TermCommandLine::usage().contains("session [--foreground APP]"));
    }

    void refused_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("mentions");

        const QStringList reg{"register",   "bob", "--device-id",  "d",
                              "--platform", "ios", "--push-token", "t"};
        QTest::newRow("nothing") << QStringList{} << "no command";
        QTest::newRow("unknown command") << QStringList{"frob"} << "unknown command \"frob\"";
        QTest::newRow("unknown option") << QStringList{"login", "mail", "--bogus"} << "--bogus";
        QTest::newRow("option of other command") << QStringList{"login", "mail", "--no-ack"} << "--no-ack";
        QTest::newRow("option before command") << QStringList{"--no-ack", "session"} << "--no-ack";
        QTest::newRow("single dash") << QStringList{"-x", "session"} << "-x";
        QTest::newRow("missing value") << QStringList{"session", "--duration"} << "--duration needs a value";
        QTest::newRow("option as value")
            << QStringList{"--server", "--cacert", "x", "unregister"} << "--server";
        QTest::newRow("empty value") << QStringList{"--server=", "unregister"} << "--server";
        QTest::newRow("flag with value") << QStringList{"session", "--no-ack=yes"} << "takes no value";
        QTest::newRow("bad server") << QStringList{"--server", "localhost:7443", "unregister"} << "--server";
        QTest::newRow("ftp server") << QStringList{"--server", "ftp://h", "unregister"} << "--server";
        QTest::newRow("bad pin") << QStringList{"--pin-sha256", "abcd", "unregister"} << "--pin-sha256";
        QTest::newRow("bad timeout") << QStringList{"--timeout", "0", "unregister"} << "--timeout";
        QTest::newRow("register no user") << QStringList{"register", "--device-id", "d"} << "USER";
        QTest::newRow("register two users") << (QStringList(reg) << "alice") << "alice";
        QTest::newRow("register missing")
            << QStringList{"register", "bob", "--platform", "ios"} << "--device-id, --push-token";
        QTest::newRow("register bad platform")
            << QStringList{"register", "bob", "--platform", "symbian"} << "symbian";
        QTest::newRow("register bad apps") << (QStringList(reg) << "--apps"
                                                                << "mail,,im")
                                           << "--apps";
        QTest::newRow("register app with space") << (QStringList(reg) << "--apps"
                                                                      << "my mail")
                                                 << "my mail";
        QTest::newRow("login no app") << QStringList{"login"} << "at least one APP";
        QTest::newRow("login upper-case app") << QStringList{"login", "Mail"} << "app names are lower case: use \"mail\"";
        QTest::newRow("logout upper-case app") << QStringList{"logout", "Mail"} << "use \"mail\"";
        QTest::newRow("register upper-case app") << (QStringList(reg) << "--apps" << "mail,IM") << "use \"im\"";
        QTest::newRow("session upper-case app") << QStringList{"session", "--foreground", "Mail"} << "use \"mail\"";
        QTest::newRow("login app leading dash") << QStringList{"login", "_mail"} << "starts with";
        QTest::newRow("login app slash") << QStringList{"login", "mail/x"} << "only lower-case";
        QTest::newRow("login long app") << QStringList{"login", QString(65, 'a')} << "64";
        QTest::newRow("credentials not json")
            << QStringList{"login", "mail", "--credentials-json", "{"} << "not valid JSON";
        QTest::newRow("credentials array")
            << QStringList{"login", "mail", "--credentials-json", "[]"} << "JSON object";
        QTest::newRow("open no id") << QStringList{"open"} << "ID";
        QTest::newRow("open two ids") << QStringList{"open", "a", "b"} << "\"b\"";
        QTest::newRow("unregister argument") << QStringList{"unregister", "x"} << "takes no arguments";
        QTest::newRow("session argument") << QStringList{"session", "mail"} << "takes no arguments";
        QTest::newRow("duration negative") << QStringList{"session", "--duration", "-5"} << "--duration";
        QTest::newRow("duration text") << QStringList{"session", "--duration", "soon"} << "soon";
        QTest::newRow("duplicate app state")
            << QStringList{"session", "--foreground", "mail", "--background", "mail"}
            << "more than one state";
        QTest::newRow("notifications state spaces")
            << QStringList{"notifications", "--state", "un read"} << "--state";
        const QString t = QStringLiteral("--source-token=tok");
        QTest::newRow("presence too few") << QStringList{"presence", "alice", "mail", t} << "ACCOUNT APP";
        QTest::newRow("presence app upper case") << QStringList{"presence", "alice", "Mail", "foreground", t} << "\"Mail\"";
        QTest::newRow("presence ui unknown") << QStringList{"presence", "alice", "mail", "minimised", t} << "minimised";
        QTest::newRow("presence no token") << QStringList{"presence", "alice", "mail", "closed"} << "HERALD_SOURCE_TOKEN";
        QTest::newRow("presence ttl zero") << QStringList{"presence", "alice", "mail", "closed", t, "--ttl", "0"} << "--ttl";
        QTest::newRow("presence ttl over an hour")
            << QStringList{"presence", "alice", "mail", "closed", t, "--ttl", "3601"} << "--ttl";
        QTest::newRow("presence device with space")
            << QStringList{"presence", "alice", "mail", "closed", t, "--device", "a b"} << "--device";
        QTest::newRow("push two files") << QStringList{"push", "a.json", "b.json"} << "push takes at most one FILE";
        QTest::newRow("push unknown option") << QStringList{"push", "--badge", "3"} << "--badge";
        QTest::newRow("presence account control")
            << QStringList{"presence", QStringLiteral("al\nice"), "mail", "closed", t} << "ACCOUNT";
    }

    void refused()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, mentions);
        TermCommandLine cl{QProcessEnvironment()};
        QVERIFY(!cl.parse(arguments));
        QVERIFY2(cl.errorMessage().contains(mentions), qPrintable(cl.errorMessage()));
    }

    void presence()
    {
        QProcessEnvironment env;
        env.insert("HERALD_SOURCE_TOKEN", "from-env");
        TermCommandLine cl(env);
        QVERIFY2(cl.parse({"presence", "alice", "mail", "foreground", "--device", "pc-1", "--ttl", "120"}),
                 qPrintable(cl.errorMessage()));
        const auto &inv = cl.invocation();
        QCOMPARE(inv.command, Command::Presence);
        QCOMPARE(inv.presenceAccount, QStringLiteral("alice"));
        QCOMPARE(inv.presenceApp, QStringLiteral("mail"));
        QCOMPARE(inv.presenceUi, QStringLiteral("foreground"));
        QCOMPARE(inv.presenceDevice, QStringLiteral("pc-1"));
        QCOMPARE(inv.presenceTtlSecs, 120);
        QCOMPARE(inv.sourceToken, QStringLiteral("from-env"));
        TermCommandLine flag(env);
        QVERIFY(flag.parse({"presence", "alice", "mail", "disconnected", "--source-token", "given"}));
        QCOMPARE(flag.invocation().sourceToken, QStringLiteral("given")); // the option wins over the environment
        QCOMPARE(flag.invocation().presenceTtlSecs, 0);
    }

    void pushReadsAFileOrStdin()
    {
        TermCommandLine cl{QProcessEnvironment()};
        QVERIFY(cl.parse({"push", "clear.json"}));
        QCOMPARE(cl.invocation().command, Command::Push);
        QCOMPARE(cl.invocation().pushFile, QStringLiteral("clear.json"));
        TermCommandLine stdinForm{QProcessEnvironment()};
        QVERIFY(stdinForm.parse({"push"}));
        QVERIFY(stdinForm.invocation().pushFile.isEmpty());
    }

    void badEnvironmentServer()
    {
        QProcessEnvironment env;
        env.insert("HERALD_SERVER", "nonsense");
        TermCommandLine cl(env);
        QVERIFY(!cl.parse({"unregister"}));
        QVERIFY(cl.errorMessage().contains("HERALD_SERVER"));
    }
};

QTEST_GUILESS_MAIN(tst_TermCommandLine)
#include "tst_termcommandline.moc"
