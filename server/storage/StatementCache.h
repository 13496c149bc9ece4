#pragma once

#include "storage/SqlParams.h"
#include "storage/SqlQuery.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QVarLengthArray>
#include <QVariant>

#include <memory>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace herald {

class CachedQuery;
class SqlResources;

// Prepared statements kept per query name, run on the SQLite handle SqliteStorage opened.
// Every event goes through a dozen of them; parsing each once, and binding and reading through
// SQLite's own API rather than QSqlQuery's QVariant layers, took most of the per-event cost away.
// A statement is lent out to one CachedQuery at a time.
class StatementCache
{
public:
    ~StatementCache();
    void setHandle(sqlite3 *handle); // an open connection; the owner closes it after clear()
    sqlite3 *handle() const { return m_handle; }
    void clear(); // before the connection closes

private:
    friend class CachedQuery;
    struct Entry
    {
        sqlite3_stmt *statement = nullptr;
        QStringList parameters; // names without ':', by SQLite parameter index - 1
        bool writes = false;    // not read-only: runs inside the write batch when there is one
        bool lent = false;
        bool detached = false;  // not in the cache (a nested copy, or cleared while lent): freed on return
    };
    // Entries stay where they are while lent, so lending and returning allocate nothing.
    // `sql` is asked for only when `name` is not prepared yet.
    template<typename SqlText>
    Entry *lend(const QString &name, const SqlText &sql, QString *error);
    Entry *prepare(const QString &sql, QString *error);
    void giveBack(Entry *entry);

    sqlite3 *m_handle = nullptr;
    std::unordered_map<QString, std::unique_ptr<Entry>> m_entries;
};

// One borrowed statement, with the part of QSqlQuery's interface the storage code uses. Going out
// of scope (or borrowing another) resets it and returns it, so no read transaction stays open.
class CachedQuery : public SqlQuery
{
public:
    explicit CachedQuery(StatementCache &cache);
    ~CachedQuery() override;
    CachedQuery(const CachedQuery &) = delete;
    CachedQuery &operator=(const CachedQuery &) = delete;

    bool borrow(const QString &name, const QString &sql, QString *error) override;
    bool borrow(const QString &name, const SqlResources &resources, QString *error) override;
    bool bindAll(const SqlParams &values) override; // parameters missing from values are bound to NULL
    bool writes() const override { return m_entry && m_entry->writes; }
    bool exec() override; // runs to the first row (or to the end for a write)
    bool next() override; // moves to the next row; the first call lands on the first row
    QVariant value(int column) const override;
    QVariant lastInsertId() const override;
    int numRowsAffected() const override { return m_changes; }
    QString errorText() const override { return m_error; }
    void release() override { giveBack(); }

private:
    void giveBack();
    const char *copyAscii(const QString &text); // into m_ascii; nullptr when not ASCII or no room
    void dropBoundTexts(); // both stores of bound texts, once SQLite's bindings no longer point at them

    StatementCache &m_cache;
    StatementCache::Entry *m_entry = nullptr;
    QVarLengthArray<QByteArray, 8> m_texts; // UTF-8 of bound strings, alive until the bindings are cleared
    // Bound ASCII strings (ids, states, names: most of them) are copied here, not into a QByteArray
    // each: the writer binds two dozen per event.
    char m_ascii[2048];
    qsizetype m_asciiUsed = 0;
    enum class Row { None, Pending, Current, Done } m_row = Row::None;
    int m_changes = 0;
    QString m_error;
};

} // namespace herald
