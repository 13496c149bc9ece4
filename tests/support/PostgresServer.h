#pragma once

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace herald::test {

// A private PostgreSQL for one test: initdb into a temporary folder, the postmaster on 127.0.0.1
// on a free port (its Unix socket in the same folder), stopped and removed at the end. The
// system's PostgreSQL service is never touched. As root it runs everything as the `postgres`
// user (PostgreSQL refuses to run as root). Authentication is trust on loopback unless a
// password is asked for, then scram-sha-256 over TCP.
class PostgresServer
{
public:
    struct Options
    {
        QString superuser = QStringLiteral("herald");
        QString password;  // set: clients must give it (scram-sha-256); empty: trust
        bool fsync = false; // tests kill Herald, not PostgreSQL: no need to wait for the disk
        QStringList extraSettings; // "name=value", passed with -c
    };

    PostgresServer();
    explicit PostgresServer(const Options &options);
    ~PostgresServer();

    // The folder with initdb, pg_ctl and postgres; empty when PostgreSQL is not installed.
    static QString binDir();

    bool start(QString *error);
    void stop();
    // Stops it (fast shutdown: sessions are ended) and starts it again on the same port.
    bool restart(QString *error);
    bool isRunning() const { return m_running; }

    bool createDatabase(const QString &name, QString *error);
    // postgresql://USER@127.0.0.1:PORT/DATABASE (without the password)
    QString uri(const QString &database) const;
    QString host() const { return QStringLiteral("127.0.0.1"); }
    quint16 port() const { return m_port; }
    QString superuser() const { return m_options.superuser; }
    QString directory() const { return m_dir.path(); }
    QString log() const;
    // Runs SQL through psql as the superuser; *output gets what it printed (unaligned, tuples only).
    bool psql(const QString &database, const QString &sql, QString *error, QString *output = nullptr);

private:
    bool run(const QString &program, const QStringList &args, QString *error, QString *output = nullptr,
             int timeoutMs = 120000);
    QString path(const QString &name) const { return m_dir.filePath(name); }

    Options m_options;
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    bool m_initialised = false;
    bool m_running = false;
};

} // namespace herald::test
