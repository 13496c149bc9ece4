// herald-server under a service manager: the sd_notify protocol on a real NOTIFY_SOCKET (a unix
// datagram socket this test owns, as systemd would), journal-friendly log lines when stderr is
// the JOURNAL_STREAM, and SIGHUP reloads: a renewed certificate for new handshakes while open
// connections keep theirs, log rules and privacy levels re-applied, bad files refused loudly.
#include "HttpsClient.h"
#include "ServerProcess.h"
#include "TestPaths.h"
#include "app/SystemdNotifier.h"
#include "http/TlsIdentity.h"

#include <QFile>
#include <QSocketNotifier>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace herald::test;

namespace {

// The receiving end of sd_notify: one datagram per state change.
class NotifySocket
{
public:
    explicit NotifySocket(const QString &path)
        : m_path(path)
    {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address = {};
        address.sun_family = AF_UNIX;
        const QByteArray native = QFile::encodeName(path);
        if (m_fd < 0 || size_t(native.size()) >= sizeof address.sun_path)
            return;
        std::memcpy(address.sun_path, native.constData(), size_t(native.size()));
        if (::bind(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
            return;
        m_notifier = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Read);
        QObject::connect(m_notifier.get(), &QSocketNotifier::activated, [this] {
            char buffer[4096];
            const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
            if (n > 0)
                m_messages << QString::fromUtf8(buffer, int(n));
        });
    }
    ~NotifySocket()
    {
        m_notifier.reset();
        if (m_fd >= 0)
            ::close(m_fd);
    }
    bool isValid() const { return m_notifier != nullptr; }
    QStringList messages() const { return m_messages; }
    int count(const QString &prefix) const
    {
        int n = 0;
        for (const QString &m : m_messages)
            n += m.startsWith(prefix) ? 1 : 0;
        return n;
    }

private:
    QString m_path;
    int m_fd = -1;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QStringList m_messages;
};

// A keep-alive HTTPS connection that stays open across a reload.
struct OpenConnection
{
    QSslSocket socket;

    bool open(quint16 port)
    {
        socket.setPeerVerifyMode(QSslSocket::VerifyNone); // this test looks at which certificate, not trust
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        return socket.waitForEncrypted(10000);
    }
    int healthz()
    {
        socket.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
        QByteArray reply;
        while (!reply.contains("\r\n\r\n") || !reply.contains("}")) {
            if (!socket.waitForReadyRead(10000))
                return 0;
            reply += socket.readAll();
        }
        return reply.startsWith("HTTP/1.1 200") ? 200 : -1;
    }
};

QSslCertificate certificateOf(const QString &path)
{
    return QSslCertificate::fromPath(path).value(0);
}

QSslCertificate handshakeCertificate(quint16 port)
{
    OpenConnection c;
    if (!c.open(port))
        return {};
    return c.socket.peerCertificate();
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

} // namespace

class tst_ServiceLifecycle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readyWatchdogReloadingStopping()
    {
        if (!herald::SystemdNotifier::compiledIn())
            QSKIP("built without libsystemd (HERALD_WITH_SYSTEMD=OFF)");
        QTemporaryDir dir;
        NotifySocket notify(dir.filePath(QStringLiteral("notify")));
        QVERIFY(notify.isValid());
        ServerProcess server;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("NOTIFY_SOCKET"), dir.filePath(QStringLiteral("notify")));
        env.insert(QStringLiteral("WATCHDOG_USEC"), QStringLiteral("400000")); // pings every 200 ms
        server.process().setProcessEnvironment(env);
        QVERIFY(server.start());
        // READY=1 comes once the listener is up and storage open: after "listening", never before.
        QTRY_COMPARE(notify.count(QStringLiteral("READY=1")), 1);
        QVERIFY2(notify.messages().first().startsWith(QStringLiteral("READY=1\nSTATUS=listening on port ")),
                 qPrintable(notify.messages().join(QLatin1Char('|'))));
        QVERIFY(notify.messages().first().endsWith(QString::number(server.port())));
        QTRY_VERIFY_WITH_TIMEOUT(notify.count(QStringLiteral("WATCHDOG=1")) >= 3, 10000);
        QVERIFY(server.output().contains(QStringLiteral("systemd watchdog: pinging every 200 ms")));

        // A reload is announced, and readiness comes back when it is done.
        ::kill(pid_t(server.process().processId()), SIGHUP);
        QTRY_COMPARE(notify.count(QStringLiteral("RELOADING=1")), 1);
        QTRY_COMPARE(notify.count(QStringLiteral("READY=1")), 2);
        QTRY_VERIFY(server.output().contains(QStringLiteral("reload done")));

        const int pingsBefore = notify.count(QStringLiteral("WATCHDOG=1"));
        QTRY_VERIFY_WITH_TIMEOUT(notify.count(QStringLiteral("WATCHDOG=1")) > pingsBefore, 10000);
        QCOMPARE(server.stop(), 0);
        QTRY_COMPARE(notify.count(QStringLiteral("STOPPING=1")), 1);
        QCOMPARE(notify.messages().filter(QStringLiteral("STOPPING=1")).size(), 1);
        QVERIFY(notify.messages().indexOf(QStringLiteral("STOPPING=1")) > notify.messages().lastIndexOf(QStringLiteral("WATCHDOG=1")));
    }

    void noWatchdogWithoutWatchdogUsecOrForAnotherPid()
    {
        if (!herald::SystemdNotifier::compiledIn())
            QSKIP("built without libsystemd (HERALD_WITH_SYSTEMD=OFF)");
        QTemporaryDir dir;
        NotifySocket notify(dir.filePath(QStringLiteral("notify")));
        QVERIFY(notify.isValid());
        ServerProcess server;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("NOTIFY_SOCKET"), dir.filePath(QStringLiteral("notify")));
        env.insert(QStringLiteral("WATCHDOG_USEC"), QStringLiteral("400000"));
        env.insert(QStringLiteral("WATCHDOG_PID"), QStringLiteral("1")); // meant for another process
        server.process().setProcessEnvironment(env);
        QVERIFY(server.start());
        QTRY_COMPARE(notify.count(QStringLiteral("READY=1")), 1);
        ::kill(pid_t(server.process().processId()), SIGHUP);
        QTRY_COMPARE(notify.count(QStringLiteral("READY=1")), 2); // a few watchdog periods have passed by now
        QCOMPARE(notify.count(QStringLiteral("WATCHDOG=1")), 0);
        QVERIFY(!server.output().contains(QStringLiteral("systemd watchdog")));
    }

    void journalLinesCarryPriorityNotTime()
    {
        QTemporaryDir dir;
        const QString logPath = dir.filePath(QStringLiteral("stderr.log"));
        writeFile(logPath, {});
        struct stat st = {};
        QCOMPARE(::stat(QFile::encodeName(logPath).constData(), &st), 0);
        for (const bool matching : {true, false}) {
            QProcess process;
            auto env = QProcessEnvironment::systemEnvironment();
            // systemd names the stream it gave as stderr; a stale value (stderr redirected since) is ignored.
            env.insert(QStringLiteral("JOURNAL_STREAM"),
                       QStringLiteral("%1:%2").arg(st.st_dev).arg(matching ? qulonglong(st.st_ino) : qulonglong(st.st_ino) + 1));
            process.setProcessEnvironment(env);
            process.setStandardOutputFile(QProcess::nullDevice());
            process.setStandardErrorFile(logPath, QIODevice::Truncate);
            process.start(serverBinary(), ServerProcess::commonArgs(dir.filePath(QStringLiteral("data")))
                                              << QStringLiteral("--foreground") << QStringLiteral("--listen")
                                              << QStringLiteral("127.0.0.1:0"));
            QVERIFY(process.waitForStarted());
            QTRY_VERIFY_WITH_TIMEOUT(readFile(logPath).contains("listening on https://"), 20000);
            process.terminate();
            QVERIFY(process.waitForFinished(10000));
            const QList<QByteArray> lines = readFile(logPath).split('\n');
            const QByteArray listening = *std::find_if(lines.begin(), lines.end(),
                                                       [](const QByteArray &l) { return l.contains("listening on"); });
            if (matching) {
                QVERIFY2(listening.startsWith("<6>herald.app: listening on https://127.0.0.1:"), listening.constData());
            } else {
                QVERIFY2(QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3} info herald.app: "))
                             .match(QString::fromUtf8(listening)).hasMatch(),
                         listening.constData());
            }
        }
    }

    void sighupRenewsTheCertificateForNewHandshakesOnly()
    {
        QTemporaryDir dir;
        const QString cert = dir.filePath(QStringLiteral("cert.pem"));
        const QString key = dir.filePath(QStringLiteral("key.pem"));
        QString error;
        QVERIFY(herald::TlsIdentity::generateSelfSigned(cert, key, &error));
        const QSslCertificate first = certificateOf(cert);
        const QString ini = dir.filePath(QStringLiteral("herald.ini"));
        writeFile(ini, QStringLiteral("[tls]\ncert_file = %1\nkey_file = %2\n[app.mail]\nprivacy = full\n").arg(cert, key).toUtf8());

        ServerProcess server;
        QVERIFY(server.start({QStringLiteral("--config"), ini}));
        QCOMPARE(handshakeCertificate(server.port()), first);
        OpenConnection open;
        QVERIFY(open.open(server.port()));
        QCOMPARE(open.healthz(), 200);

        // Renewal: new files in place, then SIGHUP.
        const QString renewedCert = dir.filePath(QStringLiteral("renewed-cert.pem"));
        const QString renewedKey = dir.filePath(QStringLiteral("renewed-key.pem"));
        QVERIFY(herald::TlsIdentity::generateSelfSigned(renewedCert, renewedKey, &error));
        const QSslCertificate second = certificateOf(renewedCert);
        QVERIFY(second != first);
        writeFile(cert, readFile(renewedCert));
        writeFile(key, readFile(renewedKey));
        // Privacy and log rules change in the same reload.
        writeFile(ini, QStringLiteral("[server]\nlog_rules = herald.http.debug=true\n[tls]\ncert_file = %1\nkey_file = %2\n"
                                      "[app.mail]\nprivacy = none\n").arg(cert, key).toUtf8());
        ::kill(pid_t(server.process().processId()), SIGHUP);
        QTRY_VERIFY(server.output().contains(QStringLiteral("reload done")));
        QVERIFY2(server.output().contains(QStringLiteral("TLS certificate renewed")), qPrintable(server.output()));
        QVERIFY(server.output().contains(QStringLiteral("privacy level changed for: mail")));

        QCOMPARE(handshakeCertificate(server.port()), second);
        // The connection opened before the reload is untouched: same socket, still answered.
        QCOMPARE(open.healthz(), 200);
        QCOMPARE(open.socket.peerCertificate(), first);
        QCOMPARE(open.socket.state(), QAbstractSocket::ConnectedState);

        // The new log rule is in force: a rejected request is now logged at debug level.
        HttpsClient client(server.baseUrl(), {second});
        client.raw("BROKEN\r\n\r\n", 3000);
        QTRY_VERIFY(server.output().contains(QStringLiteral("herald.http: rejecting request")));

        // A bad new certificate is refused, logged, and the current one stays.
        writeFile(cert, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        ::kill(pid_t(server.process().processId()), SIGHUP);
        QTRY_VERIFY(server.output().count(QStringLiteral("reload done")) == 2);
        QVERIFY(server.output().contains(QStringLiteral("TLS certificate not reloaded, the old one stays:")));
        QCOMPARE(handshakeCertificate(server.port()), second);

        // A configuration that does not load is refused as a whole.
        writeFile(cert, readFile(renewedCert));
        writeFile(ini, "[tls]\ncert_file = \n[nonsense]\n");
        ::kill(pid_t(server.process().processId()), SIGHUP);
        QTRY_VERIFY(server.output().contains(QStringLiteral("configuration not reloaded, the running one stays:")));
        QVERIFY(server.output().contains(QStringLiteral("unknown section [nonsense]")));
        QCOMPARE(handshakeCertificate(server.port()), second);
        QCOMPARE(open.healthz(), 200);
        QCOMPARE(server.stop(), 0);
    }

    void serviceVerbsPointAtSystemdHere()
    {
        // `service ...` drives the Windows SCM; on Linux it says what to use instead, and fails.
        for (const QStringList &args : {QStringList{QStringLiteral("service"), QStringLiteral("install")},
                                        QStringList{QStringLiteral("service"), QStringLiteral("status")},
                                        QStringList{QStringLiteral("service")}}) {
            QTemporaryDir dir;
            QProcess p;
            p.start(serverBinary(), ServerProcess::commonArgs(dir.path()) + args);
            QVERIFY(p.waitForFinished(30000));
            QCOMPARE(p.exitCode(), 2);
            const QString err = QString::fromUtf8(p.readAllStandardError());
            QVERIFY2(err.contains(QStringLiteral("systemctl enable --now herald")), qPrintable(err));
        }
    }

    void badAppSectionOnReloadKeepsTheOldLevels()
    {
        QTemporaryDir dir;
        const QString ini = dir.filePath(QStringLiteral("herald.ini"));
        writeFile(ini, "[app.mail]\nprivacy = full\n");
        ServerProcess server;
        QVERIFY(server.start({QStringLiteral("--config"), ini}));
        writeFile(ini, "[app.mail]\nprivacy = everything-please\n");
        ::kill(pid_t(server.process().processId()), SIGHUP);
        QTRY_VERIFY(server.output().contains(QStringLiteral("reload done")));
        QVERIFY2(server.output().contains(QStringLiteral("app settings not reloaded, the old ones stay:")), qPrintable(server.output()));
        QVERIFY(!server.output().contains(QStringLiteral("privacy level changed")));
        HttpsClient client(server.baseUrl(), server.caCertificates());
        QCOMPARE(client.get(QStringLiteral("/healthz")).status, 200);
    }
};

QTEST_GUILESS_MAIN(tst_ServiceLifecycle)
#include "tst_servicelifecycle.moc"
