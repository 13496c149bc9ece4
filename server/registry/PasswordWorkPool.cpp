#include "registry/PasswordWorkPool.h"

#include "registry/PasswordHasher.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QThread>

#include <cmath>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace herald {
namespace {

// Hashing is the work that may wait: a worker thread runs at a lower CPU priority (nice 10, per
// thread on Linux), so under a login storm the event loop (deliveries, pings) still gets the CPU
// first. The pool's bounded queue, not starvation, is what limits the waiting.
void lowerThisThreadsPriority()
{
#ifdef Q_OS_LINUX
    thread_local bool lowered = false;
    if (!lowered) {
        lowered = true;
        ::setpriority(PRIO_PROCESS, id_t(::syscall(SYS_gettid)), 10);
    }
#endif
}

} // namespace

PasswordWorkPool::PasswordWorkPool(const PasswordHasher &hasher, int threads, int queueLimit, QObject *parent)
    : QObject(parent)
    , m_hasher(hasher)
{
    const int count = threads > 0 ? threads : std::max(1, QThread::idealThreadCount());
    m_pool.setMaxThreadCount(count);
    m_pool.setObjectName(QStringLiteral("password-workers"));
    // Idle workers stay a while: a login storm comes in waves and thread start-up is not free.
    m_pool.setExpiryTimeout(60'000);
    m_capacity = count + std::max(0, queueLimit);
}

PasswordWorkPool::~PasswordWorkPool()
{
    m_pool.clear(); // queued jobs never start; their callers are going away with the server
    m_pool.waitForDone();
}

int PasswordWorkPool::retryAfterSecs() const
{
    const double drainSecs = double(m_capacity) * double(m_averageMicros.load()) / 1e6 / double(threads());
    return std::max(1, int(std::ceil(drainSecs)));
}

bool PasswordWorkPool::submit(std::function<void()> job)
{
    int now = m_pending.load();
    do {
        if (now >= m_capacity) {
            Q_EMIT refused();
            return false;
        }
    } while (!m_pending.compare_exchange_weak(now, now + 1));
    m_pool.start([this, job = std::move(job)] {
        lowerThisThreadsPriority();
        QElapsedTimer timer;
        timer.start();
        job();
        const qint64 took = timer.nsecsElapsed() / 1000;
        // An exponential moving average (1/8 weight) is enough for a Retry-After estimate.
        qint64 average = m_averageMicros.load();
        m_averageMicros.store(average + (took - average) / 8);
        m_pending.fetch_sub(1);
    });
    return true;
}

bool PasswordWorkPool::verify(const QString &password, const QString &encoded, QObject *context,
                              std::function<void(bool)> done)
{
    return submit([this, password, encoded, context = QPointer<QObject>(context), done = std::move(done)] {
        const bool ok = m_hasher.verify(password, encoded);
        // Back on the pool's thread (the event loop), where `context` can be checked safely; the
        // pool outlives every job it runs (its destructor waits), so posting to it is always safe.
        QMetaObject::invokeMethod(this, [context, done, ok] { if (context) done(ok); }, Qt::QueuedConnection);
    });
}

bool PasswordWorkPool::hash(const QString &password, QObject *context, std::function<void(const QString &)> done)
{
    return submit([this, password, context = QPointer<QObject>(context), done = std::move(done)] {
        const QString encoded = m_hasher.hash(password);
        QMetaObject::invokeMethod(this, [context, done, encoded] { if (context) done(encoded); }, Qt::QueuedConnection);
    });
}

} // namespace herald
