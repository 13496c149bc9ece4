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

// The server's reading connections, each on a thread of its own: the reads a request waits for
// (who a bearer token belongs to, a notification list) run here, so the event loop never waits
// for the database's answer — with PostgreSQL, a network round trip per statement.
//
// Reads run side by side, one per connection, in the order they were submitted but finishing in
// any order. Each read's `done` runs back on the event loop once its work has run. A read sees
// what is committed when it runs: never the main connection's open write batch.
class BackgroundReaders : public QObject
{
    Q_OBJECT
public:
    using Work = std::function<void(Storage &)>;
    using Done = std::function<void()>;
    // Opens one thread's connection, on that thread: null with *error when it cannot.
    using Opener = std::function<std::unique_ptr<SqlStorage>(QString *error)>;

    explicit BackgroundReaders(QObject *parent = nullptr);
    ~BackgroundReaders() override; // stop()

    // Starts `count` threads, each opening its connection with `open`, and waits for them. False
    // with *error when any cannot be opened; then none runs.
    bool start(Opener open, int count, QString *error);
    // Runs every read submitted so far, then each `done` on this thread, and ends the threads.
    void stop();
    bool isRunning() const { return !m_threads.empty(); }
    int size() const { return int(m_threads.size()); }

    void submit(Work work, Done done); // event-loop thread only

private:
    struct Job
    {
        Work work;
        Done done;
    };

    void run(const Opener &open);
    void deliverCompleted(); // `done`s, on the event loop

    // Shared with the threads, under m_mutex.
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_queue;
    std::vector<Done> m_completed;
    bool m_deliveryQueued = false;
    bool m_stopping = false;
    int m_opened = 0;
    QString m_openError;

    std::vector<std::thread> m_threads;
};

} // namespace herald
