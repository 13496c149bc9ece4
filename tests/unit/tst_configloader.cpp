// Config precedence (defaults < file < HERALD_* environment < command line) and every kind of
// bad value, unknown key and malformed file, each with an error that names where it came from.
#include "app/CommandLine.h"
#include "app/ConfigLoader.h"
#include "dispatch/AppSettings.h"
#include "app/IniFile.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace herald;

class tst_ConfigLoader : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString writeIni(const QByteArray &text)
    {
        static int n = 0;
        const QString path = m_dir.filePath(QStringLiteral("c%1.ini").arg(++n));
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(text);
        return path;
    }
    bool load(const QString &file, const QHash<QString, QString> &cli, const QProcessEnvironment &env,
              ServerConfig *out, QString *error)
    {
        ConfigLoader loader;
        const bool ok = loader.load(file, cli, env, out);
        *error = loader.errorString();
        return ok;
    }

private Q_SLOTS:
    void defaults()
    {
        ServerConfig c;
        QString error;
        QVERIFY2(load({}, {}, QProcessEnvironment(), &c, &error), qPrintable(error));
        QCOMPARE(c.listenAddress, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(c.listenPort, quint16(7443));
        QCOMPARE(c.dataDir, ConfigLoader::defaultDataDir());
        QCOMPARE(c.maxBodyBytes, 65536);
        QCOMPARE(c.requestTimeoutSecs, 10);
        QCOMPARE(c.dispatch.targetPolicy, QStringLiteral("latest"));
        QCOMPARE(c.databaseDurability, QStringLiteral("process"));
        QVERIFY(c.effectiveDatabasePath().endsWith(QStringLiteral("/herald.sqlite")));
    }

    void launchUris_data()
    {
        QTest::addColumn<QString>("app");
        QTest::addColumn<QString>("launchUri");
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("expected");
        QTest::newRow("default") << "mail" << "" << "0192f3a4-5b6c" << "herald://open/mail/0192f3a4-5b6c";
        QTest::newRow("default, encoded") << "mail" << "" << "a b/c" << "herald://open/mail/a%20b%2Fc";
        QTest::newRow("template") << "im.chat" << "rdpapp://launch?app={app}&n={id}&again={id}" << "n-1"
                                  << "rdpapp://launch?app=im.chat&n=n-1&again=n-1";
        QTest::newRow("template without placeholders") << "mail" << "https://example.com/inbox" << "x"
                                                       << "https://example.com/inbox";
    }
    void launchUris()
    {
        QFETCH(QString, app);
        QFETCH(QString, launchUri);
        QFETCH(QString, id);
        QFETCH(QString, expected);
        AppSettings settings;
        settings.name = app;
        settings.launchUri = launchUri;
        QCOMPARE(settings.uriFor(id), expected);
    }

    void precedence()
    {
        const QString file = writeIni("[server]\nlisten = 127.0.0.1:1000\ndata_dir = /tmp/from-file\n"
                                      "[session]\nheartbeat_secs = 11\nack_timeout_secs = 12\n");
        QProcessEnvironment env;
        env.insert(QStringLiteral("HERALD_LISTEN"), QStringLiteral("127.0.0.1:2000"));
        env.insert(QStringLiteral("HERALD_HEARTBEAT_SECS"), QStringLiteral("21"));
        const QHash<QString, QString> cli{{QStringLiteral("listen"), QStringLiteral("[::1]:3000")}};
        ServerConfig c;
        QString error;
        QVERIFY2(load(file, cli, env, &c, &error), qPrintable(error));
        QCOMPARE(c.listenAddress, QHostAddress(QHostAddress::LocalHostIPv6)); // cli beats env and file
        QCOMPARE(c.listenPort, quint16(3000));
        QCOMPARE(c.session.heartbeatSecs, 21);                            // env beats file
        QCOMPARE(c.dispatch.ackTimeoutSecs, 12);                           // file beats default
        QCOMPARE(c.dataDir, QStringLiteral("/tmp/from-file"));
        QCOMPARE(c.listenString(), QStringLiteral("[::1]:3000"));
        QVERIFY(c.credentialKeyFile.isEmpty()); // the data folder's own key unless one is named
    }

    void credentialKeyFileFromEverySource()
    {
        const QString file = writeIni("[server]\ncredential_key_file = /etc/herald/from-file.key\n");
        ServerConfig c;
        QString error;
        QVERIFY2(load(file, {}, {}, &c, &error), qPrintable(error));
        QCOMPARE(c.credentialKeyFile, QStringLiteral("/etc/herald/from-file.key"));
        QProcessEnvironment env;
        env.insert(QStringLiteral("HERALD_CREDENTIAL_KEY_FILE"), QStringLiteral("/etc/herald/from-env.key"));
        QVERIFY2(load(file, {}, env, &c, &error), qPrintable(error));
        QCOMPARE(c.credentialKeyFile, QStringLiteral("/etc/herald/from-env.key"));
        QVERIFY2(load(file, {{QStringLiteral("credential-key-file"), QStringLiteral("/etc/herald/cli.key")}}, env, &c,
                      &error),
                 qPrintable(error));
        QCOMPARE(c.credentialKeyFile, QStringLiteral("/etc/herald/cli.key"));
    }

    void configFileFromEnvironment()
    {
        const QString file = writeIni("[dispatch]\ntarget_policy = all\n");
        QProcessEnvironment env;
        env.insert(QStringLiteral("HERALD_CONFIG"), file);
        ServerConfig c;
        QString error;
        QVERIFY2(load({}, {}, env, &c, &error), qPrintable(error));
        QCOMPARE(c.dispatch.targetPolicy, QStringLiteral("all"));
        QCOMPARE(c.configFile, file);
    }

    void durabilityFromEverySource()
    {
        ServerConfig c;
        QString error;
        QVERIFY2(load(writeIni("[database]\ndurability = power\n"), {}, QProcessEnvironment(), &c, &error), qPrintable(error));
        QCOMPARE(c.databaseDurability, QStringLiteral("power"));
        QProcessEnvironment env;
        env.insert(QStringLiteral("HERALD_DATABASE_DURABILITY"), QStringLiteral("power"));
        ServerConfig fromEnv;
        QVERIFY2(load({}, {}, env, &fromEnv, &error), qPrintable(error));
        QCOMPARE(fromEnv.databaseDurability, QStringLiteral("power"));
        ServerConfig fromCli;
        QVERIFY2(load(writeIni("[database]\ndurability = power\n"), {{QStringLiteral("database-durability"), QStringLiteral("process")}},
                      QProcessEnvironment(), &fromCli, &error),
                 qPrintable(error));
        QCOMPARE(fromCli.databaseDurability, QStringLiteral("process")); // the command line wins
    }

    void readingConnections()
    {
        ServerConfig defaults;
        QCOMPARE(defaults.databaseReadingConnections, 2);
        ServerConfig c;
        QString error;
        QVERIFY2(load(writeIni("[database]\nreading_connections = 5\n"), {}, QProcessEnvironment(), &c, &error),
                 qPrintable(error));
        QCOMPARE(c.databaseReadingConnections, 5);
        ServerConfig fromCli;
        QVERIFY2(load(writeIni("[database]\nreading_connections = 5\n"),
                      {{QStringLiteral("database-reading-connections"), QStringLiteral("1")}}, QProcessEnvironment(),
                      &fromCli, &error),
                 qPrintable(error));
        QCOMPARE(fromCli.databaseReadingConnections, 1);
    }

    void groupWindow()
    {
        ServerConfig defaults;
        QCOMPARE(defaults.dispatch.groupWindowSecs, 120);
        ServerConfig c;
        QString error;
        QVERIFY2(load(writeIni("[dispatch]\ngroup_window_secs = 0\n"), {}, QProcessEnvironment(), &c, &error),
                 qPrintable(error));
        QCOMPARE(c.dispatch.groupWindowSecs, 0); // grouping off
        QProcessEnvironment env;
        env.insert(QStringLiteral("HERALD_GROUP_WINDOW_SECS"), QStringLiteral("300"));
        QVERIFY2(load(QString(), {}, env, &c, &error), qPrintable(error));
        QCOMPARE(c.dispatch.groupWindowSecs, 300);
    }

    void passThroughSections()
    {
        const QString file = writeIni("[push.apns]\ntype = apns\nteam_id = ABC\n[app.mail]\nprivacy = summary\n");
        ServerConfig c;
        QString error;
        QVERIFY2(load(file, {}, QProcessEnvironment(), &c, &error), qPrintable(error));
        QCOMPARE(c.sections.value(QStringLiteral("push.apns")).values.value(QStringLiteral("team_id")),
                 QStringLiteral("ABC"));
        QCOMPARE(c.sections.value(QStringLiteral("app.mail")).lines.value(QStringLiteral("privacy")), 5);
    }

    void badValues_data()
    {
        QTest::addColumn<QByteArray>("ini");
        QTest::addColumn<QString>("envName");
        QTest::addColumn<QString>("envValue");
        QTest::addColumn<QString>("cliName");
        QTest::addColumn<QString>("cliValue");
        QTest::addColumn<QString>("expected");
        QTest::newRow("listen without port") << QByteArray("listen = 127.0.0.1\n") << "" << "" << "" << ""
                                             << ":1: [server] listen: '127.0.0.1' is not HOST:PORT";
        QTest::newRow("listen port too big") << QByteArray("[server]\nlisten = 127.0.0.1:70000\n") << "" << "" << ""
                                             << "" << ":2: [server] listen: '127.0.0.1:70000' has no valid port";
        QTest::newRow("listen bad host") << QByteArray() << "HERALD_LISTEN" << "exa mple:1" << "" << ""
                                         << "environment HERALD_LISTEN: 'exa mple' is not an IP address";
        QTest::newRow("int not a number") << QByteArray("[limits]\nmax_body_bytes = lots\n") << "" << "" << "" << ""
                                          << ":2: [limits] max_body_bytes: 'lots' is not a whole number";
        QTest::newRow("int out of range") << QByteArray() << "" << "" << "max-body-bytes" << "10"
                                          << "--max-body-bytes: 10 is out of range (1024 to 16777216)";
        QTest::newRow("int overflow") << QByteArray() << "HERALD_HEARTBEAT_SECS" << "99999999999999999999" << ""
                                      << "" << "environment HERALD_HEARTBEAT_SECS: '99999999999999999999' is not";
        QTest::newRow("request timeout zero") << QByteArray("[limits]\nrequest_timeout_secs = 0\n") << "" << "" << ""
                                              << "" << ":2: [limits] request_timeout_secs: 0 is out of range (1 to 600)";
        QTest::newRow("request timeout text") << QByteArray() << "" << "" << "request-timeout-secs" << "10s"
                                              << "--request-timeout-secs: '10s' is not a whole number";
        QTest::newRow("held pushes negative") << QByteArray("[dispatch]\nheld_pushes = -1\n") << "" << "" << ""
                                              << "" << ":2: [dispatch] held_pushes: -1 is out of range (0 to 10000000)";
        QTest::newRow("held pushes huge") << QByteArray() << "HERALD_HELD_PUSHES" << "99999999999" << "" << ""
                                          << "environment HERALD_HELD_PUSHES: 99999999999 is out of range";
        QTest::newRow("group window negative") << QByteArray("[dispatch]\ngroup_window_secs = -5\n") << "" << "" << ""
                                               << "" << ":2: [dispatch] group_window_secs: -5 is out of range (0 to 86400)";
        QTest::newRow("group window text") << QByteArray() << "HERALD_GROUP_WINDOW_SECS" << "2min" << "" << ""
                                           << "environment HERALD_GROUP_WINDOW_SECS: '2min' is not a whole number";
        QTest::newRow("group window over a day") << QByteArray() << "" << "" << "group-window-secs" << "86401"
                                                 << "--group-window-secs: 86401 is out of range (0 to 86400)";
        QTest::newRow("enum") << QByteArray("[dispatch]\ntarget_policy = some\n") << "" << "" << "" << ""
                              << "target_policy: 'some' is not one of: latest, all";
        QTest::newRow("durability") << QByteArray("[database]\ndurability = FULL\n") << "" << "" << "" << ""
                                    << ":2: [database] durability: 'FULL' is not one of: process, power";
        QTest::newRow("durability empty") << QByteArray() << "HERALD_DATABASE_DURABILITY" << "" << "" << ""
                                          << "environment HERALD_DATABASE_DURABILITY: '' is not one of: process, power";
        QTest::newRow("durability hostile") << QByteArray() << "" << "" << "database-durability" << "power\n"
                                            << "--database-durability: 'power\n' is not one of: process, power";
        QTest::newRow("reading connections zero") << QByteArray("[database]\nreading_connections = 0\n") << "" << ""
                                                  << "" << "" << ":2: [database] reading_connections: 0 is out of range (1 to 64)";
        QTest::newRow("reading connections text") << QByteArray() << "HERALD_DATABASE_READING_CONNECTIONS" << "two"
                                                  << "" << "" << "environment HERALD_DATABASE_READING_CONNECTIONS: 'two' is not a whole number";
        QTest::newRow("reading connections huge") << QByteArray() << "" << "" << "database-reading-connections"
                                                  << "99999999999999999999" << "--database-reading-connections:";
        QTest::newRow("backend") << QByteArray() << "" << "" << "database" << "oracle"
                                 << "--database: 'oracle' is not one of: sqlite";
        QTest::newRow("unknown key") << QByteArray("[server]\nlisten = 127.0.0.1:1\nlisten_port = 4\n") << "" << ""
                                     << "" << "" << ":3: unknown setting 'listen_port' in [server]";
        QTest::newRow("unknown section") << QByteArray("[servre]\nlisten = 127.0.0.1:1\n") << "" << "" << "" << ""
                                         << "unknown section [servre]";
        QTest::newRow("duplicate key") << QByteArray("[server]\nlisten = 127.0.0.1:1\nlisten = 127.0.0.1:2\n") << ""
                                       << "" << "" << "" << ":3: 'listen' is already set in [server] on line 2";
        QTest::newRow("no equals") << QByteArray("[server]\njust words\n") << "" << "" << "" << ""
                                   << ":2: expected 'key = value'";
        QTest::newRow("bad header") << QByteArray("[server\n") << "" << "" << "" << ""
                                    << ":1: malformed section header";
        QTest::newRow("unterminated quote") << QByteArray("[server]\ndata_dir = \"/tmp/x\n") << "" << "" << "" << ""
                                            << ":2: unterminated quoted value";
        QTest::newRow("not utf8") << QByteArray("[server]\ndata_dir = /tmp/\xff\xfe\n") << "" << "" << "" << ""
                                  << "file is not valid UTF-8";
        QTest::newRow("binary") << QByteArray("[server]\n\0\0\0", 12) << "" << "" << "" << ""
                                << "file contains NUL bytes";
        QTest::newRow("empty path") << QByteArray("[server]\ndata_dir =\n") << "" << "" << "" << ""
                                    << "data_dir: a path is required";
        QTest::newRow("empty credential key") << QByteArray() << "HERALD_CREDENTIAL_KEY_FILE" << "" << "" << ""
                                              << "HERALD_CREDENTIAL_KEY_FILE: a path is required";
        QTest::newRow("cert without key") << QByteArray("[tls]\ncert_file = /tmp/c.pem\n") << "" << "" << "" << ""
                                          << "[tls] cert_file and key_file must be given together";
        QTest::newRow("huge rules") << QByteArray() << "" << "" << "log-rules" << QString(5000, QLatin1Char('a'))
                                    << "--log-rules: rules longer than 4096 characters";
        QTest::newRow("rate without unit") << QByteArray("[limits]\nregister_per_address = 20\n") << "" << "" << ""
                                           << "" << "[limits] register_per_address: '20' is not RATE/UNIT";
        QTest::newRow("rate zero burst") << QByteArray() << "HERALD_LIMIT_EVENTS_PER_SOURCE" << "5/s burst 0" << ""
                                         << "" << "the burst at least 1";
        QTest::newRow("exempt not an address") << QByteArray() << "" << "" << "limit-exempt-addresses"
                                               << "127.0.0.1, example.com" << "'example.com' is not an address";
        QTest::newRow("password workers negative") << QByteArray("[limits]\npassword_workers = -1\n") << "" << ""
                                                   << "" << "" << "out of range";
        QTest::newRow("node heartbeat zero") << QByteArray("[cluster]\nheartbeat_secs = 0\n") << "" << "" << "" << ""
                                             << "out of range";
        QTest::newRow("node timeout not a number") << QByteArray() << "HERALD_NODE_TIMEOUT_SECS" << "1m" << "" << ""
                                                   << "HERALD_NODE_TIMEOUT_SECS";
        QTest::newRow("node timeout within two heartbeats")
            << QByteArray("[cluster]\nheartbeat_secs = 10\n") << "" << "" << "node-timeout-secs" << "20"
            << "must be more than twice heartbeat_secs";
    }

    void cluster()
    {
        ServerConfig c;
        QString error;
        QVERIFY2(load({}, {}, QProcessEnvironment(), &c, &error), qPrintable(error));
        QCOMPARE(c.dispatch.nodeHeartbeatSecs, 10);
        QCOMPARE(c.dispatch.nodeTimeoutSecs, 60);
        const QString file = writeIni("[cluster]\nheartbeat_secs = 2\nnode_timeout_secs = 9\n");
        ServerConfig d;
        QVERIFY2(load(file, {}, QProcessEnvironment(), &d, &error), qPrintable(error));
        QCOMPARE(d.dispatch.nodeHeartbeatSecs, 2);
        QCOMPARE(d.dispatch.nodeTimeoutSecs, 9);
    }

    void limits()
    {
        ServerConfig c;
        QString error;
        QVERIFY2(load({}, {}, QProcessEnvironment(), &c, &error), qPrintable(error));
        QCOMPARE(c.limits.registerPerAddress.toString(), QStringLiteral("20/s burst 600"));
        QCOMPARE(c.limits.registerPerAccount.toString(), QStringLiteral("10/min"));
        QCOMPARE(c.limits.eventsPerSource.toString(), QStringLiteral("2000/s burst 10000"));
        QCOMPARE(c.limits.exemptAddresses.size(), 2);
        QCOMPARE(c.passwordWorkers, 0);
        QCOMPARE(c.passwordQueue, 64);
        QCOMPARE(c.lastSeenIntervalSecs, 30);

        const QString file = writeIni("[limits]\nlogin_per_account = off\nsession_per_address = 5/min burst 2\n"
                                      "exempt_addresses = none\npassword_queue = 3\n");
        QHash<QString, QString> cli{{QStringLiteral("limit-exempt-addresses"), QStringLiteral("10.0.0.0/8, ::1")}};
        ServerConfig d;
        QVERIFY2(load(file, cli, QProcessEnvironment(), &d, &error), qPrintable(error));
        QVERIFY(!d.limits.loginPerAccount.enabled());
        QCOMPARE(d.limits.sessionPerAddress.burst, 2.0);
        QCOMPARE(d.passwordQueue, 3);
        QCOMPARE(d.limits.exemptAddresses.size(), 2); // the command line wins over the file's "none"
        QVERIFY(QHostAddress(QStringLiteral("10.1.2.3")).isInSubnet(d.limits.exemptAddresses.first()));
    }

    void badValues()
    {
        QFETCH(QByteArray, ini);
        QFETCH(QString, envName);
        QFETCH(QString, envValue);
        QFETCH(QString, cliName);
        QFETCH(QString, cliValue);
        QFETCH(QString, expected);
        const QString file = ini.isEmpty() ? QString() : writeIni(ini);
        QProcessEnvironment env;
        if (!envName.isEmpty())
            env.insert(envName, envValue);
        QHash<QString, QString> cli;
        if (!cliName.isEmpty())
            cli.insert(cliName, cliValue);
        ServerConfig c;
        c.session.heartbeatSecs = 77; // must stay untouched on failure
        QString error;
        QVERIFY(!load(file, cli, env, &c, &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        if (!file.isEmpty() && expected.startsWith(QLatin1Char(':')))
            QVERIFY2(error.startsWith(file), qPrintable(error));
        QCOMPARE(c.session.heartbeatSecs, 77);
    }

    void missingAndOversizedFiles()
    {
        ServerConfig c;
        QString error;
        QVERIFY(!load(m_dir.filePath(QStringLiteral("nope.ini")), {}, QProcessEnvironment(), &c, &error));
        QVERIFY2(error.contains(QStringLiteral("nope.ini: cannot read")), qPrintable(error));
        const QString big = writeIni(QByteArray(IniFile::MaxFileBytes + 10, '#'));
        QVERIFY(!load(big, {}, QProcessEnvironment(), &c, &error));
        QVERIFY2(error.contains(QStringLiteral("larger than")), qPrintable(error));
    }

    void iniDetails()
    {
        IniFile ini;
        QVERIFY(ini.parse("# comment\n; other\nlisten = 1\n\n[A.b-c]\nKey = \"  spaced, with = signs  \"\r\n", "t"));
        QCOMPARE(ini.sections().value(QStringLiteral("server")).value(QStringLiteral("listen")).value,
                 QStringLiteral("1"));
        QCOMPARE(ini.sections().value(QStringLiteral("a.b-c")).value(QStringLiteral("key")).value,
                 QStringLiteral("  spaced, with = signs  "));
        QCOMPARE(ini.sections().value(QStringLiteral("a.b-c")).value(QStringLiteral("key")).line, 6);
        QVERIFY(!ini.parse("[s]\nbad key = 1\n", "t"));
        QCOMPARE(ini.errorString(), QStringLiteral("t:2: invalid key 'bad key'"));
    }

    void commandLine()
    {
        CommandLine cl;
        QString error;
        QVERIFY(cl.parse({QStringLiteral("herald-server"), QStringLiteral("--config"), QStringLiteral("/x.ini"),
                          QStringLiteral("--listen"), QStringLiteral("127.0.0.1:9"), QStringLiteral("--foreground"),
                          QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("bob")},
                         &error));
        QCOMPARE(cl.action, CommandLine::Action::Subcommand);
        QCOMPARE(cl.configFile, QStringLiteral("/x.ini"));
        QCOMPARE(cl.values.value(QStringLiteral("listen")), QStringLiteral("127.0.0.1:9"));
        QVERIFY(cl.foreground);
        QCOMPARE(cl.subcommand, QStringList({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("bob")}));

        CommandLine unknown;
        QVERIFY(!unknown.parse({QStringLiteral("herald-server"), QStringLiteral("--lisen=1")}, &error));
        QVERIFY2(error.contains(QStringLiteral("lisen")), qPrintable(error));
        CommandLine missingValue;
        QVERIFY(!missingValue.parse({QStringLiteral("herald-server"), QStringLiteral("--data-dir")}, &error));
        QVERIFY2(error.contains(QStringLiteral("data-dir")), qPrintable(error));
        CommandLine twice;
        QVERIFY(!twice.parse({QStringLiteral("herald-server"), QStringLiteral("--listen=a:1"),
                              QStringLiteral("--listen=b:2")},
                             &error));
        QVERIFY2(error.contains(QStringLiteral("more than once")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(tst_ConfigLoader)
#include "tst_configloader.moc"
