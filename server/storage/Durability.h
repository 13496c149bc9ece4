#pragma once

#include <QString>

#include <optional>

namespace herald {

// What a commit survives before anything says "stored" ([database] durability). Engine-neutral:
// each storage engine maps it to its own setting (SQLite: PRAGMA synchronous).
enum class Durability {
    // Survives the server process crashing or being killed; an OS crash or a power loss may lose
    // the last commits (SQLite: synchronous=NORMAL in WAL mode, the WAL is synced at checkpoints;
    // PostgreSQL: synchronous_commit=off, a crash of the database server may lose its last commits).
    Process,
    // Survives an OS crash and a power loss too: each commit is on disk before it is reported
    // (SQLite: synchronous=FULL, one fsync of the WAL per commit — per group commit on the server;
    // PostgreSQL: synchronous_commit=on, the server's own default).
    Power,
};

inline std::optional<Durability> durabilityFromName(const QString &name)
{
    if (name == QLatin1String("process"))
        return Durability::Process;
    if (name == QLatin1String("power"))
        return Durability::Power;
    return std::nullopt;
}

} // namespace herald
