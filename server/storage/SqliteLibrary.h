#pragma once

namespace herald {

// Process-wide SQLite settings, applied once before the first connection opens (SQLite refuses
// them afterwards). Debian's libsqlite3 is built "serialized": every call on every connection
// takes a mutex, and every allocation another one for memory statistics. Herald never shares a
// connection between threads (each thread opens its own), so "multi-thread" mode without
// memory statistics keeps all the safety Herald relies on and drops that per-call locking.
// Returns false when SQLite was already initialised (the settings then stay as they were).
bool configureSqliteLibrary();

} // namespace herald
