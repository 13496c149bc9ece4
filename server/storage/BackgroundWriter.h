#pragma once

#include <QObject>
#include <QString>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace herald {

class SqlStorage;
class Storage;

// The server's second writing connection, on a thread of its own: it runs the outbox writes that
// nobody reads back at once (an accepted event's rows, a delivered push's outcome), so the event
// loop spends its time on HTTP, TLS and HTTP/2 while the database work (SQLite and its WAL
// writes, or PostgreSQL's round trips) waits on another thread.
//
// Jobs submitted during one event-loop pass are handed over together when the pass ends; the
// thread runs everything handed over since its last batch in one transaction (a job that fails
// is undone alone, see SqlStorage::runUnits), so one commit serves a whole batch. Each job's
// `done` runs back on the event loop, in submission order, after its batch is committed.
// SQLite lets one connection write at a time: there both this thread and the main connection's
// group commit take `writeLock` around their transactions, so neither ever meets SQLITE_BUSY
// from the other. PostgreSQL locks rows, not the database, and needs no such lock.
class BackgroundWriter : public QObject
{
    Q_OBJECT
public:
    using Work = std::function<bool(Storage &)>;
    using Done = std::function<void(bool ok)>;

    // Opens the thread's connection, on that thread (a connection belongs to the thread that
    // opened it): null with *error when it cannot.
    using Opener = std::function<std::unique_ptr<SqlStorage>(QString *error)>;

    explicit BackgroundWriter(QObject *parent = nullptr);
    ~BackgroundWriter() override; // stop()

    // Starts the thread, opens its connection with `open` and waits for the result. False with
    // *error when it cannot be opened; nothing runs then. `writeLock` (may be null) is held
    // around each batch's transaction.
    bool start(Opener open, std::mutex *writeLock, QString *error);
    // Runs every job handed over, then the `done` of each on this thread, and ends the thread.
    void stop();
    bool isRunning() const { return m_thread.joinable(); }

    void submit(Work work, Done done); // event-loop thread only
    // A job that opens its own transactions (the outbox claim's REPEATABLE READ): it runs between
    // batches, with nothing open, after every job submitted before it is committed and before any
    // submitted after it. `done` gets what `work` returned.
    void submitAlone(Work work, Done done);
    // Handed to the thread's connection, which calls it after each COMMIT (on the writer thread).
    void setCommitObserver(std::function<void(double seconds)> observer);
    quint64 submitted() const { return m_submitted; }
    // `then` runs once the first `seq` jobs are done (and their `done` ran), after every earlier
    // whenDone() callback: answers wait here in the order they were given.
    void whenDone(quint64 seq, std::function<void()> then);

private:
    struct Job
    {
        quint64 seq = 0;
        Work work;
        bool alone = false;
    };
    struct Completed
    {
        quint64 seq = 0;
        bool ok = false;
    };

    void run(const Opener &open);
    void enqueue(Work work, Done done, bool alone);
    // The jobs of batch[from, to): one transaction, or `alone` one job in none. Fills `ok`.
    void runJobs(SqlStorage &storage, std::vector<Job> &batch, size_t from, size_t to, std::vector<char> &ok);
    void handOver();         // pending -> the thread's queue (end of pass)
    void deliverCompleted(); // `done`s and whenDone callbacks, on the event loop

    // Event-loop side.
    std::vector<Job> m_pending;
    bool m_handOverQueued = false;
    quint64 m_submitted = 0;
    quint64 m_completedSeq = 0;
    std::deque<Done> m_done; // of jobs m_completedSeq + 1, + 2, …
    std::deque<std::pair<quint64, std::function<void()>>> m_waiters;

    // Shared with the thread, under m_mutex.
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<Job> m_queue;
    std::function<void(double)> m_commitObserver;
    std::vector<Completed> m_completed;
    bool m_stopping = false;
    bool m_opened = false;
    bool m_openOk = false;
    QString m_openError;

    std::mutex *m_writeLock = nullptr;
    std::thread m_thread;
};

} // namespace herald
