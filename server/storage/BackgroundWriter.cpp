#include "storage/BackgroundWriter.h"

#include "storage/SqlStorage.h"
#include "storage/StorageLog.h"

namespace herald {

BackgroundWriter::BackgroundWriter(QObject *parent) : QObject(parent) {}

BackgroundWriter::~BackgroundWriter()
{
    stop();
}

bool BackgroundWriter::start(Opener open, std::mutex *writeLock, QString *error)
{
    if (m_thread.joinable())
        return true;
    m_writeLock = writeLock;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = false;
        m_opened = false;
    }
    m_thread = std::thread([this, open = std::move(open)] { run(open); });
    std::unique_lock lock(m_mutex);
    m_wake.wait(lock, [this] { return m_opened; });
    if (m_openOk)
        return true;
    *error = m_openError;
    lock.unlock();
    m_thread.join();
    return false;
}

void BackgroundWriter::stop()
{
    if (!m_thread.joinable())
        return;
    handOver();
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
    deliverCompleted();
}

void BackgroundWriter::submit(Work work, Done done)
{
    enqueue(std::move(work), std::move(done), false);
}

void BackgroundWriter::submitAlone(Work work, Done done)
{
    enqueue(std::move(work), std::move(done), true);
}

void BackgroundWriter::enqueue(Work work, Done done, bool alone)
{
    m_pending.push_back({++m_submitted, std::move(work), alone});
    m_done.push_back(std::move(done));
    if (!m_handOverQueued) {
        // Posted, like the group commit: every job of this pass goes over in one hand-off.
        m_handOverQueued = true;
        QMetaObject::invokeMethod(
            this, [this] { handOver(); }, Qt::QueuedConnection);
    }
}

void BackgroundWriter::handOver()
{
    m_handOverQueued = false;
    if (m_pending.empty())
        return;
    {
        std::lock_guard lock(m_mutex);
        if (m_queue.empty())
            m_queue.swap(m_pending);
        else
            m_queue.insert(m_queue.end(), std::make_move_iterator(m_pending.begin()),
                           std::make_move_iterator(m_pending.end()));
    }
    m_pending.clear();
    m_wake.notify_one();
}

void BackgroundWriter::setCommitObserver(std::function<void(double seconds)> observer)
{
    std::lock_guard lock(m_mutex);
    m_commitObserver = std::move(observer);
}

void BackgroundWriter::whenDone(quint64 seq, std::function<void()> then)
{
    if (m_waiters.empty() && seq <= m_completedSeq) {
        then();
        return;
    }
    m_waiters.emplace_back(seq, std::move(then));
}

void BackgroundWriter::run(const Opener &open)
{
    QString openError;
    std::unique_ptr<SqlStorage> opened = open(&openError);
    {
        std::lock_guard lock(m_mutex);
        m_opened = true;
        m_openOk = opened != nullptr;
        m_openError = openError;
    }
    m_wake.notify_all();
    if (!opened)
        return;
    SqlStorage &storage = *opened;

    std::vector<Job> batch;
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return !m_queue.empty() || m_stopping; });
            if (m_queue.empty())
                break; // stopping, and everything handed over is written
            batch.swap(m_queue);
            storage.setCommitObserver(m_commitObserver);
        }
        std::vector<char> ok;
        ok.reserve(batch.size());
        // Runs of ordinary jobs share a transaction; a job alone splits the batch where it stands.
        for (size_t from = 0; from < batch.size();) {
            size_t to = from + 1;
            if (!batch[from].alone) {
                while (to < batch.size() && !batch[to].alone)
                    ++to;
            }
            runJobs(storage, batch, from, to, ok);
            from = to;
        }
        {
            std::lock_guard lock(m_mutex);
            for (size_t i = 0; i < batch.size(); ++i)
                m_completed.push_back({batch[i].seq, ok[i] != 0});
        }
        batch.clear(); // the jobs' captured records are let go of here, not on the event loop
        QMetaObject::invokeMethod(
            this, [this] { deliverCompleted(); }, Qt::QueuedConnection);
    }
    storage.close();
    opened.reset(); // on this thread, where the connection was opened
}

void BackgroundWriter::runJobs(SqlStorage &storage, std::vector<Job> &batch, size_t from, size_t to,
                               std::vector<char> &ok)
{
    std::unique_lock<std::mutex> write;
    if (m_writeLock)
        write = std::unique_lock(*m_writeLock);
    if (batch[from].alone) {
        ok.push_back(batch[from].work(storage) ? 1 : 0);
        return;
    }
    std::vector<std::function<bool()>> units;
    units.reserve(to - from);
    for (size_t i = from; i < to; ++i)
        units.push_back([&storage, job = &batch[i]] { return job->work(storage); });
    std::vector<char> unitOk;
    storage.runUnits(units, &unitOk);
    ok.insert(ok.end(), unitOk.begin(), unitOk.end());
}

void BackgroundWriter::deliverCompleted()
{
    std::vector<Completed> completed;
    {
        std::lock_guard lock(m_mutex);
        completed.swap(m_completed);
    }
    for (const Completed &c : completed) {
        // Jobs complete in submission order, so the front `done` is always this job's.
        Done done = std::move(m_done.front());
        m_done.pop_front();
        m_completedSeq = c.seq;
        if (done)
            done(c.ok);
    }
    while (!m_waiters.empty() && m_waiters.front().first <= m_completedSeq) {
        auto then = std::move(m_waiters.front().second);
        m_waiters.pop_front();
        then();
    }
}

} // namespace herald
