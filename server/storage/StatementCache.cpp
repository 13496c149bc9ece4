#include "storage/StatementCache.h"

#include "storage/SqlResources.h"

#include <sqlite3.h>

namespace herald {

StatementCache::~StatementCache()
{
    clear();
}

void StatementCache::setHandle(sqlite3 *handle)
{
    clear();
    m_handle = handle;
}

void StatementCache::clear()
{
    for (auto &[name, entry] : m_entries) {
        if (entry->lent) {
            entry->detached = true; // its borrower finalizes it on return
            entry.release();
        } else {
            sqlite3_finalize(entry->statement);
        }
    }
    m_entries.clear();
    m_handle = nullptr;
}

template<typename SqlText>
StatementCache::Entry *StatementCache::lend(const QString &name, const SqlText &sql, QString *error)
{
    auto it = m_entries.find(name);
    if (it != m_entries.end() && !it->second->lent) {
        it->second->lent = true;
        return it->second.get();
    }
    Entry *entry = prepare(sql(), error);
    if (!entry)
        return nullptr;
    entry->lent = true;
    if (it != m_entries.end()) {
        entry->detached = true; // a nested use of a name already lent: a copy of its own
        return entry;
    }
    m_entries.emplace(name, std::unique_ptr<Entry>(entry));
    return entry;
}

StatementCache::Entry *StatementCache::prepare(const QString &sql, QString *error)
{
    if (!m_handle) {
        *error = QStringLiteral("the database is not open");
        return nullptr;
    }
    const QByteArray utf8 = sql.toUtf8();
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v3(m_handle, utf8.constData(), int(utf8.size()), SQLITE_PREPARE_PERSISTENT, &statement,
                           nullptr) != SQLITE_OK) {
        *error = QString::fromUtf8(sqlite3_errmsg(m_handle));
        sqlite3_finalize(statement);
        return nullptr;
    }
    if (!statement) {
        *error = QStringLiteral("empty statement");
        return nullptr;
    }
    auto *entry = new Entry;
    entry->statement = statement;
    for (int i = 1, n = sqlite3_bind_parameter_count(statement); i <= n; ++i) {
        const char *p = sqlite3_bind_parameter_name(statement, i); // ":name"; a repeated name is one index
        entry->parameters.append(p ? QString::fromUtf8(p + 1) : QString());
    }
    entry->writes = !sqlite3_stmt_readonly(statement);
    return entry;
}

void StatementCache::giveBack(Entry *entry)
{
    sqlite3_reset(entry->statement); // ends the statement's read transaction (autocommit) at once
    sqlite3_clear_bindings(entry->statement);
    if (entry->detached) {
        sqlite3_finalize(entry->statement);
        delete entry;
        return;
    }
    entry->lent = false;
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
    m_entry = m_cache.lend(name, [&sql] { return sql; }, error);
    m_row = Row::None;
    return m_entry != nullptr;
}

bool CachedQuery::borrow(const QString &name, const SqlResources &resources, QString *error)
{
    giveBack();
    m_entry = m_cache.lend(name, [&] { return resources.query(name); }, error);
    m_row = Row::None;
    return m_entry != nullptr;
}

bool CachedQuery::bindAll(const SqlParams &values)
{
    sqlite3_stmt *s = m_entry->statement;
    if (m_row != Row::None) {
        // Bound again after running: SQLite takes new values only on a reset statement, and the
        // texts the old bindings point at may go only once the bindings are cleared.
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        dropBoundTexts();
        m_row = Row::None;
    }
    static const QVariant null;
    for (int i = 0; i < m_entry->parameters.size(); ++i) {
        const QVariant *found = values.find(m_entry->parameters.at(i), i);
        const QVariant &v = found ? *found : null;
        const int index = i + 1;
        int rc = SQLITE_OK;
        // The same mapping as Qt's QSQLITE, so rows written either way compare alike.
        switch (v.userType()) {
        case QMetaType::UnknownType:
            rc = sqlite3_bind_null(s, index);
            break;
        case QMetaType::QByteArray: {
            const QByteArray b = v.toByteArray();
            if (b.isNull()) {
                rc = sqlite3_bind_null(s, index);
            } else {
                m_texts.append(b); // shares the caller's data; SQLite reads it where it is
                rc = sqlite3_bind_blob64(s, index, b.constData(), sqlite3_uint64(b.size()), SQLITE_STATIC);
            }
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
            QString converted;
            const QString *string = static_cast<const QString *>(v.constData());
            if (v.userType() != QMetaType::QString) {
                converted = v.toString();
                string = &converted;
            }
            const QString &text = *string;
            if (text.isNull()) {
                rc = sqlite3_bind_null(s, index);
            } else if (const char *ascii = copyAscii(text)) {
                rc = sqlite3_bind_text64(s, index, ascii, sqlite3_uint64(text.size()), SQLITE_STATIC, SQLITE_UTF8);
            } else {
                m_texts.append(text.toUtf8());
                const QByteArray &utf8 = m_texts.last();
                rc = sqlite3_bind_text64(s, index, utf8.constData(), sqlite3_uint64(utf8.size()), SQLITE_STATIC,
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

const char *CachedQuery::copyAscii(const QString &text)
{
    const qsizetype n = text.size();
    if (n > qsizetype(sizeof(m_ascii)) - m_asciiUsed)
        return nullptr;
    char *out = m_ascii + m_asciiUsed;
    const ushort *in = text.utf16();
    // Copy first, judge after: without an early exit the loop vectorizes.
    ushort seen = 0;
    for (qsizetype i = 0; i < n; ++i) {
        seen |= in[i];
        out[i] = char(in[i]);
    }
    if (seen >= 0x80)
        return nullptr; // not ASCII: m_asciiUsed unchanged, the copy is overwritten later
    m_asciiUsed += n;
    return out;
}

bool CachedQuery::exec()
{
    m_changes = 0;
    m_error.clear();
    const int rc = sqlite3_step(m_entry->statement);
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
    sqlite3_reset(m_entry->statement);
    return false;
}

bool CachedQuery::next()
{
    switch (m_row) {
    case Row::Pending:
        m_row = Row::Current;
        return true;
    case Row::Current: {
        const int rc = sqlite3_step(m_entry->statement);
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
    sqlite3_stmt *s = m_entry->statement;
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
    if (!m_entry)
        return;
    m_cache.giveBack(m_entry); // clears the bindings before the texts they point at go
    m_entry = nullptr;
    dropBoundTexts();
    m_row = Row::None;
}

void CachedQuery::dropBoundTexts()
{
    m_texts.clear();
    m_asciiUsed = 0;
}

} // namespace herald
