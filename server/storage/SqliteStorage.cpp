#include "storage/SqliteStorage.h"

#include "storage/BackgroundWriter.h"
#include "storage/SqliteLibrary.h"
#include "storage/StorageLog.h"
#include "crypto/RandomToken.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <sqlite3.h>

namespace herald {
SqliteStorage::SqliteStorage(const QString &path, Durability durability, const QString &sqlRoot)
    : SqlStorage(QStringLiteral("sqlite"), sqlRoot)
    , m_path(path)
    , m_durability(durability)
{
}

SqliteStorage::~SqliteStorage()
{
    close();
}

bool SqliteStorage::open(QString *error)
{
    configureSqliteLibrary();
    close();
    // No SQLITE_OPEN_URI: the path is a file name, whatever characters it holds.
    const int rc = sqlite3_open_v2(QFile::encodeName(m_path).constData(), &m_handle,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
        *error = QStringLiteral("cannot open %1: %2")
                     .arg(m_path, m_handle ? QString::fromUtf8(sqlite3_errmsg(m_handle)) : QString::fromUtf8(sqlite3_errstr(rc)));
        sqlite3_close_v2(m_handle); // a handle comes back even on failure, except out of memory
        m_handle = nullptr;
        return false;
    }
    sqlite3_busy_timeout(m_handle, 5000);
    // cache_size: 32 MiB of pages (default 2 MiB), so the indexes a busy server touches stay in memory.
    // temp_store: the savepoint journals of group commit live in memory, not in a temp file.
    // synchronous: see Durability; every connection that writes must say the same.
    const QString synchronous = m_durability == Durability::Power ? QStringLiteral("PRAGMA synchronous=FULL")
                                                                  : QStringLiteral("PRAGMA synchronous=NORMAL");
    const QStringList pragmas{QStringLiteral("PRAGMA journal_mode=WAL"), synchronous,
                              QStringLiteral("PRAGMA foreign_keys=ON"), QStringLiteral("PRAGMA cache_size=-32768"),
                              QStringLiteral("PRAGMA temp_store=MEMORY")};
    m_statements.setHandle(m_handle);
    for (const QString &statement : pragmas) {
        QString failure;
        if (!execScript(statement, &failure)) {
            *error = QStringLiteral("%1: %2 failed: %3").arg(m_path, statement, failure);
            close();
            return false;
        }
    }
    // A file that is not SQLite only shows itself on the first real read: the migrator's.
    if (!migrateSchema(error)) {
        *error = QStringLiteral("%1: %2").arg(m_path, *error);
        return false;
    }
    m_targetsWatch.attach(m_statements);
    return true;
}

void SqliteStorage::setGroupCommit(bool on)
{
    if (!on) {
        stopReaders(); // first: a read's `done` may write
        m_batch.reset(); // commits what is open (and lets go of the write lock) before the writer drains
        m_targetsAskedThisPass = false;
        stopWriter();
        m_checkpointer.stop();
        return;
    }
    if (m_batch)
        return;
    // The server's write mode: checkpoints move off the event loop too. Without the second
    // connection, SQLite's own automatic checkpoints simply stay.
    QString error;
    if (m_statements.handle() && !m_checkpointer.start(m_statements.handle(), m_path, &error))
        qCWarning(lcStorage).noquote() << error << "- checkpoints stay on the writing connection";
    startWriter(
        [path = m_path, durability = m_durability, checkpointer = &m_checkpointer](QString *error) -> std::unique_ptr<SqlStorage> {
            auto storage = std::make_unique<SqliteStorage>(path, durability);
            if (!storage->open(error))
                return nullptr;
            checkpointer->watch(storage->nativeHandle()); // no checkpoint inside this thread's COMMITs
            return storage;
        },
        &m_writeLock);
    // Reading connections never write, and WAL lets them read while others write: no lock.
    startReaders(
        [path = m_path, durability = m_durability](QString *error) -> std::unique_ptr<SqlStorage> {
            auto storage = std::make_unique<SqliteStorage>(path, durability);
            if (!storage->open(error))
                return nullptr;
            return storage;
        },
        readingConnections());
    WriteBatch::Statements s;
    s.begin = [this] {
        m_writeLock.lock();
        if (execControl(QStringLiteral("BEGIN IMMEDIATE")))
            return true;
        m_writeLock.unlock();
        return false;
    };
    s.commit = [this] {
        if (!commit())
            return false; // rollback() follows and lets go of the lock
        m_writeLock.unlock();
        return true;
    };
    s.rollback = [this] {
        execControl(QStringLiteral("ROLLBACK"));
        m_writeLock.unlock();
    };
    m_batch = std::make_unique<WriteBatch>(std::move(s));
}

void SqliteStorage::whenDurable(std::function<void(bool ok)> done)
{
    if (!m_batch) {
        done(true);
        return;
    }
    if (!m_writer) {
        m_batch->whenDurable(std::move(done));
        return;
    }
    // First this connection's open batch, then every background write submitted by then.
    m_batch->whenDurable([this, done = std::move(done)](bool ok) mutable {
        m_writer->whenDone(m_writer->submitted(), [done = std::move(done), ok] { done(ok); });
    });
}

void SqliteStorage::close()
{
    setGroupCommit(false); // commits what is open, then drains the background writer
    m_targetsWatch.detach();
    dropQueries();
    m_statements.clear();
    if (m_handle) {
        // _v2: should a statement still be out on loan, the handle closes once it is finalized.
        sqlite3_close_v2(m_handle);
        m_handle = nullptr;
    }
}

std::unique_ptr<SqlQuery> SqliteStorage::createQuery()
{
    return std::make_unique<CachedQuery>(m_statements);
}

bool SqliteStorage::execScript(const QString &sql, QString *error)
{
    sqlite3 *handle = m_statements.handle();
    if (!handle) {
        *error = QStringLiteral("the database is not open");
        return false;
    }
    char *message = nullptr;
    if (sqlite3_exec(handle, sql.toUtf8().constData(), nullptr, nullptr, &message) == SQLITE_OK)
        return true;
    *error = message ? QString::fromUtf8(message) : QString::fromUtf8(sqlite3_errmsg(handle));
    sqlite3_free(message);
    return false;
}

bool SqliteStorage::targetsMayHaveChanged()
{
    // The server (group commit) asks other connections once per event-loop pass: the counter is
    // a read transaction of its own, and every event would pay for it. What another process or
    // the background writer changed is seen from the next pass; this connection's writes at once.
    const bool askOthers = !m_batch || !m_targetsAskedThisPass;
    if (m_batch && askOthers) {
        m_targetsAskedThisPass = true;
        QMetaObject::invokeMethod(m_batch.get(), [this] { m_targetsAskedThisPass = false; }, Qt::QueuedConnection);
    }
    return m_targetsWatch.takeChanged(askOthers);
}

} // namespace herald
