#include "PostgresServer.h"

#include "CandidatePort.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace herald::test {
namespace {

bool runningAsRoot() { return ::geteuid() == 0; }

} // namespace

PostgresServer::PostgresServer() : PostgresServer(Options()) {}

PostgresServer::PostgresServer(const Options &options) : m_options(options)
{
    if (runningAsRoot()) {
        // The postgres user must own the cluster's folder and reach it.
        if (const passwd *pw = ::getpwnam("postgres")) {
            const QByteArray dir = QFile::encodeName(m_dir.path());
            if (::chown(dir.constData(), pw->pw_uid, pw->pw_gid) != 0)
                qWarning("PostgresServer: cannot hand %s to postgres", dir.constData());
        }
    }
}

PostgresServer::~PostgresServer()
{
    stop();
}

QString PostgresServer::binDir()
{
    // Debian keeps the server binaries out of PATH, one folder per major version: take the newest.
    QDir root(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(), [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
    for (const QString &v : versions) {
        const QString bin = root.filePath(v + QStringLiteral("/bin"));
        if (QFile::exists(bin + QStringLiteral("/initdb")) && QFile::exists(bin + QStringLiteral("/pg_ctl")))
            return bin;
    }
    return QString();
}

QString PostgresServer::log() const
{
    QFile f(path(QStringLiteral("postgres.log")));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

bool PostgresServer::run(const QString &program, const QStringList &args, QString *error, QString *output,
                         int timeoutMs)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setWorkingDirectory(m_dir.path());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    env.remove(QStringLiteral("PGPASSWORD"));
    if (!m_options.password.isEmpty())
        env.insert(QStringLiteral("PGPASSWORD"), m_options.password);
    process.setProcessEnvironment(env);
    if (runningAsRoot())
        process.start(QStringLiteral("runuser"), QStringList{QStringLiteral("-u"), QStringLiteral("postgres"),
                                                              QStringLiteral("--"), program} + args);
    else
        process.start(program, args);
    if (!process.waitForStarted(10000)) {
        *error = QStringLiteral("cannot start %1: %2").arg(program, process.errorString());
        return false;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        *error = QStringLiteral("%1 did not finish in %2 ms").arg(program).arg(timeoutMs);
        return false;
    }
    const QString printed = QString::fromUtf8(process.readAll());
    if (output)
        *output = printed;
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        *error = QStringLiteral("%1 failed (%2): %3").arg(program).arg(process.exitCode()).arg(printed.trimmed());
        return false;
    }
    return true;
}

bool PostgresServer::start(QString *error)
{
    const QString bin = binDir();
    if (bin.isEmpty()) {
        *error = QStringLiteral("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)");
        return false;
    }
    if (!m_dir.isValid()) {
        *error = QStringLiteral("no temporary folder");
        return false;
    }
    if (!m_initialised) {
        QStringList args{QStringLiteral("-D"), path(QStringLiteral("data")), QStringLiteral("-U"), m_options.superuser,
                         QStringLiteral("-E"), QStringLiteral("UTF8"), QStringLiteral("--locale=C"),
                         QStringLiteral("--no-sync"), QStringLiteral("--auth-local=trust")};
        if (m_options.password.isEmpty()) {
            args << QStringLiteral("--auth-host=trust");
        } else {
            QFile pw(path(QStringLiteral("pwfile")));
            if (!pw.open(QIODevice::WriteOnly) || pw.write(m_options.password.toUtf8() + '\n') <= 0) {
                *error = QStringLiteral("cannot write the password file");
                return false;
            }
            pw.close();
            if (runningAsRoot()) {
                if (const passwd *p = ::getpwnam("postgres"))
                    ::chown(QFile::encodeName(pw.fileName()).constData(), p->pw_uid, p->pw_gid);
            }
            args << QStringLiteral("--auth-host=scram-sha-256") << (QStringLiteral("--pwfile=") + pw.fileName());
        }
        if (!run(bin + QStringLiteral("/initdb"), args, error))
            return false;
        m_initialised = true;
    }
    const quint16 keep = m_port; // a restart comes back where clients know it
    for (int attempt = 0; attempt < 5; ++attempt) {
        m_port = keep && attempt == 0 ? keep : candidatePort();
        QStringList settings{QStringLiteral("-p"), QString::number(m_port), QStringLiteral("-h"), host(),
                             QStringLiteral("-k"), m_dir.path(), QStringLiteral("-c"),
                             QStringLiteral("fsync=") + (m_options.fsync ? QStringLiteral("on") : QStringLiteral("off"))};
        for (const QString &s : m_options.extraSettings)
            settings << QStringLiteral("-c") << s;
        const QString logPath = path(QStringLiteral("postgres.log"));
        const qint64 logStart = QFileInfo(logPath).size();
        if (run(bin + QStringLiteral("/pg_ctl"),
                {QStringLiteral("-D"), path(QStringLiteral("data")), QStringLiteral("-l"), logPath, QStringLiteral("-w"),
                 QStringLiteral("-t"), QStringLiteral("60"), QStringLiteral("-o"), settings.join(QLatin1Char(' ')),
                 QStringLiteral("start")},
                error)) {
            m_running = true;
            return true;
        }
        QFile logFile(logPath);
        const QString tail = logFile.open(QIODevice::ReadOnly) && logFile.seek(logStart)
                                 ? QString::fromUtf8(logFile.readAll())
                                 : QString();
        if (!tail.contains(QLatin1String("Address already in use")))
            return false;
    }
    *error += QStringLiteral(" (no free port after 5 tries)");
    return false;
}

bool PostgresServer::restart(QString *error)
{
    stop();
    return start(error);
}

void PostgresServer::stop()
{
    if (!m_running)
        return;
    QString error;
    if (!run(binDir() + QStringLiteral("/pg_ctl"),
             {QStringLiteral("-D"), path(QStringLiteral("data")), QStringLiteral("-m"), QStringLiteral("fast"),
              QStringLiteral("-w"), QStringLiteral("stop")},
             &error))
        qWarning("PostgresServer: %s", qPrintable(error));
    m_running = false;
}

bool PostgresServer::createDatabase(const QString &name, QString *error)
{
    return run(binDir() + QStringLiteral("/createdb"),
               {QStringLiteral("-h"), host(), QStringLiteral("-p"), QString::number(m_port), QStringLiteral("-U"),
                m_options.superuser, name},
               error);
}

bool PostgresServer::psql(const QString &database, const QString &sql, QString *error, QString *output)
{
    return run(binDir() + QStringLiteral("/psql"),
               {QStringLiteral("-h"), host(), QStringLiteral("-p"), QString::number(m_port), QStringLiteral("-U"),
                m_options.superuser, QStringLiteral("-d"), database, QStringLiteral("-X"), QStringLiteral("-A"),
                QStringLiteral("-t"), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-c"), sql},
               error, output);
}

QString PostgresServer::uri(const QString &database) const
{
    return QStringLiteral("postgresql://%1@%2:%3/%4").arg(m_options.superuser, host()).arg(m_port).arg(database);
}

} // namespace herald::test
