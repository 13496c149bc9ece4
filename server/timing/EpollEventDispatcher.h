#pragma once

#include <QAbstractEventDispatcher>
#include <QAtomicInt>
#include <QHash>
#include <QSet>

#include <set>
#include <utility>

struct epoll_event;

namespace herald {

// The server's main-thread event dispatcher on Linux: socket notifiers as epoll registrations,
// timers in an ordered set. Qt's UNIX dispatcher rebuilds a pollfd for every socket notifier and
// polls all of them on every pass of the event loop; with 19 000 sessions held that was ~75 % of
// the server's CPU (perf, bench/README "Sessions"), so a pass cost O(sessions) however few were
// ready. Here a pass costs O(ready descriptors + due timers).
//
// Same semantics as Qt's: level-triggered notifiers (read on readable, hang-up or error; write on
// writable or error; exception on priority data), timers that never fire re-entrantly and skip
// what they fell behind, posted events sent at the start of every pass, and wakeUp() from any
// thread. Coarse and very coarse timers are kept as precisely as precise ones.
class EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    // False when the kernel refused epoll or eventfd (then use Qt's own dispatcher).
    bool isValid() const { return m_epoll >= 0 && m_wakeFd >= 0; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

    // Deferrable notifiers carry work that may wait for a later pass (a new client's TLS
    // handshake): each pass serves every other ready notifier first, then deferrable ones for at
    // most DeferrableBudgetNs, and leaves the rest ready for the next pass. A burst of hundreds
    // of handshakes then delays established sessions by one budget instead of by the whole
    // burst. The mark lives as long as the notifier object; see setNotifierDeferrable().
    void setDeferrable(QSocketNotifier *notifier, bool deferrable);
    bool isDeferrable(const QSocketNotifier *notifier) const { return m_deferrable.value(notifier, false); }
    static constexpr qint64 DeferrableBudgetNs = 2'000'000;

private:
    struct Watch
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        quint32 events = 0; // what epoll was told
    };
    struct Timer
    {
        qint64 interval;
        Qt::TimerType type;
        QObject *object;
        qint64 deadline; // ms on the monotonic clock
        bool firing = false; // inside its own timer event: not again from a nested loop
    };

    void updateWatch(int fd);
    int waitMs(bool includeTimers) const;
    int activateSocketNotifiers(const epoll_event *events, int count, bool includeNotifiers);
    int activateReady(int fd, quint32 what);
    bool isDeferrableDescriptor(int fd) const;
    int activateTimers();
    void schedule(int timerId, Timer &timer, qint64 deadline);
    static qint64 now();

    int m_epoll = -1;
    int m_wakeFd = -1;
    QAtomicInt m_wakeUps;   // 1 while a wake-up is written and not yet read: one write per wait
    QAtomicInt m_interrupt;
    QHash<int, Watch> m_watches;              // by descriptor
    // Regular files and the like, which epoll refuses (EPERM) and poll(2) reports as always ready:
    // they are activated on every pass, as Qt's dispatcher would.
    QSet<int> m_alwaysReady;
    // Every notifier ever marked, deferrable or not any more, until it is destroyed.
    QHash<const QSocketNotifier *, bool> m_deferrable;
    QHash<int, Timer> m_timers;               // by timer id
    std::set<std::pair<qint64, int>> m_queue; // (deadline, timer id), the next one first
};

} // namespace herald
