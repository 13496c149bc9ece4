#include "storage/postgresql/PgConnection.h"

#include "storage/StorageLog.h"
#include "storage/postgresql/PgStatementText.h"

#include <QUrl>
#include <QUrlQuery>

#include <libpq-fe.h>

namespace herald {
namespace {

// Statements that change nothing, so they need not join a write batch.
bool isReadOnly(const QString &sql)
{
    const QString head = sql.trimmed().left(6).toUpper();
    return head.startsWith(QLatin1String("SELECT")) || head.startsWith(QLatin1String("VALUES"));
}

} // namespace

PgConnection::~PgConnection()
{
    close();
}

bool PgConnection::open(const PgConnectOptions &options, QString *error)
{
    close();
    const QByteArray uri = options.uri.toUtf8();
    const QByteArray passfile = options.passwordFile.toUtf8();
    const QByteArray appName = options.applicationName.toUtf8();
    const QByteArray timeout = QByteArray::number(options.connectTimeoutSecs);
    // The URI first (expand_dbname), then what Herald adds; an explicit value in the URI wins for
    // everything but these.
    const char *keys[] = {"dbname", "application_name", "connect_timeout", "client_encoding",
                          passfile.isEmpty() ? nullptr : "passfile", nullptr};
    const char *values[] = {uri.constData(), appName.constData(), timeout.constData(), "UTF8",
                            passfile.isEmpty() ? nullptr : passfile.constData(), nullptr};
    m_conn = PQconnectdbParams(keys, values, 1);
    if (!m_conn || PQstatus(m_conn) != CONNECTION_OK) {
        *error = QStringLiteral("cannot connect to %1: %2").arg(redactedUri(options.uri), lastErrorMessage());
        close();
        return false;
    }
    // Times and ids are integers and text is UTF-8, so only these settings matter to us.
    return addSessionSetup(QStringLiteral("SET TIME ZONE 'UTC'"), error);
}

bool PgConnection::addSessionSetup(const QString &sql, QString *error)
{
    if (!exec(sql, error))
        return false;
    m_sessionSetup.append(sql);
    return true;
}

bool PgConnection::dropSessionSetup(const QString &sql, const QString &undo, QString *error)
{
    m_sessionSetup.removeAll(sql);
    return exec(undo, error);
}

bool PgConnection::ensureConnected(QString *error)
{
    if (!m_conn) {
        *error = QStringLiteral("the database is not open");
        return false;
    }
    if (PQstatus(m_conn) == CONNECTION_OK && !m_lostInTransaction) {
        // Between statements, read what the server may have said meanwhile (one non-blocking
        // recv): a session it ended while we were idle (restart, idle timeout) shows up here, and
        // the statement then goes to a new session instead of failing on the dead one.
        // Twice: libpq stops after a read that brought data (the server's goodbye), and only the
        // next read sees the end of the stream.
        if (m_transactionOpen || (PQconsumeInput(m_conn) && PQconsumeInput(m_conn) && PQstatus(m_conn) == CONNECTION_OK))
            return true;
    }
    if (m_transactionOpen || m_lostInTransaction) {
        m_lostInTransaction = true;
        *error = QStringLiteral("the connection to PostgreSQL was lost inside a transaction; it is rolled back");
        return false;
    }
    qCWarning(lcStorage).noquote() << "PostgreSQL connection lost:" << lastErrorMessage() << "- connecting again";
    forgetSession();
    PQreset(m_conn);
    if (PQstatus(m_conn) != CONNECTION_OK) {
        *error = QStringLiteral("PostgreSQL is unreachable: %1").arg(lastErrorMessage());
        return false;
    }
    if (!replaySessionSetup(error))
        return false;
    qCInfo(lcStorage) << "PostgreSQL connection re-established";
    return true;
}

void PgConnection::forgetSession()
{
    for (auto &entry : m_prepared)
        entry.second->ready = false; // they lived in the old session; entries stay where they are
    ++m_generation;
}

bool PgConnection::replaySessionSetup(QString *error)
{
    for (const QString &sql : std::as_const(m_sessionSetup)) {
        if (!exec(sql, error))
            return false;
    }
    return true;
}

PgConnection::Reconnect PgConnection::startReconnect()
{
    if (!m_conn || m_transactionOpen || m_lostInTransaction)
        return Reconnect::Failed; // closed, or for the transaction's owner to end first
    if (PQstatus(m_conn) == CONNECTION_OK)
        return Reconnect::Done; // a statement connected it meanwhile
    forgetSession();
    if (!PQresetStart(m_conn))
        return Reconnect::Failed;
    return Reconnect::Writing; // libpq: as if the last poll had asked to write
}

PgConnection::Reconnect PgConnection::pollReconnect()
{
    if (!m_conn)
        return Reconnect::Failed;
    switch (PQresetPoll(m_conn)) {
    case PGRES_POLLING_READING:
        return Reconnect::Reading;
    case PGRES_POLLING_WRITING:
        return Reconnect::Writing;
    case PGRES_POLLING_OK: {
        QString error;
        if (!replaySessionSetup(&error)) {
            qCWarning(lcStorage).noquote() << "PostgreSQL session set-up after reconnecting:" << error;
            return Reconnect::Failed;
        }
        qCInfo(lcStorage) << "PostgreSQL listening connection re-established";
        return Reconnect::Done;
    }
    default:
        return Reconnect::Failed;
    }
}

int PgConnection::socket() const
{
    return m_conn ? PQsocket(m_conn) : -1;
}

void PgConnection::noteTransactionStatus()
{
    if (!m_conn || PQstatus(m_conn) != CONNECTION_OK)
        return; // keep what was known before the connection went
    const PGTransactionStatusType status = PQtransactionStatus(m_conn);
    m_transactionOpen = status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

void PgConnection::close()
{
    m_transactionOpen = false;
    m_lostInTransaction = false;
    m_sessionSetup.clear();
    m_prepared.clear();
    m_nextStatement = 1;
    if (m_conn) {
        PQfinish(m_conn);
        m_conn = nullptr;
    }
}

QString PgConnection::lastErrorMessage() const
{
    if (!m_conn)
        return QStringLiteral("out of memory");
    return QString::fromUtf8(PQerrorMessage(m_conn)).trimmed();
}

bool PgConnection::exec(const QString &sql, QString *error)
{
    if (!m_conn) {
        *error = QStringLiteral("the database is not open");
        return false;
    }
    const bool gone = PQstatus(m_conn) != CONNECTION_OK;
    if (sql == QLatin1String("ROLLBACK") && (m_lostInTransaction || (gone && m_transactionOpen))) {
        // The server rolled the transaction back when the session ended; now a new session.
        m_lostInTransaction = false;
        m_transactionOpen = false;
        return ensureConnected(error);
    }
    // Also outside a transaction on a session that looks fine: BEGIN is often the first statement
    // after an idle spell, and ensureConnected() then notices a session the server ended meanwhile.
    if (!ensureConnected(error))
        return false;
    PGresult *result = PQexec(m_conn, sql.toUtf8().constData());
    noteTransactionStatus();
    const ExecStatusType status = PQresultStatus(result);
    bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
    if (!ok && sql == QLatin1String("ROLLBACK") && PQstatus(m_conn) != CONNECTION_OK) {
        m_transactionOpen = false; // a session that ends rolls its transaction back
        ok = true;
    }
    if (!ok)
        *error = QString::fromUtf8(PQresultErrorMessage(result)).trimmed();
    PQclear(result);
    return ok;
}

const PgConnection::Prepared *PgConnection::prepared(const QString &key, const std::function<QString()> &namedSql,
                                                     QString *error)
{
    if (!ensureConnected(error))
        return nullptr;
    auto it = m_prepared.find(key);
    if (it != m_prepared.end() && it->second->ready)
        return it->second.get();
    if (it == m_prepared.end()) {
        const QString sql = namedSql();
        if (sql.isEmpty())
            return nullptr; // the caller says which name had no text
        const PgStatementText text = PgStatementText::fromNamed(sql);
        auto entry = std::make_unique<Prepared>();
        entry->statementName = "h" + QByteArray::number(m_nextStatement++);
        entry->parameters = text.parameters;
        entry->writes = !isReadOnly(sql);
        entry->positionalSql = text.sql.toUtf8();
        it = m_prepared.emplace(key, std::move(entry)).first;
    }
    Prepared *entry = it->second.get();
    // No parameter types: PostgreSQL infers each from where it is used, as SQLite needs none.
    PGresult *result = PQprepare(m_conn, entry->statementName.constData(), entry->positionalSql.constData(),
                                 int(entry->parameters.size()), nullptr);
    entry->ready = PQresultStatus(result) == PGRES_COMMAND_OK;
    if (!entry->ready)
        *error = QString::fromUtf8(PQresultErrorMessage(result)).trimmed();
    PQclear(result);
    return entry->ready ? entry : nullptr;
}

QString PgConnection::redactedUri(const QString &uri)
{
    QUrl url(uri);
    if (!url.isValid())
        return QStringLiteral("(an invalid database URI)");
    if (!url.password().isEmpty())
        url.setPassword(QStringLiteral("xxxxx"));
    QUrlQuery query(url);
    if (query.hasQueryItem(QStringLiteral("password"))) {
        query.removeAllQueryItems(QStringLiteral("password"));
        query.addQueryItem(QStringLiteral("password"), QStringLiteral("xxxxx"));
        url.setQuery(query);
    }
    return url.toString();
}

} // namespace herald
