#include "admin/ActivityCounters.h"

namespace herald {

int &ActivityCounters::Counts::operator[](Kind kind)
{
    switch (kind) {
    case InBand: return inBand;
    case Push: return push;
    case Failed: return failed;
    case SeenInApp: return seenInApp;
    default: return events;
    }
}

int ActivityCounters::Counts::at(Kind kind) const
{
    return const_cast<Counts &>(*this)[kind];
}

ActivityCounters::Counts &ActivityCounters::Counts::operator+=(const Counts &other)
{
    events += other.events;
    inBand += other.inBand;
    push += other.push;
    failed += other.failed;
    seenInApp += other.seenInApp;
    return *this;
}

ActivityCounters::ActivityCounters(Clock clock)
    : m_clock(std::move(clock))
{
}

void ActivityCounters::advance()
{
    m_nowSecond = m_clock().toSecsSinceEpoch();
}

void ActivityCounters::count(Kind kind)
{
    advance();
    // A slot still holding an older second (or minute) is reused from zero: stale counts vanish
    // without a timer sweeping them.
    Slot &second = m_seconds[size_t(m_nowSecond % 60)];
    if (second.stamp != m_nowSecond)
        second = Slot{m_nowSecond, {}};
    ++second.counts[kind];
    const qint64 minute = m_nowSecond / 60;
    Slot &slot = m_minutes[size_t(minute % Minutes)];
    if (slot.stamp != minute)
        slot = Slot{minute, {}};
    ++slot.counts[kind];
}

ActivityCounters::Counts ActivityCounters::lastMinute()
{
    advance();
    Counts sum;
    for (const Slot &s : m_seconds) {
        if (s.stamp > m_nowSecond - 60 && s.stamp <= m_nowSecond)
            sum += s.counts;
    }
    return sum;
}

ActivityCounters::Counts ActivityCounters::lastHour()
{
    Counts sum;
    for (const Minute &m : series())
        sum += m.counts;
    return sum;
}

std::array<ActivityCounters::Minute, ActivityCounters::Minutes> ActivityCounters::series()
{
    advance();
    const qint64 thisMinute = m_nowSecond / 60;
    std::array<Minute, Minutes> out;
    for (int i = 0; i < Minutes; ++i) {
        const qint64 minute = thisMinute - (Minutes - 1) + i;
        const Slot &slot = m_minutes[size_t(minute % Minutes)];
        out[size_t(i)].start = QDateTime::fromSecsSinceEpoch(minute * 60, Qt::UTC);
        if (slot.stamp == minute)
            out[size_t(i)].counts = slot.counts;
    }
    return out;
}

} // namespace herald
