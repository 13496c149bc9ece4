#pragma once

#include <QProcess>
#include <QSslCertificate>
#include <QStringList>
#include <QTemporaryDir>

namespace herald::test {

// A real herald-server process on a free loopback port with its own data folder, for integration
// tests. Cheap password hashing is configured so tests stay fast; everything else is the default.
class ServerProcess
{
public:
    explicit ServerProcess(const QString &dataDir = {});
    ~ServerProcess();

    // Starts and waits until it logs its listening address. Extra arguments go after the defaults.
    bool start(const QStringList &extraArgs = {}, int timeoutMs = 20000);
    // start() in two halves, to start several servers at once: launch each, then wait for each.
    void launch(const QStringList &extraArgs = {});
    bool waitListening(int timeoutMs = 20000);
    // SIGTERM and wait; returns the exit code (-1 if it had to be killed).
    int stop(int timeoutMs = 10000);
    void kill(); // SIGKILL, for crash tests

    quint16 port() const { return m_port; }
    QString dataDir() const { return m_dataDir; }
    QString baseUrl() const { return QStringLiteral("https://127.0.0.1:%1").arg(m_port); }
    QString certificatePath() const;
    QList<QSslCertificate> caCertificates() const;
    // Everything the server printed so far (stdout and stderr merged); drains what is pending.
    QString output();
    QProcess &process() { return m_process; }

    // Runs `herald-server <args>` against the same data folder, feeding `input` on stdin.
    struct Result
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    Result runCommand(const QStringList &args, const QByteArray &input = {}) const;
    bool addUser(const QString &name, const QString &password) const;

    // `databaseDir`: whose database to use (TestDatabase), when not the data folder's own.
    static QStringList commonArgs(const QString &dataDir, const QString &databaseDir = {});
    // Uses the database of the server at `dataDir` (another node of a cluster) from the next start.
    void shareDatabaseOf(const QString &dataDir) { m_databaseDir = dataDir; }
    // The data folder whose database this server uses (TestDatabase::open takes it).
    QString databaseDir() const { return m_databaseDir.isEmpty() ? m_dataDir : m_databaseDir; }

private:
    QTemporaryDir m_tempDir;
    QString m_dataDir;
    QString m_databaseDir; // empty: the data folder's own
    QProcess m_process;
    QByteArray m_output;
    quint16 m_port = 0;
};

} // namespace herald::test
