#pragma once

#include <QObject>
#include <QTimer>

#include <functional>
#include <vector>

namespace herald {

class WheelTimer;

// Many coarse timeouts (a session's silence, a connection's request deadline, an ack) on one
// hashed timer wheel driven by one QTimer. Qt's dispatchers keep every QTimer in a sorted list
// and walk it on each restart, so one QTimer per session restarted on every ping made each frame
// cost O(sessions); here starting, restarting and stopping a WheelTimer is O(1) (an unlink and a
// link into the slot of its due tick), and a tick visits one slot.
//
// Timers fire no earlier than asked and at most one tick (plus the driver's own slack) later.
// Time comes from a Clock (milliseconds, monotonic): by default the steady clock, with the wheel
// advancing itself from a QTimer that runs only while a timer is armed; a test injects its own
// clock and calls advance() instead.
class TimerWheel : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<qint64()>;

    // tickMs: the granularity; slotCount: rounded up to a power of two. A timer further away
    // than one revolution (tickMs × slotCount) waits in its slot for the revolutions in between.
    explicit TimerWheel(int tickMs = 100, int slotCount = 1024, Clock clock = {}, QObject *parent = nullptr);
    ~TimerWheel() override;

    qint64 now() const { return m_clock(); }
    int tickMs() const { return m_tickMs; }
    int armedCount() const { return m_armed; }
    // Fires every timer due by now(). The driver calls it; so does a test with its own clock.
    void advance();

    // The intrusive list link every WheelTimer carries; public only for WheelTimer.
    struct Link
    {
        Link *prev = this;
        Link *next = this;
        bool isLinked() const { return next != this; }
        void unlink()
        {
            prev->next = next;
            next->prev = prev;
            prev = next = this;
        }
        void insertBefore(Link *at)
        {
            prev = at->prev;
            next = at;
            at->prev->next = this;
            at->prev = this;
        }
    };

private:
    friend class WheelTimer;
    void arm(WheelTimer *timer, qint64 delayMs);
    void disarm(WheelTimer *timer);
    void updateDriver();

    int m_tickMs;
    qint64 m_mask;
    Clock m_clock;
    bool m_selfDriven;
    std::vector<Link> m_slots;
    qint64 m_currentTick; // every timer due at or before this tick has been collected
    int m_armed = 0;
    QTimer m_driver;
};

} // namespace herald
