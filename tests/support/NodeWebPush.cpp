#include "NodeWebPush.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

namespace herald::test {
namespace {

bool copyFresh(const QString &from, const QString &to)
{
    QFile::remove(to);
    return QFile::copy(from, to);
}

struct Result
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Result runProcess(const QString &program, const QStringList &args, const QString &dir, const QByteArray &input,
                  int timeoutMs)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(program, args);
    Result r;
    if (!p.waitForStarted(10000)) {
        r.err = p.errorString().toUtf8();
        return r;
    }
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.err = "timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace

bool NodeWebPush::prepare(QString *error, QString *skipReason)
{
    const QString source = QStringLiteral(HERALD_WEBPUSH_INTEROP_SOURCE);
    m_dir = QStringLiteral(HERALD_WEBPUSH_INTEROP_WORK);
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    const QString npm = QStandardPaths::findExecutable(QStringLiteral("npm"));
    if (node.isEmpty() || npm.isEmpty()) {
        *error = QStringLiteral("node and npm are needed for the web-push interop test (scripts/deps.sh installs them)");
        return false;
    }
    if (!QDir().mkpath(m_dir)) {
        *error = QStringLiteral("cannot create %1").arg(m_dir);
        return false;
    }
    for (const char *name : {"package.json", "package-lock.json", "interop.js"}) {
        if (!copyFresh(source + QLatin1Char('/') + QLatin1String(name), m_dir + QLatin1Char('/') + QLatin1String(name))) {
            *error = QStringLiteral("cannot copy %1 into %2").arg(QLatin1String(name), m_dir);
            return false;
        }
    }
    if (QFileInfo::exists(m_dir + QStringLiteral("/node_modules/web-push/package.json"))
        && QFileInfo::exists(m_dir + QStringLiteral("/node_modules/http_ece/package.json")))
        return true;
    // The lock file pins every version; ci never rewrites it.
    const Result install = runProcess(npm, {QStringLiteral("ci"), QStringLiteral("--no-audit"), QStringLiteral("--no-fund"),
                                            QStringLiteral("--loglevel=error")},
                                      m_dir, {}, 300000);
    if (install.exitCode == 0)
        return true;
    const Result ping = runProcess(npm, {QStringLiteral("ping")}, m_dir, {}, 60000);
    if (ping.exitCode != 0) {
        *skipReason = QStringLiteral("the npm registry is unreachable (npm ping: %1), so the npm web-push package "
                                     "cannot be installed for this interop test")
                          .arg(QString::fromUtf8(ping.err.trimmed()).left(300));
        return false;
    }
    *error = QStringLiteral("npm ci failed in %1: %2").arg(m_dir, QString::fromUtf8(install.err.trimmed()).left(1000));
    return false;
}

QByteArray NodeWebPush::run(const QStringList &args, const QByteArray &input, QString *error) const
{
    const Result r = runProcess(QStandardPaths::findExecutable(QStringLiteral("node")),
                                QStringList{QStringLiteral("interop.js")} + args, m_dir, input, 60000);
    if (r.exitCode != 0) {
        *error = QStringLiteral("node interop.js %1 failed (%2): %3")
                     .arg(args.value(0))
                     .arg(r.exitCode)
                     .arg(QString::fromUtf8(r.err.trimmed()).left(1000));
        return {};
    }
    return r.out.split('\n').value(0).trimmed();
}

} // namespace herald::test
