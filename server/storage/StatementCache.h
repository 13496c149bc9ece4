#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStringList>

#include <unordered_map>

namespace herald {

class CachedQuery;

// Prepared statements kept per query name for one connection. SQLite (and Qt's binding layer)
// then parse each named query once instead of on every call, which was the largest single cost
// of an event's way through the server. A statement is lent out to one CachedQuery at a time.
class StatementCache
{
public:
    void setDatabase(const QSqlDatabase &db) { m_db = db; }
    QSqlDatabase database() const { return m_db; }
    void clear(); // before the connection closes

private:
    friend class CachedQuery;
    struct Entry
    {
        QSqlQuery query{static_cast<QSqlResult *>(nullptr)};
        QStringList placeholders; // every :name in the SQL, bound on each use
        bool writes = false;      // not a SELECT: runs inside the write batch when there is one
    };
    bool lend(const QString &name, const QString &sql, Entry *entry, QString *error);
    void giveBack(const QString &name, Entry &&entry);

    QSqlDatabase m_db;
    std::unordered_map<QString, Entry> m_idle; // QHash would copy QSqlQuery, which Qt deprecates
};

// One borrowed statement; a QSqlQuery to the caller. Going out of scope (or borrowing another)
// resets it and returns it to the cache, so no read transaction stays open behind the caller.
class CachedQuery : public QSqlQuery
{
public:
    explicit CachedQuery(StatementCache &cache);
    ~CachedQuery();
    CachedQuery(const CachedQuery &) = delete;
    CachedQuery &operator=(const CachedQuery &) = delete;

    bool borrow(const QString &name, const QString &sql, QString *error);
    void bindAll(const QVariantMap &values); // placeholders missing from values are bound to NULL
    bool writes() const { return m_entry.writes; }

private:
    void giveBack();

    StatementCache &m_cache;
    QString m_name;
    StatementCache::Entry m_entry;
};

} // namespace herald
