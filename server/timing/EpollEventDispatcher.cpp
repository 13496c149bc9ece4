#include "timing/EpollEventDispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimerEvent>
#include <QVarLengthArray>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>

namespace herald {
namespace {

constexpr qint64 NsPerMs = 1000000;
constexpr int MaxEventsPerPass = 256; // more stay ready for the next pass (level-triggered)

QSocketNotifier *&slotFor(QSocketNotifier::Type type, QSocketNotifier *&read, QSocketNotifier *&write,
                          QSocketNotifier *&exception)
{
    return type == QSocketNotifier::Read ? read : type == QSocketNotifier::Write ? write : exception;
}

void activate(QSocketNotifier *notifier)
{
    QEvent event(QEvent::SockAct);
    QCoreApplication::sendEvent(notifier, &event);
}

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
{
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    m_wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_epoll >= 0 && m_wakeFd >= 0) {
        epoll_event event = {};
        event.events = EPOLLIN;
        event.data.fd = m_wakeFd;
        if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeFd, &event) != 0) {
            ::close(m_wakeFd);
            m_wakeFd = -1;
        }
    }
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
    if (m_epoll >= 0)
        ::close(m_epoll);
}

qint64 EpollEventDispatcher::now()
{
    timespec ts;
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000 * NsPerMs + ts.tv_nsec;
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupt.storeRelaxed(0);
    Q_EMIT awake();
    // Every pass starts here, so whatever was posted before the last wake-up was read is sent.
    QCoreApplication::sendPostedEvents();
    if (m_interrupt.loadRelaxed())
        return false;

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    // Notifiers stay in the epoll set even when a nested loop excludes them, so such a loop must
    // not block: they would wake it at once without being served.
    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool mayWait = (flags & QEventLoop::WaitForMoreEvents) && includeNotifiers;
    const int timeout = mayWait && m_alwaysReady.isEmpty() ? waitMs(includeTimers) : 0;
    if (timeout != 0)
        Q_EMIT aboutToBlock();

    epoll_event events[MaxEventsPerPass];
    int count = ::epoll_wait(m_epoll, events, MaxEventsPerPass, timeout);
    if (count < 0) {
        if (errno != EINTR)
            qWarning("EpollEventDispatcher: epoll_wait failed: %s", std::strerror(errno));
        count = 0;
    }
    if (includeNotifiers) {
        for (const int fd : m_alwaysReady.values()) { // a copy: handlers may unregister them
            if (count == MaxEventsPerPass)
                break;
            const auto it = m_watches.constFind(fd);
            if (it == m_watches.constEnd())
                continue;
            events[count] = {};
            events[count].data.fd = fd;
            events[count].events = (it->read ? quint32(EPOLLIN) : 0u) | (it->write ? quint32(EPOLLOUT) : 0u);
            ++count;
        }
    }
    int handled = 0;
    if (count > 0)
        handled += activateSocketNotifiers(events, count, includeNotifiers);
    if (includeTimers)
        handled += activateTimers();
    return handled > 0;
}

int EpollEventDispatcher::waitMs(bool includeTimers) const
{
    if (!includeTimers || m_queue.empty())
        return -1;
    const qint64 left = m_queue.begin()->first - now();
    if (left <= 0)
        return 0;
    // Rounded up: a timer never fires before its time.
    return int(qMin<qint64>((left + NsPerMs - 1) / NsPerMs, INT_MAX));
}

int EpollEventDispatcher::activateSocketNotifiers(const epoll_event *events, int count, bool includeNotifiers)
{
    int handled = 0;
    // Collected first: a handler may unregister, delete or add notifiers of this same batch, so
    // each one is looked up again right before it is activated.
    QVarLengthArray<std::pair<int, quint32>, MaxEventsPerPass> ready;
    for (int i = 0; i < count; ++i) {
        if (events[i].data.fd == m_wakeFd) {
            eventfd_t value;
            ::eventfd_read(m_wakeFd, &value);
            m_wakeUps.storeRelease(0);
            ++handled;
        } else if (includeNotifiers) {
            ready.append({events[i].data.fd, events[i].events});
        }
    }
    // Every pass serves what is not deferrable first; deferrable work gets what is left of the
    // budget. What is skipped stays ready (level-triggered) and is reported again, behind the
    // descriptors that epoll did not report this time.
    QVarLengthArray<std::pair<int, quint32>, MaxEventsPerPass> deferred;
    for (const auto &[fd, what] : ready) {
        if (!m_deferrable.isEmpty() && isDeferrableDescriptor(fd))
            deferred.append({fd, what});
        else
            handled += activateReady(fd, what);
    }
    if (!deferred.isEmpty()) {
        const qint64 until = now() + DeferrableBudgetNs;
        for (const auto &[fd, what] : deferred) {
            handled += activateReady(fd, what);
            if (now() >= until)
                break;
        }
    }
    return handled;
}

int EpollEventDispatcher::activateReady(int fd, quint32 what)
{
    int handled = 0;
    // Hang-up and error wake the reader (it reads the end) and, with no reader, the writer,
    // which would otherwise never learn of it while epoll keeps reporting it.
    if (what & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        const auto it = m_watches.constFind(fd);
        if (it != m_watches.constEnd() && it->read) {
            activate(it->read);
            ++handled;
        }
    }
    if (what & (EPOLLOUT | EPOLLHUP | EPOLLERR)) {
        const auto it = m_watches.constFind(fd);
        if (it != m_watches.constEnd() && it->write) {
            activate(it->write);
            ++handled;
        }
    }
    if (what & EPOLLPRI) {
        const auto it = m_watches.constFind(fd);
        if (it != m_watches.constEnd() && it->exception) {
            activate(it->exception);
            ++handled;
        }
    }
    return handled;
}

bool EpollEventDispatcher::isDeferrableDescriptor(int fd) const
{
    const auto it = m_watches.constFind(fd);
    if (it == m_watches.constEnd())
        return false;
    // A descriptor's work waits only when every notifier watching it may wait.
    bool any = false;
    for (const QSocketNotifier *notifier : {it->read, it->write, it->exception}) {
        if (!notifier)
            continue;
        if (!isDeferrable(notifier))
            return false;
        any = true;
    }
    return any;
}

void EpollEventDispatcher::setDeferrable(QSocketNotifier *notifier, bool deferrable)
{
    const auto it = m_deferrable.find(notifier);
    if (it != m_deferrable.end()) {
        *it = deferrable;
        return;
    }
    if (!deferrable)
        return;
    m_deferrable.insert(notifier, true);
    // Its mark goes with it, so a later notifier at the same address starts unmarked.
    connect(notifier, &QObject::destroyed, this, [this, notifier] { m_deferrable.remove(notifier); });
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    Watch &watch = m_watches[fd];
    QSocketNotifier *&slot = slotFor(notifier->type(), watch.read, watch.write, watch.exception);
    if (slot && slot != notifier)
        qWarning("EpollEventDispatcher: a second notifier of the same type for descriptor %d replaces the first", fd);
    slot = notifier;
    updateWatch(fd);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    QSocketNotifier *&slot = slotFor(notifier->type(), it->read, it->write, it->exception);
    if (slot != notifier)
        return;
    slot = nullptr;
    updateWatch(fd);
}

void EpollEventDispatcher::updateWatch(int fd)
{
    const auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    const quint32 want = (it->read ? quint32(EPOLLIN) : 0u) | (it->write ? quint32(EPOLLOUT) : 0u) |
                         (it->exception ? quint32(EPOLLPRI) : 0u);
    if (want == 0) {
        // Fails harmlessly when the descriptor was closed first: the kernel dropped it already.
        if (!m_alwaysReady.remove(fd))
            ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
        m_watches.erase(it);
        return;
    }
    if (want == it->events || m_alwaysReady.contains(fd))
        return;
    epoll_event event = {};
    event.events = want;
    event.data.fd = fd;
    int result = ::epoll_ctl(m_epoll, it->events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &event);
    // A descriptor closed and reused while still watched: the kernel forgot the old one (ENOENT),
    // or a new one is already there (EEXIST).
    if (result != 0 && errno == ENOENT)
        result = ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event);
    else if (result != 0 && errno == EEXIST)
        result = ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event);
    if (result != 0 && errno == EPERM) {
        m_alwaysReady.insert(fd); // a regular file: never blocks, so always ready
        it->events = want;
        return;
    }
    if (result != 0) {
        qWarning("EpollEventDispatcher: cannot watch descriptor %d: %s", fd, std::strerror(errno));
        it->events = 0;
        return;
    }
    it->events = want;
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object)
{
    Timer timer{qMax<qint64>(interval, 0), timerType, object, 0};
    auto it = m_timers.insert(timerId, timer);
    schedule(timerId, *it, now() + it->interval * NsPerMs);
}

void EpollEventDispatcher::schedule(int timerId, Timer &timer, qint64 deadline)
{
    if (timer.deadline != 0)
        m_queue.erase({timer.deadline, timerId});
    timer.deadline = deadline;
    m_queue.insert({deadline, timerId});
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    m_queue.erase({it->deadline, timerId});
    m_timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->object == object) {
            m_queue.erase({it->deadline, it.key()});
            it = m_timers.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> list;
    for (auto it = m_timers.cbegin(); it != m_timers.cend(); ++it) {
        if (it->object == object)
            list.append(TimerInfo(it.key(), int(it->interval), it->type));
    }
    return list;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.constFind(timerId);
    if (it == m_timers.constEnd())
        return -1;
    return int(qMax<qint64>(0, (it->deadline - now() + NsPerMs - 1) / NsPerMs));
}

int EpollEventDispatcher::activateTimers()
{
    if (m_queue.empty())
        return 0;
    const qint64 current = now();
    // Collected first: handlers start, stop and restart timers, and a timer restarted or
    // registered during this pass waits for the next one.
    QVarLengthArray<int, 32> due;
    for (auto it = m_queue.begin(); it != m_queue.end() && it->first <= current; ++it)
        due.append(it->second);
    int fired = 0;
    for (const int id : due) {
        auto it = m_timers.find(id);
        if (it == m_timers.end() || it->firing || it->deadline > current)
            continue;
        // The next time counts from this one, so the timer keeps its rhythm; if it fell behind by
        // more than an interval, what it missed is skipped rather than fired in a burst.
        qint64 next = it->deadline + it->interval * NsPerMs;
        if (next <= current)
            next = current + it->interval * NsPerMs;
        schedule(id, *it, next);
        it->firing = true;
        QObject *object = it->object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        ++fired;
        it = m_timers.find(id); // the handler may have killed it (or Qt reused the id)
        if (it != m_timers.end())
            it->firing = false;
    }
    return fired;
}

void EpollEventDispatcher::wakeUp()
{
    // From any thread; one eventfd write until the loop has read it.
    if (m_wakeUps.testAndSetAcquire(0, 1))
        ::eventfd_write(m_wakeFd, 1);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupt.storeRelaxed(1);
    wakeUp();
}

} // namespace herald
