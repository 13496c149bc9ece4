#pragma once

#include <QByteArray>

#include <condition_variable>
#include <mutex>
#include <thread>

struct sqlite3;

namespace herald {

// Copies the WAL back into the database file on a thread of its own, with a connection of its own,
// instead of on the writing connection right after a COMMIT. SQLite's automatic checkpoint runs
// inside the COMMIT that crosses 1 000 WAL pages, so the server's event loop paid for every page
// copied (about 4 % of its time under load, bench/README.md). The writer's WAL hook only wakes this
// thread; PASSIVE checkpoints never wait for the writer and never block it.
class WalCheckpointer
{
public:
    static constexpr int DefaultThresholdPages = 1000; // SQLite's own autocheckpoint default

    WalCheckpointer();
    ~WalCheckpointer(); // stops the thread; the last connection's close checkpoints the rest
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    // Opens the second connection to `path` and takes over checkpoints of `writer` (which must be
    // in WAL mode). False with *error when the file cannot be opened; `writer` is then left as it was.
    bool start(sqlite3 *writer, const QString &path, QString *error, int thresholdPages = DefaultThresholdPages);
    // Takes over the checkpoints of one more writing connection to the same file (the background
    // writer's), which must close before stop(). Called on the thread that uses `another`.
    void watch(sqlite3 *another);
    bool isRunning() const { return m_thread.joinable(); }
    void stop(); // hands checkpoints back to the writer's automatic ones
    int checkpointsRun() const; // for tests and logs
    int checkpointsRequested() const; // commits that crossed the threshold (tests and logs)

private:
    static int onWalCommit(void *self, sqlite3 *db, const char *database, int pages);
    void run();

    sqlite3 *m_writer = nullptr;
    sqlite3 *m_reader = nullptr; // the checkpointing connection, used on the thread only
    int m_threshold = DefaultThresholdPages;
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_requested = false;
    bool m_stopping = false;
    int m_runs = 0;
    int m_requests = 0;
};

} // namespace herald
