#include "timing/WheelTimer.h"

namespace herald {

WheelTimer::WheelTimer(TimerWheel &wheel, std::function<void()> onTimeout)
    : m_wheel(wheel)
    , m_onTimeout(std::move(onTimeout))
{
}

WheelTimer::~WheelTimer()
{
    stop();
}

void WheelTimer::start(qint64 delayMs)
{
    m_wheel.arm(this, delayMs);
}

void WheelTimer::stop()
{
    if (m_active)
        m_wheel.disarm(this);
}

qint64 WheelTimer::remainingTimeMs() const
{
    if (!m_active)
        return -1;
    return qMax<qint64>(0, m_dueMs - m_wheel.now());
}

} // namespace herald
