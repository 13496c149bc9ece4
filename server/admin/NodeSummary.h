#pragma once

#include "storage/Records.h"

#include <QJsonObject>
#include <QList>

namespace herald {

// How the admin API shows the nodes table (GET /admin/v1/nodes and the stats' "cluster"), one
// place so that both count a node as alive the same way the dispatcher does: a heartbeat since
// `aliveSinceMs` (Dispatcher::nodeAliveSince, by [cluster] node_timeout_secs).
namespace NodeSummary {
bool isAlive(const NodeRecord &node, qint64 aliveSinceMs);
// One node: name, address, version, times, alive, what it held at its last heartbeat, and whether
// it is `selfClaimer`, the run answering. `nowMs` gives heartbeatAgeMs, measured on the server's
// clock so that a console on a skewed clock still shows the right age.
QJsonObject node(const NodeRecord &node, qint64 aliveSinceMs, const QString &selfClaimer, qint64 nowMs);
// {"nodesAlive","nodesStopped","sessions","monitors"}: sessions and monitors summed over the live
// nodes only, since a stopped node's sessions count as offline and its logins move elsewhere.
QJsonObject cluster(const QList<NodeRecord> &nodes, qint64 aliveSinceMs);
} // namespace NodeSummary

} // namespace herald
