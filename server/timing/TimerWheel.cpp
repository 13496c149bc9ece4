#include "timing/TimerWheel.h"

#include "timing/WheelTimer.h"

#include <QDeadlineTimer>

namespace herald {

namespace {

qint64 steadyNowMs()
{
    return QDeadlineTimer::current().deadline();
}

qint64 roundUpToPowerOfTwo(int n)
{
    qint64 size = 1;
    while (size < n)
        size <<= 1;
    return size;
}

} // namespace

TimerWheel::TimerWheel(int tickMs, int slotCount, Clock clock, QObject *parent)
    : QObject(parent)
    , m_tickMs(qMax(1, tickMs))
    , m_mask(roundUpToPowerOfTwo(qMax(1, slotCount)) - 1)
    , m_clock(clock ? std::move(clock) : Clock(steadyNowMs))
    , m_selfDriven(!clock)
    , m_slots(size_t(m_mask + 1))
    , m_currentTick(m_clock() / m_tickMs)
{
    // The sentinels must point at themselves where they live, not where a temporary was built.
    for (Link &slot : m_slots)
        slot.prev = slot.next = &slot;
    m_driver.setInterval(m_tickMs);
    connect(&m_driver, &QTimer::timeout, this, &TimerWheel::advance);
}

TimerWheel::~TimerWheel()
{
    // Timers that outlive the wheel are stopped here, so their own destructor touches nothing.
    for (Link &slot : m_slots) {
        while (slot.isLinked()) {
            auto *timer = static_cast<WheelTimer *>(slot.next);
            timer->unlink();
            timer->m_active = false;
        }
    }
}

void TimerWheel::arm(WheelTimer *timer, qint64 delayMs)
{
    if (timer->m_active)
        timer->unlink();
    else
        ++m_armed;
    timer->m_active = true;
    timer->m_dueMs = now() + qMax<qint64>(0, delayMs);
    // The first tick whose start is at or after the due time: never early.
    timer->m_dueTick = qMax(m_currentTick + 1, (timer->m_dueMs + m_tickMs - 1) / m_tickMs);
    timer->insertBefore(&m_slots[size_t(timer->m_dueTick & m_mask)]);
    updateDriver();
}

void TimerWheel::disarm(WheelTimer *timer)
{
    timer->unlink();
    timer->m_active = false;
    --m_armed;
    updateDriver();
}

void TimerWheel::advance()
{
    const qint64 nowTick = now() / m_tickMs;
    if (nowTick <= m_currentTick)
        return;
    // Collect first, fire after: a callback may start, stop or destroy any timer, this one included.
    Link expired;
    const qint64 steps = qMin(nowTick - m_currentTick, m_mask + 1);
    for (qint64 step = 1; step <= steps; ++step) {
        Link &slot = m_slots[size_t((m_currentTick + step) & m_mask)];
        for (Link *link = slot.next; link != &slot;) {
            Link *next = link->next;
            if (static_cast<WheelTimer *>(link)->m_dueTick <= nowTick) {
                link->unlink();
                link->insertBefore(&expired);
            }
            link = next; // later revolutions stay in their slot
        }
    }
    m_currentTick = nowTick;
    while (expired.isLinked()) {
        auto *timer = static_cast<WheelTimer *>(expired.next);
        timer->unlink();
        timer->m_active = false;
        --m_armed;
        // A copy: the callback may destroy the timer (and with it the function being run).
        const std::function<void()> onTimeout = timer->m_onTimeout;
        onTimeout();
    }
    updateDriver();
}

void TimerWheel::updateDriver()
{
    if (!m_selfDriven)
        return;
    if (m_armed > 0 && !m_driver.isActive())
        m_driver.start();
    else if (m_armed == 0 && m_driver.isActive())
        m_driver.stop();
}

} // namespace herald
