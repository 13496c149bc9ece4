#pragma once

#include "admin/ActivityCounters.h"
#include "presence/Presence.h"
#include "storage/Records.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace herald {

class PresenceTracker;
class TerminalSession;

// The figures of GET /admin/v1/stats that live in a node's memory — its sessions' presence and its
// ActivityCounters — made cluster-wide. Each heartbeat writes this node's figures as compact JSON
// to its row of the nodes table (Storage::NodeReport::activity); the stats add those of every other
// live node to this node's own, which are read live. So another node's figures are as old as its
// last heartbeat, and a stopped node's count for nothing.
//
// A row's text comes from whatever wrote it: a node of another version, or anyone who can write to
// the database. It is checked whole (size, version, shape, each number's range) before it counts;
// one that fails counts for nothing, with a warning (herald.admin) at most once a minute per run.
class NodeActivity
{
public:
    struct Devices
    {
        int foreground = 0, background = 0, closed = 0;
        int online() const;
    };
    struct Totals
    {
        Devices devices;
        ActivityCounters::Counts lastMinute, lastHour;
        QMap<qint64, ActivityCounters::Counts>
            minutes; // minute start (s since epoch, UTC) -> counts; none empty
        // Sums saturate: a hostile row with huge numbers must not wrap the total negative.
        Totals &operator+=(const Totals &other);
    };

    // Bounds of a report: what this version writes fits easily, anything beyond is not a report.
    static constexpr int MaxReportBytes = 16 * 1024;
    static constexpr int MaxCount = 1'000'000'000;
    static constexpr int Version = 1;

    NodeActivity(const PresenceTracker &presence, ActivityCounters &counters);

    // A device's presence in one word: its most visible app's (closed when no app is shown).
    static Presence devicePresence(const TerminalSession &session);
    // This node's figures now.
    Totals live() const;
    // live() as the heartbeat writes it.
    QByteArray report() const { return toJson(live()); }

    // The chart's last 60 minutes by this node's clock, oldest first, with the counts of `totals`;
    // minutes another node reported outside that window are left out.
    std::array<ActivityCounters::Minute, ActivityCounters::Minutes> series(const Totals &totals) const;

    static QByteArray toJson(const Totals &totals);
    // A report read back, or nullopt with the reason in *why.
    static std::optional<Totals> fromJson(const QByteArray &json, QString *why = nullptr);

    // `self` (this node's live figures) plus the reports of the other nodes alive since
    // `aliveSinceMs` (NodeSummary::isAlive); the row of `selfClaimer` is this run's, already in `self`.
    Totals cluster(const Totals &self, const QList<NodeRecord> &nodes, qint64 aliveSinceMs,
                   const QString &selfClaimer);

    using Clock = qint64 (*)(); // ms since epoch, for the warnings' rate
    void setClock(Clock clock) { m_clock = clock; }

private:
    void ignore(const NodeRecord &node, const QString &why);

    const PresenceTracker &m_presence;
    ActivityCounters &m_counters;
    QHash<QString, qint64> m_warnedAt; // claimer -> when its row was last warned about
    Clock m_clock;
};

} // namespace herald
