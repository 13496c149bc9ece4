#pragma once

#include "storage/Durability.h"
#include "storage/SqlStorage.h"
#include "storage/StatementCache.h"
#include "storage/TableChangeWatch.h"
#include "storage/WalCheckpointer.h"
#include "storage/WriteBatch.h"

#include <memory>
#include <mutex>
#include <vector>

namespace herald {

// The embedded default: one SQLite file in WAL mode, foreign keys on, busy timeout set so a
// second process (e.g. `herald-server user add` next to a running server) waits instead of failing.
// The file is opened with sqlite3_open_v2 of the system libsqlite3, the library every statement
// then runs through: a handle borrowed from Qt's QSQLITE driver would belong to whatever SQLite
// that plugin was built with (Qt may bundle its own copy), and nothing could check.
// The operations are SqlStorage's; this class opens the file, runs group commit, the background
// writer and the reading connections, and notices other connections' changes through TableChangeWatch.
class SqliteStorage : public SqlStorage
{
public:
    // `sqlRoot` holds the sqlite/ folder of SQL resources (tests of upgrade scripts give their own).
    explicit SqliteStorage(const QString &path, Durability durability = Durability::Process,
                           const QString &sqlRoot = QStringLiteral(":/sql"));
    ~SqliteStorage() override;

    bool open(QString *error) override;
    void close() override;
    void setGroupCommit(bool on) override;
    void whenDurable(std::function<void(bool ok)> done) override;

    sqlite3 *nativeHandle() const { return m_statements.handle(); }

protected:
    std::unique_ptr<SqlQuery> createQuery() override;
    bool execScript(const QString &sql, QString *error) override;
    bool joinWriteBatch() override { return !m_batch || m_batch->join(); }
    bool groupCommitting() const override { return m_batch != nullptr; }
    QString beginWriteStatement() const override { return QStringLiteral("BEGIN IMMEDIATE"); }
    bool targetsMayHaveChanged() override;
    void noteRollback() override { m_targetsWatch.markChanged(); } // ROLLBACK TO reaches no SQLite hook

private:
    QString m_path;
    Durability m_durability;
    sqlite3 *m_handle = nullptr; // ours: opened in open(), closed in close()

    StatementCache m_statements;
    std::unique_ptr<WriteBatch> m_batch; // group commit when set
    WalCheckpointer m_checkpointer;      // runs while group commit is on (the server's write mode)
    // Held around the background writer's transactions (group commit on: see startWriter()) and this
    // connection's group-commit batch, so that they never overlap.
    std::mutex m_writeLock;
    TableChangeWatch m_targetsWatch{{"accounts", "devices", "device_apps", "logins", "sources"}};
    bool m_targetsAskedThisPass = false; // group commit: other connections' changes asked once a pass
};

} // namespace herald
