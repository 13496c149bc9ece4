#include "storage/WalCheckpointer.h"

#include "storage/StorageLog.h"

#include <QString>

#include <sqlite3.h>

namespace herald {

WalCheckpointer::WalCheckpointer() = default;

WalCheckpointer::~WalCheckpointer()
{
    stop();
}

bool WalCheckpointer::start(sqlite3 *writer, const QString &path, QString *error, int thresholdPages)
{
    stop();
    sqlite3 *reader = nullptr;
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &reader, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                                   nullptr);
    if (rc != SQLITE_OK) {
        *error = QStringLiteral("cannot open %1 for checkpoints: %2")
                     .arg(path, QString::fromUtf8(reader ? sqlite3_errmsg(reader) : sqlite3_errstr(rc)));
        sqlite3_close_v2(reader);
        return false;
    }
    // A fresh connection learns that the file is in WAL mode only from its first read; until then
    // sqlite3_wal_checkpoint_v2() on it does nothing and reports -1 frames.
    if (sqlite3_exec(reader, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr) != SQLITE_OK) {
        *error = QStringLiteral("cannot read %1 for checkpoints: %2").arg(path, QString::fromUtf8(sqlite3_errmsg(reader)));
        sqlite3_close_v2(reader);
        return false;
    }
    m_writer = writer;
    m_reader = reader;
    m_threshold = thresholdPages;
    {
        std::lock_guard lock(m_mutex);
        m_requested = false;
        m_stopping = false;
    }
    m_thread = std::thread([this] { run(); });
    // Replaces the automatic checkpoint (sqlite3_wal_autocheckpoint is this same hook).
    sqlite3_wal_hook(writer, &WalCheckpointer::onWalCommit, this);
    return true;
}

void WalCheckpointer::watch(sqlite3 *another)
{
    if (another && isRunning())
        sqlite3_wal_hook(another, &WalCheckpointer::onWalCommit, this);
}

void WalCheckpointer::stop()
{
    if (!m_thread.joinable())
        return;
    sqlite3_wal_autocheckpoint(m_writer, DefaultThresholdPages); // also removes our hook
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread.join();
    sqlite3_close_v2(m_reader);
    m_reader = nullptr;
    m_writer = nullptr;
}

int WalCheckpointer::checkpointsRun() const
{
    std::lock_guard lock(m_mutex);
    return m_runs;
}

int WalCheckpointer::checkpointsRequested() const
{
    std::lock_guard lock(m_mutex);
    return m_requests;
}

int WalCheckpointer::onWalCommit(void *self, sqlite3 *, const char *, int pages)
{
    auto *checkpointer = static_cast<WalCheckpointer *>(self);
    if (pages < checkpointer->m_threshold)
        return SQLITE_OK;
    {
        std::lock_guard lock(checkpointer->m_mutex);
        checkpointer->m_requested = true;
        ++checkpointer->m_requests;
    }
    checkpointer->m_wake.notify_one();
    return SQLITE_OK;
}

void WalCheckpointer::run()
{
    std::unique_lock lock(m_mutex);
    while (true) {
        m_wake.wait(lock, [this] { return m_requested || m_stopping; });
        if (m_stopping)
            return;
        m_requested = false;
        lock.unlock();
        int logPages = 0;
        int copied = 0;
        const int rc = sqlite3_wal_checkpoint_v2(m_reader, nullptr, SQLITE_CHECKPOINT_PASSIVE, &logPages, &copied);
        // SQLITE_BUSY: another checkpoint (another process) is running; the next commit asks again.
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            qCWarning(lcStorage) << "background checkpoint failed:" << sqlite3_errmsg(m_reader);
        lock.lock();
        ++m_runs;
    }
}

} // namespace herald
