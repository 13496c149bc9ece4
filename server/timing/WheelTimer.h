#pragma once

#include "timing/TimerWheel.h"

#include <functional>

namespace herald {

// A single-shot timeout on a TimerWheel, meant to be a member of what it times (a session, a
// connection) instead of a QTimer: ~64 bytes, no QObject, O(1) start/stop. Like a QTimer member,
// the owner must not outlive the wheel. Destroying it stops it. Its Link base puts it in the
// wheel's lists without a separate node.
class WheelTimer : private TimerWheel::Link
{
public:
    WheelTimer(TimerWheel &wheel, std::function<void()> onTimeout);
    ~WheelTimer();
    WheelTimer(const WheelTimer &) = delete;
    WheelTimer &operator=(const WheelTimer &) = delete;

    void start(qint64 delayMs); // (re)arms it delayMs from now
    void stop();
    bool isActive() const { return m_active; }
    qint64 remainingTimeMs() const; // -1 when not active, like QTimer::remainingTime()

private:
    friend class TimerWheel;
    TimerWheel &m_wheel;
    std::function<void()> m_onTimeout;
    qint64 m_dueMs = 0;
    qint64 m_dueTick = 0;
    bool m_active = false;
};

} // namespace herald
