// NodeSummary: how GET /admin/v1/nodes and the stats' "cluster" judge a node alive (a heartbeat
// since the node timeout, the dispatcher's own test) and what they sum. A stopped node's row
// lives only until a live node has taken its work over, too briefly to catch reliably against
// a real server, so the stopped case is checked here.
#include "admin/NodeSummary.h"

#include <QJsonObject>
#include <QtTest>

using namespace herald;

namespace {

NodeRecord node(const QString &name, qint64 heartbeatMs, int sessions, int monitors)
{
    NodeRecord n;
    n.claimer = QStringLiteral("run-") + name;
    n.node = name;
    n.address = QStringLiteral("10.0.0.1:7443");
    n.version = QStringLiteral("9.9.9");
    n.startedAt = QDateTime::fromMSecsSinceEpoch(heartbeatMs - 60'000, Qt::UTC);
    n.heartbeatAt = QDateTime::fromMSecsSinceEpoch(heartbeatMs, Qt::UTC);
    n.sessions = sessions;
    n.monitors = monitors;
    return n;
}

} // namespace

class tst_NodeSummary : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aliveIsAHeartbeatSinceTheTimeout()
    {
        const qint64 since = 1'000'000;
        QVERIFY(NodeSummary::isAlive(node(QStringLiteral("a"), since, 0, 0), since));
        QVERIFY(NodeSummary::isAlive(node(QStringLiteral("a"), since + 1, 0, 0), since));
        QVERIFY(!NodeSummary::isAlive(node(QStringLiteral("a"), since - 1, 0, 0), since));
        QVERIFY(!NodeSummary::isAlive(NodeRecord{}, since)); // no heartbeat at all
    }

    void oneNodeAsListed()
    {
        const qint64 now = 2'000'000'000'000;
        const QJsonObject o = NodeSummary::node(node(QStringLiteral("b"), now - 1500, 4, 2), now - 3000,
                                                QStringLiteral("run-b"), now);
        QCOMPARE(o.value(QStringLiteral("node")).toString(), QStringLiteral("b"));
        QCOMPARE(o.value(QStringLiteral("address")).toString(), QStringLiteral("10.0.0.1:7443"));
        QCOMPARE(o.value(QStringLiteral("version")).toString(), QStringLiteral("9.9.9"));
        QCOMPARE(o.value(QStringLiteral("alive")).toBool(), true);
        QCOMPARE(o.value(QStringLiteral("self")).toBool(), true);
        QCOMPARE(o.value(QStringLiteral("sessions")).toInt(), 4);
        QCOMPARE(o.value(QStringLiteral("monitors")).toInt(), 2);
        QCOMPARE(o.value(QStringLiteral("heartbeatAgeMs")).toInteger(), 1500);
        QCOMPARE(QDateTime::fromString(o.value(QStringLiteral("heartbeatAt")).toString(), Qt::ISODateWithMs).toMSecsSinceEpoch(),
                 now - 1500);

        const QJsonObject other = NodeSummary::node(node(QStringLiteral("c"), now - 5000, 1, 1), now - 3000,
                                                    QStringLiteral("run-b"), now);
        QCOMPARE(other.value(QStringLiteral("alive")).toBool(), false);
        QCOMPARE(other.value(QStringLiteral("self")).toBool(), false);
        // A heartbeat "from the future" (clocks of two hosts) is no negative age.
        const QJsonObject ahead = NodeSummary::node(node(QStringLiteral("d"), now + 800, 0, 0), now - 3000,
                                                    QStringLiteral("run-b"), now);
        QCOMPARE(ahead.value(QStringLiteral("heartbeatAgeMs")).toInteger(), 0);
    }

    void clusterSumsTheLiveNodesOnly()
    {
        const qint64 since = 1'000'000;
        const QJsonObject c = NodeSummary::cluster({node(QStringLiteral("a"), since + 10, 3, 1),
                                                    node(QStringLiteral("b"), since + 20, 5, 2),
                                                    node(QStringLiteral("dead"), since - 10, 100, 100)},
                                                   since);
        QCOMPARE(c.value(QStringLiteral("nodesAlive")).toInt(), 2);
        QCOMPARE(c.value(QStringLiteral("nodesStopped")).toInt(), 1);
        QCOMPARE(c.value(QStringLiteral("sessions")).toInt(), 8);
        QCOMPARE(c.value(QStringLiteral("monitors")).toInt(), 3);
        const QJsonObject empty = NodeSummary::cluster({}, since);
        QCOMPARE(empty.value(QStringLiteral("nodesAlive")).toInt(), 0);
        QCOMPARE(empty.value(QStringLiteral("sessions")).toInt(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_NodeSummary)
#include "tst_nodesummary.moc"
