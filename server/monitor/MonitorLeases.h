#pragma once

#include "storage/Storage.h"

#include <QObject>
#include <QTimer>

namespace herald {

class MonitorManager;

// Places this run's monitors by lease (Storage.h, "Monitors are placed by lease"). Every
// heartbeat it takes free logins up to this run's share of the cluster's — ceil(logins / live
// nodes) — gives back what it holds beyond that share, and tells MonitorManager which logins are
// its own: their monitors run here, and a monitor whose login is no longer its own (logged out or
// stored again on another node, or taken by one that took this run for stopped) stops here.
// So a node that joins gets its part within two heartbeats, and the logins of a node that stops
// are watched again within a heartbeat of it leaving, or of its heartbeat ageing past the timeout.
//
// Each pass is one unit on the background writer (a unit alone: the claim has a transaction of
// its own on PostgreSQL), so the event loop never waits for it. A single server is a one-node
// cluster: its share is every login.
class MonitorLeases : public QObject
{
    Q_OBJECT
public:
    MonitorLeases(Storage &storage, MonitorManager &monitors, int heartbeatSecs, int timeoutSecs,
                  QObject *parent = nullptr);

    // At start, before the event loop serves anyone: takes this run's share on the loop's
    // connection and starts the monitors of every login the run holds. Then a pass per heartbeat.
    void start();

signals:
    // A pass came back and was acted on (for tests and the log).
    void passFinished(int claimed, int released, int held);

private:
    struct Pass;
    void pass();
    void passDone(const Pass &result, quint64 changesBefore);
    qint64 aliveSince() const;
    // How many logins this run should hold of `share.total` with `liveNodes` running.
    static int fairShare(const Storage::LoginShare &share, int liveNodes);
    // Claims free logins up to this run's fair share (set in *share); the ones taken, whole.
    static std::optional<QList<LoginRecord>> claimShare(Storage &s, qint64 aliveSince, int *share);

    Storage &m_storage;
    MonitorManager &m_monitors;
    const int m_heartbeatSecs;
    const int m_timeoutSecs;
    QTimer m_timer;
    bool m_passing = false; // a pass is on its way: a slow database must not pile them up
};

} // namespace herald
