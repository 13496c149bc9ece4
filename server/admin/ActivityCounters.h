#pragma once

#include <QDateTime>

#include <array>
#include <functional>

namespace herald {

// In-memory counts of what the server did recently, for GET /admin/v1/stats and the console's
// chart: new events, deliveries in-band, deliveries by push, failed deliveries, and deliveries not
// sent because a gateway saw the app in the foreground (seen-in-app). Per second for
// the last minute, per minute for the last hour; nothing older is kept and nothing survives a
// restart (the outbox in storage is the record). Fed by the dispatch signals; O(1) per count.
class ActivityCounters
{
public:
    enum Kind { Events, InBand, Push, Failed, SeenInApp, KindCount };
    struct Counts
    {
        int events = 0, inBand = 0, push = 0, failed = 0, seenInApp = 0;
        int &operator[](Kind kind);
        int at(Kind kind) const;
        Counts &operator+=(const Counts &other);
    };
    struct Minute
    {
        QDateTime start; // UTC, on the minute
        Counts counts;
    };
    static constexpr int Minutes = 60;

    using Clock = std::function<QDateTime()>;
    explicit ActivityCounters(Clock clock = &QDateTime::currentDateTimeUtc);

    void count(Kind kind);
    Counts lastMinute(); // the 60 seconds up to now
    Counts lastHour();   // this minute and the 59 before it
    // The last 60 minutes, oldest first, this (unfinished) minute last.
    std::array<Minute, Minutes> series();

private:
    struct Slot
    {
        qint64 stamp = -1; // the second or minute it counts; other values are stale
        Counts counts;
    };
    void advance();

    Clock m_clock;
    qint64 m_nowSecond = 0;
    std::array<Slot, 60> m_seconds;
    std::array<Slot, Minutes> m_minutes;
};

} // namespace herald
