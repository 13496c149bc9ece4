#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <algorithm>
#include <functional>
#include <utility>

namespace herald {

// Coalesces a device's last-seen writes: at most one per device per interval. The first touch
// writes at once; touches within the interval after a write are remembered, and the latest of
// them is written when the interval ends (one sweep timer for all devices, not one per device),
// so last_seen is never staler than the interval and a chatty device costs one write per
// interval. Entries of devices quiet for a whole interval are dropped: memory follows the number
// of devices active in the last interval, not of all devices ever seen.
//
// A sweep hands what is due over in lists of at most `maxBatch` devices, each to be written as one
// unit, `spacing` apart: the devices that connected together fall due together, and thousands of
// single writes queued at once held every event behind them on PostgreSQL (one round trip each);
// even as a few big statements in one go they held them for tens of ms. flushAll() writes every
// list still waiting at once.
class LastSeenCoalescer : public QObject
{
    Q_OBJECT
public:
    using Seen = std::pair<qint64, QDateTime>; // device id, when
    using Write = std::function<void(const QList<Seen> &seen)>;
    using Clock = std::function<qint64()>; // milliseconds, monotonic
    static constexpr int kDefaultMaxBatch = 250;
    static constexpr int kDefaultSpacingMs = 20;

    LastSeenCoalescer(int intervalMs, Write write, QObject *parent = nullptr);
    void setClock(Clock clock) { m_clock = std::move(clock); } // for tests
    void setMaxBatch(int devices) { m_maxBatch = std::max(1, devices); }
    void setSpacing(int ms) { m_spacingMs = std::max(0, ms); } // 0: a sweep's lists all at once
    // The sweep runs on its own timer; tests with their own clock call sweep() directly.
    void startTimer();

    void touch(qint64 deviceId, const QDateTime &at);
    void sweep();   // writes what is due and forgets quiet devices
    void flushAll(); // writes every pending touch now (shutdown)

    int tracked() const { return int(m_devices.size()); }
    int waitingLists() const { return int(m_waiting.size()); } // due, not yet handed over

Q_SIGNALS:
    void listsHandedOver(); // the last list of a sweep went to the writer

private:
    struct Entry
    {
        qint64 writtenAtMs = 0;
        QDateTime pending; // null: nothing waiting
    };

    void writeInBatches(QList<Seen> &&due);
    QList<QList<Seen>> lists(const QList<Seen> &due) const; // cut to at most m_maxBatch each
    void writeNextList();

    int m_intervalMs;
    int m_maxBatch = kDefaultMaxBatch;
    int m_spacingMs = kDefaultSpacingMs;
    Write m_write;
    Clock m_clock;
    QTimer m_timer;
    QTimer m_spacing;            // single shot: the next waiting list
    QList<QList<Seen>> m_waiting; // a sweep's lists not handed over yet
    QHash<qint64, Entry> m_devices;
};

} // namespace herald
