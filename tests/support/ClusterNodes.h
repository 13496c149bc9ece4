#pragma once

#include <QString>
#include <QStringList>

#include <memory>

namespace herald {
class SessionChannel;
}

namespace herald::test {

class DeliveryFixture;

// What the cluster tests (several herald-server nodes on one PostgreSQL) ask of their nodes.
namespace ClusterNodes {

// A heartbeat a second and a node timeout of three, so that takeovers happen within a test.
QStringList fastHeartbeat();
// The node's name, from its data folder (what the nodes table and the feed call it).
QString nameOf(const DeliveryFixture &node);
// Whether the node has logged that it sees `count` live nodes; `log` collects its output.
bool seesNodes(DeliveryFixture &node, int count, QString *log);
// Which run holds the device's session with `app` on screen, as the database says ("" for none).
QString sessionHolder(const DeliveryFixture &node, const QString &deviceId, const QString &app);
// A session on `node` for `deviceToken` with `app` in the foreground, once the server has it.
std::unique_ptr<SessionChannel> foregroundSession(DeliveryFixture &node, const QString &deviceToken,
                                                  const QString &app = QStringLiteral("mail"));

} // namespace ClusterNodes
} // namespace herald::test
