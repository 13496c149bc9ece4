#include "storage/BackgroundReaders.h"

#include "storage/SqlStorage.h"

namespace herald {

BackgroundReaders::BackgroundReaders(QObject *parent) : QObject(parent) {}

BackgroundReaders::~BackgroundReaders()
{
    stop();
}

bool BackgroundReaders::start(Opener open, int count, QString *error)
{
    if (!m_threads.empty())
        return true;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = false;
        m_opened = 0;
        m_openError.clear();
    }
    count = std::max(count, 1);
    for (int i = 0; i < count; ++i)
        m_threads.emplace_back([this, open] { run(open); });
    std::unique_lock lock(m_mutex);
    m_wake.wait(lock, [this, count] { return m_opened == count; });
    if (m_openError.isEmpty())
        return true;
    *error = m_openError;
    lock.unlock();
    stop(); // the threads that did open end as well
    return false;
}

void BackgroundReaders::stop()
{
    if (m_threads.empty())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    for (std::thread &thread : m_threads)
        thread.join();
    m_threads.clear();
    deliverCompleted();
}

void BackgroundReaders::submit(Work work, Done done)
{
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back({std::move(work), std::move(done)});
    }
    m_wake.notify_one();
}

void BackgroundReaders::run(const Opener &open)
{
    QString openError;
    std::unique_ptr<SqlStorage> storage = open(&openError);
    {
        std::lock_guard lock(m_mutex);
        ++m_opened;
        if (!storage && m_openError.isEmpty())
            m_openError = openError.isEmpty() ? QStringLiteral("a reading connection did not open") : openError;
        // One failed: the others do not wait for reads that will never be submitted.
        if (!m_openError.isEmpty())
            m_stopping = true;
    }
    m_wake.notify_all();
    if (!storage)
        return;

    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return !m_queue.empty() || m_stopping; });
            if (m_queue.empty())
                break; // stopping, and every read submitted has run
            job = std::move(m_queue.front());
            m_queue.pop_front();
        }
        job.work(*storage);
        job.work = nullptr; // what the read captured goes here, on this thread
        bool post = false;
        {
            std::lock_guard lock(m_mutex);
            m_completed.push_back(std::move(job.done));
            post = !m_deliveryQueued;
            m_deliveryQueued = true;
        }
        // One posted call hands over every read that finished before the event loop got to it.
        if (post)
            QMetaObject::invokeMethod(this, [this] { deliverCompleted(); }, Qt::QueuedConnection);
    }
    storage->close();
    storage.reset(); // on this thread, where the connection was opened
}

void BackgroundReaders::deliverCompleted()
{
    std::vector<Done> completed;
    {
        std::lock_guard lock(m_mutex);
        completed.swap(m_completed);
        m_deliveryQueued = false;
    }
    for (Done &done : completed) {
        if (done)
            done();
    }
}

} // namespace herald
