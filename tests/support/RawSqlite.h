#pragma once

#include <QString>

struct sqlite3;

namespace herald::test {

// A plain SQLite connection of a test's own (sqlite3_open_v2, nothing set up), for code below
// SqliteStorage such as StatementCache. `handle` is null when the file could not be opened.
struct RawSqlite
{
    explicit RawSqlite(const QString &path);
    ~RawSqlite();
    RawSqlite(const RawSqlite &) = delete;
    RawSqlite &operator=(const RawSqlite &) = delete;

    bool exec(const char *sql) const; // statements without rows

    sqlite3 *handle = nullptr;
};

} // namespace herald::test
