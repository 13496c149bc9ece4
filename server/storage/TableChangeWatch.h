#pragma once

#include <QByteArrayList>

struct sqlite3;

namespace herald {

class StatementCache;

// Tells whether any of a few tables may have changed since it was last asked, so that what was
// read from them can be kept in memory in between. Three ways a table changes under a cache:
// - this connection writes a row (SQLite's update hook names the table);
// - this connection rolls back, undoing rows that may have been read and kept;
// - another connection commits a change to them (another process, e.g. `herald-server user add`, or
//   this one's background writer): triggers move the counter in target_changes (schema version 5),
//   so the watched tables must be the ones those triggers are on.
// Erring on "changed" only costs a re-read, so any rollback counts as a change.
// One watch per connection: SQLite keeps one update hook and one rollback hook per connection.
class TableChangeWatch
{
public:
    explicit TableChangeWatch(QByteArrayList tables);
    ~TableChangeWatch();
    TableChangeWatch(const TableChangeWatch &) = delete;
    TableChangeWatch &operator=(const TableChangeWatch &) = delete;

    void attach(StatementCache &statements); // after the cache has its database
    void detach();                           // before the connection closes
    // True once per change; also true when not attached. With `askOthers` false only this
    // connection's own writes and rollbacks count (no read of the counter).
    bool takeChanged(bool askOthers = true);
    void markChanged() { m_changed = true; } // for what the hooks miss: ROLLBACK TO a savepoint

private:
    static void onUpdate(void *self, int operation, const char *database, const char *table, long long rowid);
    static void onRollback(void *self);

    QByteArrayList m_tables;
    StatementCache *m_statements = nullptr;
    sqlite3 *m_handle = nullptr;
    bool m_changed = true;
    long long m_version = -1; // target_changes.n when last asked
};

} // namespace herald
