#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <unordered_map>

struct pg_conn;
typedef struct pg_conn PGconn;

namespace herald {

// Where and how to reach PostgreSQL: `[database] uri` (postgresql://USER@HOST:PORT/DB, libpq's
// own URI syntax, TLS options such as ?sslmode=verify-full&sslrootcert=… included) and a password
// file in PostgreSQL's .pgpass format. Passwords never appear in the URI we log.
struct PgConnectOptions
{
    QString uri;
    QString passwordFile; // empty: libpq's own default (PGPASSFILE, ~/.pgpass)
    QString applicationName = QStringLiteral("herald-server");
    int connectTimeoutSecs = 10;
};

// One libpq connection with its prepared statements. Statements are prepared once per name and
// then run by name, as StatementCache does for SQLite; libpq's synchronous calls are used, so a
// connection belongs to one thread at a time.
class PgConnection
{
public:
    struct Prepared
    {
        QByteArray statementName; // "h1", "h2", … on the server
        QStringList parameters;   // names, by position - 1
        bool writes = false;
        QByteArray positionalSql; // what the server prepares, again after a reconnect
        bool ready = false;       // prepared in the current session
    };

    PgConnection() = default;
    ~PgConnection();
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;

    bool open(const PgConnectOptions &options, QString *error);
    void close();
    bool isOpen() const { return m_conn != nullptr; }
    PGconn *handle() const { return m_conn; }

    // Statements every session needs (SET …, LISTEN …): run now and again after each reconnect.
    bool addSessionSetup(const QString &sql, QString *error);
    // Takes `sql` out of that set-up again and runs `undo` now (UNLISTEN for a LISTEN that is only
    // needed for a while): a reconnect then no longer replays it.
    bool dropSessionSetup(const QString &sql, const QString &undo, QString *error);
    // When the server went away (a restart, a failover, a dropped TCP connection), connects again
    // and replays the session set-up; prepared statements are prepared anew on their next use.
    // A statement that was in flight is not retried: whether it committed is unknown, so its
    // caller gets the error. False when the database is still unreachable.
    bool ensureConnected(QString *error);
    // Connecting again without blocking, for the connection that only listens (LISTEN) and may
    // have no statement to run for a long time: startReconnect() begins (PQresetStart), then
    // pollReconnect() is called each time socket() is ready as the last step asked, until Done
    // (the session set-up replayed) or Failed. A statement meanwhile connects the blocking way.
    enum class Reconnect { Reading, Writing, Done, Failed };
    Reconnect startReconnect();
    Reconnect pollReconnect();
    int socket() const;
    // Moves with every reconnect: what was kept from NOTIFYs before it may be stale.
    int generation() const { return m_generation; }
    // After each command: whether this session now has a transaction open. A connection lost
    // while one is open is not replaced until the caller says ROLLBACK, so no later statement of
    // that transaction can run on a new session in autocommit.
    void noteTransactionStatus();

    // Runs one or more statements without parameters (schema scripts, BEGIN, COMMIT …).
    bool exec(const QString &sql, QString *error);
    // The statement `key`, prepared the first time it is asked for (and after a reconnect) from the
    // text `namedSql` returns (":name" parameters); that text is asked for only then.
    const Prepared *prepared(const QString &key, const std::function<QString()> &namedSql, QString *error);

    // The URI with any password taken out, for logs and error messages.
    static QString redactedUri(const QString &uri);
    QString lastErrorMessage() const;

private:
    void forgetSession(); // what lived in the session that ended: prepared statements, the generation
    bool replaySessionSetup(QString *error);

    PGconn *m_conn = nullptr;
    QStringList m_sessionSetup;
    bool m_transactionOpen = false;
    bool m_lostInTransaction = false;
    int m_generation = 0;
    std::unordered_map<QString, std::unique_ptr<Prepared>> m_prepared;
    int m_nextStatement = 1;
};

} // namespace herald
