#include "storage/postgresql/PgQuery.h"

#include "storage/SqlResources.h"

#include <libpq-fe.h>

namespace herald {
namespace {

// Type OIDs of pg_type, fixed since PostgreSQL 7.
constexpr Oid kBool = 16;
constexpr Oid kBytea = 17;
constexpr Oid kInt8 = 20;
constexpr Oid kInt2 = 21;
constexpr Oid kInt4 = 23;
constexpr Oid kOid = 26;
constexpr Oid kFloat4 = 700;
constexpr Oid kFloat8 = 701;
constexpr Oid kNumeric = 1700;

QByteArray unescapeBytea(const char *text)
{
    size_t length = 0;
    unsigned char *raw = PQunescapeBytea(reinterpret_cast<const unsigned char *>(text), &length);
    if (!raw)
        return QByteArray();
    QByteArray out(reinterpret_cast<const char *>(raw), qsizetype(length));
    PQfreemem(raw);
    return out;
}

} // namespace

PgQuery::PgQuery(PgConnection &connection)
    : m_connection(connection)
{
}

PgQuery::~PgQuery()
{
    reset();
}

void PgQuery::reset()
{
    if (m_result) {
        PQclear(m_result);
        m_result = nullptr;
    }
    m_row = -1;
    m_rows = 0;
    m_changes = 0;
    m_error.clear();
    m_sqlState.clear();
}

bool PgQuery::borrow(const QString &name, const SqlResources &resources, QString *error)
{
    reset();
    m_direct = false;
    m_bound = false;
    m_prepared = m_connection.prepared(name, [&] { return resources.query(name); }, error);
    if (!m_prepared && error->isEmpty())
        *error = QStringLiteral("no SQL named %1").arg(name);
    return m_prepared != nullptr;
}

bool PgQuery::borrow(const QString &name, const QString &sql, QString *error)
{
    Q_UNUSED(name);
    Q_UNUSED(error);
    reset();
    m_prepared = nullptr;
    m_direct = true;
    m_directSql = sql;
    return true;
}

bool PgQuery::bindAll(const SqlParams &values)
{
    if (m_direct) {
        if (values.size() == 0)
            return true;
        m_error = QStringLiteral("statements given as text take no parameters");
        return false;
    }
    if (!m_prepared) {
        m_error = QStringLiteral("no statement to bind");
        return false;
    }
    const QStringList &names = m_prepared->parameters;
    const qsizetype n = names.size();
    m_values.resize(n);
    m_valuePointers.resize(n);
    m_lengths.resize(n);
    m_formats.resize(n);
    for (qsizetype i = 0; i < n; ++i) {
        const QVariant *v = values.find(names.at(i), i);
        m_formats[i] = 0;
        m_lengths[i] = 0;
        if (!v || v->isNull()) {
            m_values[i].clear();
            m_valuePointers[i] = nullptr;
            continue;
        }
        switch (v->typeId()) {
        case QMetaType::QByteArray:
            if (v->toByteArray().isNull()) { // as SQLite's binding: a null QByteArray is SQL NULL
                m_values[i].clear();
                m_valuePointers[i] = nullptr;
                continue;
            }
            m_values[i] = v->toByteArray();
            m_formats[i] = 1; // binary: bytea as it is, no escaping
            m_lengths[i] = int(m_values[i].size());
            break;
        case QMetaType::Bool:
            m_values[i] = v->toBool() ? "1" : "0"; // integers in our schema, and valid boolean input
            break;
        case QMetaType::Int:
        case QMetaType::LongLong:
        case QMetaType::UInt:
        case QMetaType::ULongLong:
            m_values[i] = QByteArray::number(v->toLongLong());
            break;
        case QMetaType::Double:
            m_values[i] = QByteArray::number(v->toDouble(), 'g', 17);
            break;
        default:
            m_values[i] = v->toString().toUtf8();
            break;
        }
        m_valuePointers[i] = m_values[i].constData();
    }
    m_bound = true;
    return true;
}

bool PgQuery::exec()
{
    if (m_direct) {
        m_error.clear();
        return m_connection.exec(m_directSql, &m_error);
    }
    if (!m_prepared) {
        m_error = QStringLiteral("no statement to run");
        return false;
    }
    if (m_result) {
        PQclear(m_result);
        m_result = nullptr;
    }
    if (!m_connection.handle()) {
        m_error = QStringLiteral("the database is not open");
        return false;
    }
    if (!m_bound && !bindAll({})) // run without bindAll(): every parameter NULL
        return false;
    const int n = int(m_prepared->parameters.size());
    m_result = PQexecPrepared(m_connection.handle(), m_prepared->statementName.constData(), n,
                              m_valuePointers.constData(), m_lengths.constData(), m_formats.constData(), 0);
    m_connection.noteTransactionStatus();
    const ExecStatusType status = PQresultStatus(m_result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        // The primary message and SQLSTATE only: PostgreSQL's DETAIL quotes the row's values
        // (names, tokens, event ids), and this text ends up in logs.
        const char *primary = m_result ? PQresultErrorField(m_result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
        const char *state = m_result ? PQresultErrorField(m_result, PG_DIAG_SQLSTATE) : nullptr;
        m_sqlState = state ? QByteArray(state) : QByteArray();
        m_error = primary ? QString::fromUtf8(primary) : m_connection.lastErrorMessage();
        if (!m_sqlState.isEmpty())
            m_error += QStringLiteral(" (SQLSTATE %1)").arg(QString::fromLatin1(m_sqlState));
        return false;
    }
    m_rows = PQntuples(m_result);
    m_row = -1;
    const char *changes = PQcmdTuples(m_result);
    m_changes = changes && *changes ? atoi(changes) : 0;
    return true;
}

bool PgQuery::next()
{
    if (!m_result || m_row + 1 >= m_rows)
        return false;
    ++m_row;
    return true;
}

QVariant PgQuery::value(int column) const
{
    if (!m_result || m_row < 0 || m_row >= m_rows || column < 0 || column >= PQnfields(m_result))
        return QVariant();
    if (PQgetisnull(m_result, m_row, column))
        return QVariant();
    const char *text = PQgetvalue(m_result, m_row, column);
    switch (PQftype(m_result, column)) {
    case kBool:
        return QVariant(qlonglong(text[0] == 't' ? 1 : 0)); // as SQLite's 0/1, so toBool() and toInt() agree
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid:
        return QVariant(qlonglong(QByteArray(text).toLongLong()));
    case kFloat4:
    case kFloat8:
    case kNumeric:
        return QVariant(QByteArray(text).toDouble());
    case kBytea:
        return QVariant(unescapeBytea(text));
    default:
        return QVariant(QString::fromUtf8(text, PQgetlength(m_result, m_row, column)));
    }
}

QVariant PgQuery::lastInsertId() const
{
    // Inserts that hand out ids end in `RETURNING id` in resources/sql/postgresql/.
    if (!m_result || m_rows < 1 || PQnfields(m_result) < 1 || PQgetisnull(m_result, 0, 0))
        return QVariant();
    return QVariant(qlonglong(QByteArray(PQgetvalue(m_result, 0, 0)).toLongLong()));
}

} // namespace herald
