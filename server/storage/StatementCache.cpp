#include "storage/StatementCache.h"

#include <QSqlDriver>

#include <sqlite3.h>

namespace herald {

StatementCache::~StatementCache()
{
    clear();
}

bool StatementCache::setDatabase(const QSqlDatabase &db, QString *error)
{
    clear();
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0 || !*static_cast<sqlite3 *const *>(handle.constData())) {
        *error = QStringLiteral("the QSQLITE driver did not expose its sqlite3 handle");
        return false;
    }
    m_db = db;
    m_handle = *static_cast<sqlite3 *const *>(handle.constData());
    return true;
}

void StatementCache::clear()
{
    for (auto &idle : m_idle)
        sqlite3_finalize(idle.second.statement);
    m_idle.clear();
    m_handle = nullptr;
    m_db = QSqlDatabase();
}

bool StatementCache::lend(const QString &name, const QString &sql, Entry *entry, QString *error)
{
    auto it = m_idle.find(name);
    if (it != m_idle.end()) {
        *entry = it->second;
        m_idle.erase(it);
        return true;
    }
    if (!m_handle) {
        *error = QStringLiteral("the database is not open");
        return false;
    }
    const QByteArray utf8 = sql.toUtf8();
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v3(m_handle, utf8.constData(), int(utf8.size()), SQLITE_PREPARE_PERSISTENT, &statement,
                           nullptr) != SQLITE_OK) {
        *error = QString::fromUtf8(sqlite3_errmsg(m_handle));
        sqlite3_finalize(statement);
        return false;
    }
    if (!statement) {
        *error = QStringLiteral("empty statement");
        return false;
    }
    entry->statement = statement;
    entry->parameters.clear();
    for (int i = 1, n = sqlite3_bind_parameter_count(statement); i <= n; ++i) {
        const char *p = sqlite3_bind_parameter_name(statement, i); // ":name"; a repeated name is one index
        entry->parameters.append(p ? QString::fromUtf8(p + 1) : QString());
    }
    entry->writes = !sqlite3_stmt_readonly(statement);
    return true;
}

void StatementCache::giveBack(const QString &name, Entry entry)
{
    sqlite3_reset(entry.statement); // ends the statement's read transaction (autocommit) at once
    sqlite3_clear_bindings(entry.statement);
    if (!m_handle || m_idle.count(name)) {
        // The cache was cleared, or a nested use of the same query prepared a second copy.
        sqlite3_finalize(entry.statement);
        return;
    }
    m_idle.emplace(name, entry);
}

CachedQuery::CachedQuery(StatementCache &cache)
    : m_cache(cache)
{
}

CachedQuery::~CachedQuery()
{
    giveBack();
}

bool CachedQuery::borrow(const QString &name, const QString &sql, QString *error)
{
    giveBack();
    if (!m_cache.lend(name, sql, &m_entry, error))
        return false;
    m_name = name;
    m_row = Row::None;
    return true;
}

bool CachedQuery::bindAll(const QVariantMap &values)
{
    sqlite3_stmt *s = m_entry.statement;
    for (int i = 0; i < m_entry.parameters.size(); ++i) {
        const QVariant v = values.value(m_entry.parameters.at(i));
        const int index = i + 1;
        int rc = SQLITE_OK;
        // The same mapping as Qt's QSQLITE, so rows written either way compare alike.
        switch (v.userType()) {
        case QMetaType::UnknownType:
            rc = sqlite3_bind_null(s, index);
            break;
        case QMetaType::QByteArray: {
            const QByteArray b = v.toByteArray();
            rc = b.isNull() ? sqlite3_bind_null(s, index)
                            : sqlite3_bind_blob64(s, index, b.constData(), sqlite3_uint64(b.size()), SQLITE_TRANSIENT);
            break;
        }
        case QMetaType::Bool:
        case QMetaType::Int:
        case QMetaType::UInt:
        case QMetaType::LongLong:
        case QMetaType::ULongLong:
        case QMetaType::Long:
        case QMetaType::ULong:
        case QMetaType::Short:
        case QMetaType::UShort:
            rc = v.isNull() ? sqlite3_bind_null(s, index) : sqlite3_bind_int64(s, index, v.toLongLong());
            break;
        case QMetaType::Double:
        case QMetaType::Float:
            rc = v.isNull() ? sqlite3_bind_null(s, index) : sqlite3_bind_double(s, index, v.toDouble());
            break;
        default: {
            const QString text = v.toString();
            if (text.isNull()) {
                rc = sqlite3_bind_null(s, index);
            } else {
                const QByteArray utf8 = text.toUtf8();
                rc = sqlite3_bind_text64(s, index, utf8.constData(), sqlite3_uint64(utf8.size()), SQLITE_TRANSIENT,
                                         SQLITE_UTF8);
            }
            break;
        }
        }
        if (rc != SQLITE_OK) {
            m_error = QString::fromUtf8(sqlite3_errmsg(m_cache.handle()));
            return false;
        }
    }
    return true;
}

bool CachedQuery::exec()
{
    m_changes = 0;
    m_error.clear();
    const int rc = sqlite3_step(m_entry.statement);
    if (rc == SQLITE_ROW) {
        m_row = Row::Pending;
        return true;
    }
    if (rc == SQLITE_DONE) {
        m_row = Row::Done;
        m_changes = sqlite3_changes(m_cache.handle());
        return true;
    }
    m_row = Row::Done;
    m_error = QString::fromUtf8(sqlite3_errmsg(m_cache.handle()));
    sqlite3_reset(m_entry.statement);
    return false;
}

bool CachedQuery::next()
{
    switch (m_row) {
    case Row::Pending:
        m_row = Row::Current;
        return true;
    case Row::Current: {
        const int rc = sqlite3_step(m_entry.statement);
        if (rc == SQLITE_ROW)
            return true;
        if (rc != SQLITE_DONE)
            m_error = QString::fromUtf8(sqlite3_errmsg(m_cache.handle()));
        m_row = Row::Done;
        return false;
    }
    case Row::None:
    case Row::Done:
        break;
    }
    return false;
}

QVariant CachedQuery::value(int column) const
{
    if (m_row != Row::Current)
        return {};
    sqlite3_stmt *s = m_entry.statement;
    switch (sqlite3_column_type(s, column)) {
    case SQLITE_INTEGER:
        return QVariant(qlonglong(sqlite3_column_int64(s, column)));
    case SQLITE_FLOAT:
        return QVariant(sqlite3_column_double(s, column));
    case SQLITE_BLOB: {
        const void *data = sqlite3_column_blob(s, column);
        const int size = sqlite3_column_bytes(s, column);
        return QVariant(QByteArray(static_cast<const char *>(data), size));
    }
    case SQLITE_NULL:
        return {};
    default: {
        const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(s, column));
        return QVariant(QString::fromUtf8(text, sqlite3_column_bytes(s, column)));
    }
    }
}

QVariant CachedQuery::lastInsertId() const
{
    return QVariant(qlonglong(sqlite3_last_insert_rowid(m_cache.handle())));
}

void CachedQuery::giveBack()
{
    if (m_name.isEmpty())
        return;
    m_cache.giveBack(m_name, m_entry);
    m_entry = StatementCache::Entry();
    m_name.clear();
    m_row = Row::None;
}

} // namespace herald
