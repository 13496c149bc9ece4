#include "storage/SqliteLibrary.h"

#include "storage/StorageLog.h"

#include <sqlite3.h>

#include <mutex>

namespace herald {

bool configureSqliteLibrary()
{
    static std::once_flag once;
    static bool applied = false;
    std::call_once(once, [] {
        // SQLITE_MISUSE means something in this process opened a database first: harmless, only slower.
        const int threading = sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
        const int memstatus = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        applied = threading == SQLITE_OK && memstatus == SQLITE_OK;
        if (!applied)
            qCDebug(lcStorage) << "SQLite was initialised before Herald could configure it; it stays serialized";
    });
    return applied;
}

} // namespace herald
