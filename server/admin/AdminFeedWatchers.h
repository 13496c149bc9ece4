#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace herald {

// The other server runs of a cluster on whose nodes consoles follow the live feed, as their
// "on" notices said (AdminClusterFeed). A watcher says "on" again every heartbeat, so one not
// heard from for `timeoutMs` is forgotten: its "off" was lost, or it died without one. Bounded, as
// the notices come from a channel anyone on the database may write to.
class AdminFeedWatchers
{
public:
    static constexpr int MaxRuns = 256;

    explicit AdminFeedWatchers(qint64 timeoutMs) : m_timeoutMs(timeoutMs) {}

    enum class Heard { New, Again, Refused }; // Refused: the table is full of others
    Heard heard(const QString &run, const QString &node, qint64 nowMs);
    bool left(const QString &run) { return m_runs.remove(run) > 0; }
    // Forgets those not heard from since nowMs - timeout; returns their node names.
    QStringList prune(qint64 nowMs);
    bool isEmpty() const { return m_runs.isEmpty(); }
    QStringList nodes() const; // sorted, for logs

private:
    struct Entry
    {
        QString node;
        qint64 lastHeardMs = 0;
    };
    qint64 m_timeoutMs;
    QHash<QString, Entry> m_runs;
};

} // namespace herald
