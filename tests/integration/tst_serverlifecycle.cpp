// herald-server as a process: the self-signed certificate is made once and reused, SIGTERM shuts
// down cleanly, bad command lines and configs exit 2 with a clear message, the daemon mode reports
// start-up and writes its pid file, and the `user` subcommands work from scripts.
#include "HttpsClient.h"
#include "TestDatabase.h"
#include "ServerProcess.h"
#include "TestPaths.h"
#include "http/TlsIdentity.h"

#include <QTcpServer>

#include <QFile>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace herald::test;

namespace {

QString readFile(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return QString::fromUtf8(f.readAll());
}

ServerProcess::Result runServer(const QStringList &args, const QByteArray &input = {},
                                const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(serverBinary(), args);
    process.waitForStarted();
    process.write(input);
    process.closeWriteChannel();
    ServerProcess::Result r;
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        return r;
    }
    r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    r.out = QString::fromUtf8(process.readAllStandardOutput());
    r.err = QString::fromUtf8(process.readAllStandardError());
    return r;
}

} // namespace

class tst_ServerLifecycle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void certificateIsGeneratedOnceAndReused()
    {
        ServerProcess server;
        QVERIFY(server.start());
        const QString firstPem = readFile(server.certificatePath());
        QVERIFY(firstPem.startsWith(QStringLiteral("-----BEGIN CERTIFICATE-----")));
        const QSslCertificate cert = server.caCertificates().value(0);
        QCOMPARE(cert.publicKey().algorithm(), QSsl::Ec);
        QVERIFY(cert.subjectAlternativeNames().values(QSsl::DnsEntry).contains(QStringLiteral("localhost")));
        const QString fingerprint = QString::fromLatin1(cert.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
        QVERIFY2(server.output().contains(fingerprint), qPrintable(server.output()));
        QCOMPARE(QFile::permissions(server.dataDir() + QStringLiteral("/tls/herald-key.pem")),
                 QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser | QFileDevice::WriteUser);
        // The first run prints the admin console password once.
        QTRY_VERIFY(server.output().contains(QStringLiteral("Console account 'admin' created with password")));
        HttpsClient client(server.baseUrl(), server.caCertificates());
        QCOMPARE(client.get(QStringLiteral("/healthz")).status, 200);
        QCOMPARE(server.stop(), 0);

        QVERIFY(server.start());
        QCOMPARE(readFile(server.certificatePath()), firstPem);
        QVERIFY(server.output().contains(fingerprint));
        QVERIFY(!server.output().contains(QStringLiteral("generated a self-signed certificate")));
        QVERIFY(!server.output().contains(QStringLiteral("created with password")));
        // Verification against the stored certificate still succeeds, i.e. the server presents it.
        HttpsClient again(server.baseUrl(), server.caCertificates());
        QCOMPARE(again.get(QStringLiteral("/healthz")).status, 200);
        QCOMPARE(server.stop(), 0);
        QVERIFY(server.output().contains(QStringLiteral("shutting down")));
    }

    void untrustedClientsFailTls()
    {
        ServerProcess server;
        QVERIFY(server.start());
        HttpsClient stranger(server.baseUrl(), {}); // trusts nothing
        const auto reply = stranger.get(QStringLiteral("/healthz"));
        QCOMPARE(reply.status, 0);
        QVERIFY(!reply.networkError.isEmpty());
    }

    void configuredCertificate()
    {
        QTemporaryDir dir;
        const QString cert = dir.filePath(QStringLiteral("c.pem"));
        const QString key = dir.filePath(QStringLiteral("k.pem"));
        QString error;
        QVERIFY(herald::TlsIdentity::generateSelfSigned(cert, key, &error));
        ServerProcess server;
        QVERIFY(server.start({QStringLiteral("--tls-cert"), cert, QStringLiteral("--tls-key"), key}));
        QVERIFY(!QFile::exists(server.certificatePath())); // nothing generated
        HttpsClient client(server.baseUrl(), QSslCertificate::fromPath(cert));
        QCOMPARE(client.get(QStringLiteral("/healthz")).status, 200);
        QCOMPARE(server.stop(), 0);

        // A key that does not belong to the certificate, a missing file and garbage all fail clearly.
        const QString otherKey = dir.filePath(QStringLiteral("k2.pem"));
        QVERIFY(herald::TlsIdentity::generateSelfSigned(dir.filePath(QStringLiteral("c2.pem")), otherKey, &error));
        const QString garbage = dir.filePath(QStringLiteral("garbage.pem"));
        QFile g(garbage);
        QVERIFY(g.open(QIODevice::WriteOnly));
        g.write("-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        g.close();
        const QList<QPair<QStringList, QString>> bad{
            {{cert, otherKey}, QStringLiteral("does not belong to the certificate")},
            {{dir.filePath(QStringLiteral("none.pem")), key}, QStringLiteral("cannot read TLS certificate")},
            {{garbage, key}, QStringLiteral("holds no PEM certificate")},
            {{cert, garbage}, QStringLiteral("holds no unencrypted PEM")},
        };
        for (const auto &[files, expected] : bad) {
            const auto r = runServer(ServerProcess::commonArgs(dir.filePath(QStringLiteral("d"))) +
                                     QStringList{QStringLiteral("--foreground"), QStringLiteral("--listen"),
                                                 QStringLiteral("127.0.0.1:0"), QStringLiteral("--tls-cert"),
                                                 files[0], QStringLiteral("--tls-key"), files[1]});
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains(expected), qPrintable(r.err));
        }
    }

    void sigintAlsoStopsCleanly()
    {
        ServerProcess server;
        QVERIFY(server.start());
        ::kill(pid_t(server.process().processId()), SIGINT);
        QVERIFY(server.process().waitForFinished(10000));
        QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(server.process().exitCode(), 0);
    }

    void aCleanStopLeavesTheNodesTable()
    {
        // So that other nodes on the database take its deliveries over at once, and without a
        // warning: stop() runs again from the destructor, with the database closed by then.
        ServerProcess server;
        QVERIFY(server.start());
        QString error;
        {
            const auto storage = TestDatabase::open(server.dataDir(), &error);
            QVERIFY2(storage, qPrintable(error));
            // The entry is written under group commit: it may land just after "listening on".
            QTRY_COMPARE(storage->liveNodes(0).value_or(QList<herald::Storage::NodeRun>()).size(), 1);
        }
        QCOMPARE(server.stop(), 0);
        const QString output = server.output();
        QVERIFY2(!output.contains(QLatin1String("cannot leave the nodes table")), qPrintable(output));
        const auto storage = TestDatabase::open(server.dataDir(), &error);
        QVERIFY2(storage, qPrintable(error));
        QCOMPARE(storage->liveNodes(0)->size(), 0);
    }

    void badCommandLines_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--frobnicate")} << 2 << "Unknown option 'frobnicate'";
        QTest::newRow("bad listen") << QStringList{QStringLiteral("--listen"), QStringLiteral("nonsense")} << 2 << "--listen: 'nonsense' is not HOST:PORT";
        QTest::newRow("missing config") << QStringList{QStringLiteral("--config"), QStringLiteral("/nonexistent/h.ini")} << 2 << "/nonexistent/h.ini: cannot read";
        QTest::newRow("unknown command") << QStringList{QStringLiteral("launch-missiles")} << 2 << "unknown command 'launch-missiles'";
        QTest::newRow("user without verb") << QStringList{QStringLiteral("user")} << 2 << "usage: herald-server user";
        QTest::newRow("user add without name") << QStringList{QStringLiteral("user"), QStringLiteral("add")} << 2 << "usage: herald-server user add NAME";
        QTest::newRow("user bad name") << QStringList{QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("bad name;rm")} << 2 << "is not a valid account name";
        QTest::newRow("port in use") << QStringList{QStringLiteral("--foreground"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%PORT%")} << 1 << "cannot listen on 127.0.0.1:";
    }

    void badCommandLines()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QTcpServer occupied;
        QVERIFY(occupied.listen(QHostAddress::LocalHost));
        args.replaceInStrings(QStringLiteral("%PORT%"), QString::number(occupied.serverPort()));
        QTemporaryDir dir;
        const auto r = runServer(ServerProcess::commonArgs(dir.path()) + args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    void badConfigFileExitsWithItsLine()
    {
        QTemporaryDir dir;
        const QString ini = dir.filePath(QStringLiteral("herald.ini"));
        QFile f(ini);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("[server]\nlisten = 127.0.0.1:0\n[session]\nheartbeat_secs = soon\n");
        f.close();
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HERALD_CONFIG"), ini);
        const auto r = runServer({QStringLiteral("--foreground")}, {}, env);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(ini + QStringLiteral(":4: [session] heartbeat_secs: 'soon' is not a whole number")),
                 qPrintable(r.err));
    }

    void eventDispatcherChoice()
    {
        // HERALD_EVENT_DISPATCHER: epoll (the default on Linux) or qt; anything else stops the start.
        QTemporaryDir dir;
        for (const QByteArray &bad : {QByteArray("bogus"), QByteArray(10000, 'x'), QByteArray("EPOLL")}) {
            auto env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("HERALD_EVENT_DISPATCHER"), QString::fromLatin1(bad));
            const auto r = runServer(ServerProcess::commonArgs(dir.path()) + QStringList{QStringLiteral("--foreground")},
                                     {}, env);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(QStringLiteral("HERALD_EVENT_DISPATCHER must be 'epoll' or 'qt'")), qPrintable(r.err));
            QVERIFY(r.err.size() < 400); // an oversized value is cut in the message
        }
        // Qt's own dispatcher stays available as the fallback, and serves.
        qputenv("HERALD_EVENT_DISPATCHER", "qt");
        ServerProcess server;
        const bool started = server.start();
        qunsetenv("HERALD_EVENT_DISPATCHER");
        QVERIFY(started);
        HttpsClient client(server.baseUrl(), server.caCertificates());
        QCOMPARE(client.get(QStringLiteral("/healthz")).status, 200);
        QCOMPARE(server.stop(), 0);
    }

    void versionAndHelp()
    {
        const auto version = runServer({QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith(QStringLiteral("herald-server ")));
        const auto help = runServer({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(QStringLiteral("HERALD_DATA_DIR")));
        QVERIFY(help.out.contains(QStringLiteral("user add NAME")));
    }

    void daemonModeWritesPidFileAndReportsFailures()
    {
        QTemporaryDir dir;
        const QString data = dir.filePath(QStringLiteral("d"));
        const auto started = runServer(ServerProcess::commonArgs(data) +
                                       QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
        QCOMPARE(started.exitCode, 0); // the parent returns once the child listens
        const QString pidFile = data + QStringLiteral("/herald.pid");
        const qint64 pid = readFile(pidFile).trimmed().toLongLong();
        QVERIFY(pid > 0);
        QVERIFY(readFile(data + QStringLiteral("/herald.log")).contains(QStringLiteral("listening on")));
        QCOMPARE(::kill(pid_t(pid), SIGTERM), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(pidFile), 10000);

        // A start-up failure in the detached child reaches the caller's terminal and exit code.
        QTcpServer occupied;
        QVERIFY(occupied.listen(QHostAddress::LocalHost));
        const auto failed = runServer(ServerProcess::commonArgs(data) +
                                      QStringList{QStringLiteral("--listen"),
                                                  QStringLiteral("127.0.0.1:%1").arg(occupied.serverPort())});
        QCOMPARE(failed.exitCode, 1);
        QVERIFY2(failed.err.contains(QStringLiteral("cannot listen")), qPrintable(failed.err));
    }

    void userCommands()
    {
        ServerProcess server; // not started: the commands work on the data folder alone
        QVERIFY(server.addUser(QStringLiteral("erin"), QStringLiteral("first-password")));
        auto dup = server.runCommand({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("erin")},
                                     "another-password\n");
        QCOMPARE(dup.exitCode, 1);
        QVERIFY(dup.err.contains(QStringLiteral("already exists")));
        auto shortPw = server.runCommand({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("frank")}, "short\n");
        QCOMPARE(shortPw.exitCode, 1);
        QVERIFY(shortPw.err.contains(QStringLiteral("at least 8")));
        auto noInput = server.runCommand({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("frank")});
        QCOMPARE(noInput.exitCode, 1);
        QVERIFY(noInput.err.contains(QStringLiteral("nothing was read")));
        auto huge = server.runCommand({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("frank")},
                                      QByteArray(100000, 'x'));
        QCOMPARE(huge.exitCode, 1);
        QVERIFY(huge.err.contains(QStringLiteral("longer than")));
        auto missing = server.runCommand({QStringLiteral("user"), QStringLiteral("passwd"), QStringLiteral("ghost")},
                                         "some-password\n");
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains(QStringLiteral("no account named 'ghost'")));

        QCOMPARE(server.runCommand({QStringLiteral("user"), QStringLiteral("disable"), QStringLiteral("erin")}).exitCode, 0);
        auto list = server.runCommand({QStringLiteral("user"), QStringLiteral("list")});
        QCOMPARE(list.exitCode, 0);
        QVERIFY2(list.out.startsWith(QStringLiteral("erin\tdisabled\t")), qPrintable(list.out));
        QVERIFY(!list.out.contains(QStringLiteral("frank")));
        QCOMPARE(server.runCommand({QStringLiteral("user"), QStringLiteral("enable"), QStringLiteral("erin")}).exitCode, 0);

        // passwd takes effect for registration, and the password is never stored in clear.
        QCOMPARE(server.runCommand({QStringLiteral("user"), QStringLiteral("passwd"), QStringLiteral("erin")},
                                   "second-password\n").exitCode, 0);
        const QByteArray dbBytes = TestDatabase::contents(server.dataDir());
        QVERIFY(!dbBytes.isEmpty());
        QVERIFY(!dbBytes.contains("second-password"));
        QVERIFY(server.start());
        HttpsClient client(server.baseUrl(), server.caCertificates());
        auto body = [](const QString &password) {
            return QJsonObject{{QStringLiteral("username"), QStringLiteral("erin")},
                               {QStringLiteral("password"), password},
                               {QStringLiteral("device"), QJsonObject{{QStringLiteral("id"), QStringLiteral("pc")},
                                                                      {QStringLiteral("platform"), QStringLiteral("desktop")}}}};
        };
        QCOMPARE(client.post(QStringLiteral("/v1/register"), body(QStringLiteral("first-password"))).status, 401);
        QCOMPARE(client.post(QStringLiteral("/v1/register"), body(QStringLiteral("second-password"))).status, 201);
        // While the server runs, user commands still work (SQLite WAL + busy timeout).
        QVERIFY(server.addUser(QStringLiteral("grace"), QStringLiteral("grace-password")));
        QCOMPARE(server.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_ServerLifecycle)
#include "tst_serverlifecycle.moc"
