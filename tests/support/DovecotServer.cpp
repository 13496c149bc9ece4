#include "DovecotServer.h"

#include "CandidatePort.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QEventLoop>
#include <QFileSystemWatcher>
#include <QTimer>

#include <sys/stat.h>
#include <unistd.h>

namespace herald::test {

namespace {

bool writeFile(const QString &path, const QByteArray &content, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(content) != content.size()) {
        *error = QStringLiteral("cannot write %1").arg(path);
        return false;
    }
    return true;
}

QByteArray encodeWord(const QString &text)
{
    for (QChar c : text) {
        if (c.unicode() >= 0x80)
            return "=?UTF-8?B?" + text.toUtf8().toBase64() + "?=";
    }
    return text.toUtf8();
}
} // namespace

DovecotServer::DovecotServer() : DovecotServer(Options()) {}

DovecotServer::DovecotServer(const Options &options) : m_options(options)
{
    // Dovecot's unprivileged processes (and the mail owner, nobody) must reach into the folder.
    ::chmod(QFile::encodeName(m_dir.path()).constData(), 0755);
}

DovecotServer::~DovecotServer()
{
    stop();
}

QString DovecotServer::dovecotBinary()
{
    QString found = QStandardPaths::findExecutable(QStringLiteral("dovecot"));
    if (found.isEmpty())
        found = QStandardPaths::findExecutable(QStringLiteral("dovecot"),
                                               {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin")});
    return found;
}

void DovecotServer::addUser(const QString &name, const QString &password)
{
    m_users.insert(name, password);
    if (isRunning()) {
        QString ignored;
        writeConfig(&ignored); // passwd-files are re-read when they change
    }
}

void DovecotServer::setMasterUser(const QString &name, const QString &password)
{
    m_masterName = name;
    m_masterPassword = password;
}

QString DovecotServer::caFile() const
{
    return m_options.tls ? path(QStringLiteral("cert.pem")) : QString();
}

bool DovecotServer::makeCertificate(QString *error)
{
    if (QFile::exists(path(QStringLiteral("cert.pem"))))
        return true;
    return runTool(QStringLiteral("openssl"),
                   {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                    QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                    QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=localhost"),
                    QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost"),
                    QStringLiteral("-keyout"), path(QStringLiteral("key.pem")), QStringLiteral("-out"),
                    path(QStringLiteral("cert.pem"))},
                   QByteArray(), error);
}

bool DovecotServer::writeConfig(QString *error)
{
    QByteArray users;
    for (auto it = m_users.cbegin(); it != m_users.cend(); ++it)
        users += it.key().toUtf8() + ":{PLAIN}" + it.value().toUtf8() + "::::::\n";
    QByteArray masters;
    if (!m_masterName.isEmpty())
        masters = m_masterName.toUtf8() + ":{PLAIN}" + m_masterPassword.toUtf8() + "::::::\n";
    if (!writeFile(path(QStringLiteral("users")), users, error)
        || !writeFile(path(QStringLiteral("masters")), masters, error))
        return false;

    const QString d = m_dir.path();
    QString conf;
    conf += QStringLiteral("base_dir = %1/run\nstate_dir = %1/state\nlog_path = %1/dovecot.log\n").arg(d);
    conf += QStringLiteral("protocols = imap\nlisten = 127.0.0.1\n");
    conf += QStringLiteral("disable_plaintext_auth = no\nauth_mechanisms = plain login\n");
    conf += QStringLiteral("auth_master_user_separator = *\nauth_failure_delay = 0\n");
    // Dovecot refuses to run its login processes as root and mail processes as uid 0.
    conf += QStringLiteral("default_internal_user = dovecot\ndefault_internal_group = dovecot\n"
                           "default_login_user = dovenull\nfirst_valid_uid = 1\n");
    conf += QStringLiteral("mail_location = maildir:%1/mail/%u\n").arg(d);
    conf += QStringLiteral("imap_idle_notify_interval = %1 secs\n").arg(m_options.idleNotifySecs);
    conf += QStringLiteral("shutdown_clients = yes\n");
    if (m_options.tls) {
        conf += QStringLiteral("ssl = yes\nssl_cert = <%1/cert.pem\nssl_key = <%1/key.pem\n").arg(d);
    } else {
        conf += QStringLiteral("ssl = no\n");
    }
    conf += QStringLiteral("service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = %1\n  }\n")
                .arg(m_imapPort);
    conf += QStringLiteral("  inet_listener imaps {\n    address = 127.0.0.1\n    port = %1\n%2  }\n")
                .arg(m_imapsPort)
                .arg(m_options.tls ? QStringLiteral("    ssl = yes\n") : QString());
    conf += QStringLiteral("  process_min_avail = 1\n  service_count = 0\n  client_limit = 10000\n  process_limit = 20\n}\n");
    conf += QStringLiteral("service imap {\n  process_limit = %1\n  client_limit = %2\n}\n")
                .arg(m_options.processLimit)
                .arg(m_options.imapClientLimit);
    conf += QStringLiteral("service anvil {\n  client_limit = 20000\n}\n");
    conf += QStringLiteral("service auth {\n  client_limit = 20000\n}\n");
    conf += QStringLiteral("default_client_limit = 20000\ndefault_vsz_limit = 1G\n");
    conf += QStringLiteral("protocol imap {\n  mail_max_userip_connections = %1\n}\n").arg(m_options.maxUserIpConnections);
    conf += QStringLiteral("passdb {\n  driver = passwd-file\n  args = scheme=PLAIN %1/masters\n  master = yes\n}\n").arg(d);
    conf += QStringLiteral("passdb {\n  driver = passwd-file\n  args = scheme=PLAIN %1/users\n}\n").arg(d);
    conf += QStringLiteral("userdb {\n  driver = passwd-file\n  args = %1/users\n"
                           "  default_fields = uid=65534 gid=65534 home=%1/home/%u\n}\n")
                .arg(d);
    conf += m_options.extraConfig + QLatin1Char('\n');
    return writeFile(path(QStringLiteral("dovecot.conf")), conf.toUtf8(), error);
}

bool DovecotServer::start(QString *error)
{
    if (!m_dir.isValid()) {
        *error = QStringLiteral("cannot create a temporary folder");
        return false;
    }
    const QString binary = dovecotBinary();
    if (binary.isEmpty()) {
        *error = QStringLiteral("dovecot is not installed (Debian: apt-get install dovecot-imapd)");
        return false;
    }
    for (const char *sub : {"run", "state", "mail", "home"})
        QDir(m_dir.path()).mkpath(QString::fromLatin1(sub));
    // The mail owner (nobody) creates the maildirs and home folders.
    for (const char *sub : {"mail", "home"}) {
        if (::chown(QFile::encodeName(path(QString::fromLatin1(sub))).constData(), 65534, 65534) != 0 && ::geteuid() == 0) {
            *error = QStringLiteral("cannot hand %1 to nobody").arg(QString::fromLatin1(sub));
            return false;
        }
    }
    // Ports chosen here may be lost to another process before Dovecot binds them; ports kept from
    // an earlier start (a restart) must stay what the test's clients know.
    const bool choosePorts = m_imapPort == 0;
    constexpr int Attempts = 5;
    for (int attempt = 1;; ++attempt) {
        if (choosePorts) {
            m_imapPort = candidatePort();
            m_imapsPort = m_options.tls ? candidatePort() : 0;
            if (m_imapPort == 0 || (m_options.tls && (m_imapsPort == 0 || m_imapsPort == m_imapPort))) {
                *error = QStringLiteral("no free port on 127.0.0.1");
                return false;
            }
        }
        if ((m_options.tls && !makeCertificate(error)) || !writeConfig(error))
            return false;
        const qint64 logStart = QFileInfo(path(QStringLiteral("dovecot.log"))).size(); // a restart appends
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::MergedChannels);
        m_process->start(binary, {QStringLiteral("-F"), QStringLiteral("-c"), path(QStringLiteral("dovecot.conf"))});
        if (!m_process->waitForStarted(10000)) {
            *error = QStringLiteral("cannot start %1: %2").arg(binary, m_process->errorString());
            return false;
        }
        bool portTaken = false;
        if (waitForStartUp(logStart, &portTaken, error) && greets(m_imapPort, error))
            return true;
        const QString output = QString::fromLocal8Bit(m_process->readAll());
        stop();
        if (portTaken && choosePorts && attempt < Attempts)
            continue; // lost a port to someone else between choosing and binding it
        *error += QStringLiteral("\n--- dovecot output:\n%1\n--- log:\n%2").arg(output, log());
        return false;
    }
}

bool DovecotServer::waitForStartUp(qint64 logStart, bool *portTaken, QString *error)
{
    // Dovecot's master binds every listener before it logs "starting up", and exits with "Address
    // already in use" if one is taken: wait for whichever comes first, woken by the log file
    // growing or the process ending.
    QEventLoop loop;
    QFileSystemWatcher watcher({m_dir.path()});
    auto examine = [&] {
        QFile file(path(QStringLiteral("dovecot.log")));
        QString text = QString::fromLocal8Bit(m_process->peek(1 << 20));
        if (file.open(QIODevice::ReadOnly) && file.seek(logStart))
            text += QString::fromUtf8(file.readAll());
        if (text.contains(QLatin1String("Address already in use"))) {
            *portTaken = true;
            loop.exit(1);
        } else if (text.contains(QLatin1String("starting up"))) {
            loop.exit(0);
        } else if (m_process->state() != QProcess::Running) {
            loop.exit(1);
        }
        if (QFile::exists(path(QStringLiteral("dovecot.log"))) && watcher.files().isEmpty())
            watcher.addPath(path(QStringLiteral("dovecot.log")));
    };
    QObject::connect(&watcher, &QFileSystemWatcher::directoryChanged, &loop, examine);
    QObject::connect(&watcher, &QFileSystemWatcher::fileChanged, &loop, examine);
    QObject::connect(m_process.get(), &QProcess::readyRead, &loop, examine);
    QObject::connect(m_process.get(), &QProcess::finished, &loop, examine);
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, [&loop] { loop.exit(2); });
    deadline.start(15000);
    QTimer::singleShot(0, &loop, examine); // it may have started before the watcher was set up
    const int result = loop.exec();
    if (result == 0)
        return true;
    *error = result == 2 ? QStringLiteral("dovecot did not start within 15 s")
                         : *portTaken ? QStringLiteral("a port chosen for dovecot was taken before it bound it")
                                      : QStringLiteral("dovecot exited during start-up");
    return false;
}

bool DovecotServer::greets(quint16 port, QString *error)
{
    // Bound by Dovecot, not by whoever else: the port answers with Dovecot's greeting.
    QTcpSocket probe;
    probe.connectToHost(QHostAddress::LocalHost, port);
    QByteArray greeting;
    if (probe.waitForConnected(5000)) {
        while (!greeting.contains('\n') && probe.waitForReadyRead(5000))
            greeting += probe.readAll();
    }
    probe.abort();
    if (greeting.startsWith("* OK") && greeting.contains("Dovecot"))
        return true;
    *error = QStringLiteral("port %1 does not answer as Dovecot").arg(port);
    return false;
}

void DovecotServer::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(10000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }
    m_process.reset();
    // Dovecot's children leave with the master; make sure no stale pid file blocks a restart.
    QFile::remove(path(QStringLiteral("run/master.pid")));
}

bool DovecotServer::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

QString DovecotServer::log() const
{
    QFile f(path(QStringLiteral("dovecot.log")));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

int DovecotServer::countInLog(const QString &needle) const
{
    return log().count(needle);
}

bool DovecotServer::runTool(const QString &program, const QStringList &args, const QByteArray &input, QString *error,
                            QString *output)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    if (!p.waitForStarted(10000)) {
        *error = QStringLiteral("cannot run %1: %2").arg(program, p.errorString());
        return false;
    }
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *error = QStringLiteral("%1 %2 failed: %3").arg(program, args.join(QLatin1Char(' ')),
                                                        QString::fromLocal8Bit(p.readAll()));
        return false;
    }
    if (output)
        *output = QString::fromLocal8Bit(p.readAll());
    return true;
}

bool DovecotServer::doveadm(const QStringList &args, QString *output)
{
    QString error;
    if (!runTool(QStringLiteral("doveadm"), QStringList{QStringLiteral("-c"), path(QStringLiteral("dovecot.conf"))} + args,
                 QByteArray(), &error, output)) {
        *output = error;
        return false;
    }
    return true;
}

bool DovecotServer::deliver(const QString &user, const QByteArray &message, QString *error, const QString &mailbox)
{
    QStringList args{QStringLiteral("-c"), path(QStringLiteral("dovecot.conf")), QStringLiteral("-d"), user,
                     QStringLiteral("-f"), QStringLiteral("sender@example.org")};
    if (!mailbox.isEmpty())
        args << QStringLiteral("-m") << mailbox;
    return runTool(QStringLiteral("/usr/lib/dovecot/dovecot-lda"), args, message, error);
}

QByteArray DovecotServer::makeMessage(const QString &fromName, const QString &fromAddress, const QString &subject,
                                      const QString &body)
{
    static int counter = 0;
    QByteArray m;
    m += "From: " + encodeWord(fromName) + " <" + fromAddress.toUtf8() + ">\r\n";
    m += "To: someone@example.org\r\n";
    m += "Subject: " + encodeWord(subject) + "\r\n";
    m += "Date: Sat, 28 Nov 2026 03:00:00 +0000\r\n";
    m += "Message-ID: <test-" + QByteArray::number(::getpid()) + "-" + QByteArray::number(++counter) + "@example.org>\r\n";
    m += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
    m += body.toUtf8() + "\r\n";
    return m;
}

bool DovecotServer::createMailbox(const QString &user, const QString &mailbox, QString *error)
{
    return runTool(QStringLiteral("doveadm"),
                   {QStringLiteral("-c"), path(QStringLiteral("dovecot.conf")), QStringLiteral("mailbox"),
                    QStringLiteral("create"), QStringLiteral("-u"), user, mailbox},
                   QByteArray(), error);
}

bool DovecotServer::kick(const QString &user, QString *error)
{
    return runTool(QStringLiteral("doveadm"),
                   {QStringLiteral("-c"), path(QStringLiteral("dovecot.conf")), QStringLiteral("kick"), user},
                   QByteArray(), error);
}

} // namespace herald::test
