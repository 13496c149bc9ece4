#pragma once

#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVariantMap>

#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace herald {

class CachedQuery;

// Prepared statements kept per query name, run on the SQLite handle of Qt's QSQLITE connection.
// Every event goes through a dozen of them; parsing each once, and binding and reading through
// SQLite's own API rather than QSqlQuery's QVariant layers, took most of the per-event cost away.
// A statement is lent out to one CachedQuery at a time.
class StatementCache
{
public:
    ~StatementCache();
    bool setDatabase(const QSqlDatabase &db, QString *error); // after it is open
    QSqlDatabase database() const { return m_db; }
    sqlite3 *handle() const { return m_handle; }
    void clear(); // before the connection closes

private:
    friend class CachedQuery;
    struct Entry
    {
        sqlite3_stmt *statement = nullptr;
        QStringList parameters; // names without ':', by SQLite parameter index - 1
        bool writes = false;    // not read-only: runs inside the write batch when there is one
    };
    bool lend(const QString &name, const QString &sql, Entry *entry, QString *error);
    void giveBack(const QString &name, Entry entry);

    QSqlDatabase m_db;
    sqlite3 *m_handle = nullptr;
    std::unordered_map<QString, Entry> m_idle;
};

// One borrowed statement, with the part of QSqlQuery's interface the storage code uses. Going out
// of scope (or borrowing another) resets it and returns it, so no read transaction stays open.
class CachedQuery
{
public:
    explicit CachedQuery(StatementCache &cache);
    ~CachedQuery();
    CachedQuery(const CachedQuery &) = delete;
    CachedQuery &operator=(const CachedQuery &) = delete;

    bool borrow(const QString &name, const QString &sql, QString *error);
    bool bindAll(const QVariantMap &values); // parameters missing from values are bound to NULL
    bool writes() const { return m_entry.writes; }
    bool exec();     // runs to the first row (or to the end for a write)
    bool next();     // moves to the next row; the first call lands on the first row
    QVariant value(int column) const;
    QVariant lastInsertId() const;
    int numRowsAffected() const { return m_changes; }
    QString errorText() const { return m_error; }

private:
    void giveBack();

    StatementCache &m_cache;
    QString m_name;
    StatementCache::Entry m_entry;
    enum class Row { None, Pending, Current, Done } m_row = Row::None;
    int m_changes = 0;
    QString m_error;
};

} // namespace herald
