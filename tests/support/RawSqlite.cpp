#include "RawSqlite.h"

#include <QFile>

#include <sqlite3.h>

namespace herald::test {

RawSqlite::RawSqlite(const QString &path)
{
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        nullptr) != SQLITE_OK) {
        sqlite3_close_v2(handle);
        handle = nullptr;
    }
}

RawSqlite::~RawSqlite()
{
    sqlite3_close_v2(handle);
}

bool RawSqlite::exec(const char *sql) const
{
    return handle && sqlite3_exec(handle, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

} // namespace herald::test
