#pragma once

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <atomic>
#include <functional>

namespace herald {

class PasswordHasher;

// Argon2id off the event loop: a bounded set of worker threads hashes and verifies passwords,
// and each result comes back on the thread that owns `context` (the event loop). The queue is
// bounded too: when `threads + queueLimit` jobs are already waiting or running, a new job is
// refused at once, so a login storm costs a fixed amount of memory (each running job holds the
// Argon2 memory cost) and its callers can answer 503 instead of making everyone wait.
class PasswordWorkPool : public QObject
{
    Q_OBJECT
public:
    // threads <= 0: one per core.
    PasswordWorkPool(const PasswordHasher &hasher, int threads, int queueLimit, QObject *parent = nullptr);
    ~PasswordWorkPool() override; // waits for the jobs already running; their results are dropped

    // False when the pool is full: `done` is then never called.
    bool verify(const QString &password, const QString &encoded, QObject *context, std::function<void(bool ok)> done);
    bool hash(const QString &password, QObject *context, std::function<void(const QString &encoded)> done);

    int threads() const { return m_pool.maxThreadCount(); }
    int capacity() const { return m_capacity; }
    int pending() const { return m_pending.load(); } // queued + running
    // Seconds a refused caller should wait: about how long the full queue takes to drain.
    int retryAfterSecs() const;

signals:
    void refused(); // a job was turned away because the pool was full

private:
    bool submit(std::function<void()> job);

    const PasswordHasher &m_hasher;
    QThreadPool m_pool;
    int m_capacity;
    std::atomic<int> m_pending{0};
    std::atomic<qint64> m_averageMicros{30'000}; // a moving average of one job's time
};

} // namespace herald
