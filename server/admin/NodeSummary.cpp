#include "admin/NodeSummary.h"

#include "admin/AdminJson.h"

#include <algorithm>

namespace herald::NodeSummary {

bool isAlive(const NodeRecord &node, qint64 aliveSinceMs)
{
    return node.heartbeatAt.isValid() && node.heartbeatAt.toMSecsSinceEpoch() >= aliveSinceMs;
}

QJsonObject node(const NodeRecord &node, qint64 aliveSinceMs, const QString &selfClaimer, qint64 nowMs)
{
    const qint64 age = node.heartbeatAt.isValid() ? std::max<qint64>(0, nowMs - node.heartbeatAt.toMSecsSinceEpoch()) : 0;
    return {{QStringLiteral("node"), node.node},
            {QStringLiteral("address"), node.address},
            {QStringLiteral("version"), node.version},
            {QStringLiteral("startedAt"), AdminJson::time(node.startedAt)},
            {QStringLiteral("heartbeatAt"), AdminJson::time(node.heartbeatAt)},
            {QStringLiteral("heartbeatAgeMs"), age},
            {QStringLiteral("alive"), isAlive(node, aliveSinceMs)},
            {QStringLiteral("sessions"), node.sessions},
            {QStringLiteral("monitors"), node.monitors},
            {QStringLiteral("self"), node.claimer == selfClaimer}};
}

QJsonObject cluster(const QList<NodeRecord> &nodes, qint64 aliveSinceMs)
{
    int alive = 0, sessions = 0, monitors = 0;
    for (const NodeRecord &n : nodes) {
        if (!isAlive(n, aliveSinceMs))
            continue;
        ++alive;
        sessions += n.sessions;
        monitors += n.monitors;
    }
    return {{QStringLiteral("nodesAlive"), alive},
            {QStringLiteral("nodesStopped"), int(nodes.size()) - alive},
            {QStringLiteral("sessions"), sessions},
            {QStringLiteral("monitors"), monitors}};
}

} // namespace herald::NodeSummary
