#include "ServerProcess.h"

#include "TestDatabase.h"
#include "TestPaths.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QThread>

namespace herald::test {

ServerProcess::ServerProcess(const QString &dataDir)
    : m_dataDir(dataDir.isEmpty() ? m_tempDir.filePath(QStringLiteral("data")) : dataDir)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

ServerProcess::~ServerProcess()
{
    if (m_process.state() != QProcess::NotRunning)
        stop();
}

QStringList ServerProcess::commonArgs(const QString &dataDir, const QString &databaseDir)
{
    return QStringList{QStringLiteral("--data-dir"), dataDir, QStringLiteral("--kdf-memory-kib"), QStringLiteral("256"),
                       QStringLiteral("--kdf-iterations"), QStringLiteral("1")} +
           TestDatabase::serverArgs(databaseDir.isEmpty() ? dataDir : databaseDir);
}

bool ServerProcess::start(const QStringList &extraArgs, int timeoutMs)
{
    launch(extraArgs);
    return waitListening(timeoutMs);
}

void ServerProcess::launch(const QStringList &extraArgs)
{
    m_output.clear();
    m_port = 0;
    QStringList args = commonArgs(m_dataDir, m_databaseDir);
    args << QStringLiteral("--foreground") << QStringLiteral("--listen") << QStringLiteral("127.0.0.1:0") << extraArgs;
    m_process.start(serverBinary(), args);
}

bool ServerProcess::waitListening(int timeoutMs)
{
    if (!m_process.waitForStarted(timeoutMs))
        return false;
    static const QRegularExpression listening(QStringLiteral("listening on https://127\\.0\\.0\\.1:(\\d+)"));
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (!m_process.waitForReadyRead(50) && m_process.state() == QProcess::NotRunning)
            break;
        m_output += m_process.readAll();
        const auto match = listening.match(QString::fromUtf8(m_output));
        if (match.hasMatch()) {
            m_port = quint16(match.captured(1).toUInt());
            return true;
        }
    }
    m_output += m_process.readAll();
    qWarning("herald-server did not start:\n%s", m_output.constData());
    return false;
}

int ServerProcess::stop(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return m_process.exitCode();
    m_process.terminate();
    if (!m_process.waitForFinished(timeoutMs)) {
        m_process.kill();
        m_process.waitForFinished();
        return -1;
    }
    m_output += m_process.readAll();
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

QString ServerProcess::output()
{
    m_output += m_process.readAll();
    return QString::fromUtf8(m_output);
}

void ServerProcess::kill()
{
    m_process.kill();
    m_process.waitForFinished();
}

QString ServerProcess::certificatePath() const
{
    return QDir(m_dataDir).filePath(QStringLiteral("tls/herald-cert.pem"));
}

QList<QSslCertificate> ServerProcess::caCertificates() const
{
    QFile file(certificatePath());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QSslCertificate::fromData(file.readAll(), QSsl::Pem);
}

ServerProcess::Result ServerProcess::runCommand(const QStringList &args, const QByteArray &input) const
{
    QProcess process;
    process.start(serverBinary(), args + commonArgs(m_dataDir, m_databaseDir));
    process.waitForStarted();
    process.write(input);
    process.closeWriteChannel();
    Result result;
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        result.err = QStringLiteral("timed out");
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

bool ServerProcess::addUser(const QString &name, const QString &password) const
{
    const Result r = runCommand({QStringLiteral("user"), QStringLiteral("add"), name}, password.toUtf8() + '\n');
    if (r.exitCode != 0)
        qWarning("user add failed: %s", qPrintable(r.err));
    return r.exitCode == 0;
}

} // namespace herald::test
