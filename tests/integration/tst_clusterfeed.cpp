// The admin live feed across three herald-server nodes on one PostgreSQL (issue 19): a console on
// node 1 sees what happens on node 2 and node 3 (events, deliveries, sessions), tagged with the
// node it happened on, each frame once and in order, and its own node's frames once too; a console
// on node 2 sees exactly the same frames. Garbage on the shared channels is dropped with a log line
// and breaks nothing; a peer that stops leaves the others' feeds working.
// PostgreSQL only: nodes pass feed frames with NOTIFY.
#include "ClusterNodes.h"
#include "DeliveryFixture.h"
#include "LiveFeedClient.h"
#include "SessionChannel.h"
#include "TestDatabase.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QtTest>

using namespace herald;
using namespace herald::test;
using namespace herald::test::ClusterNodes;
using protocol::UiState;

namespace {

using Match = std::function<bool(const QJsonObject &)>;

// Frames about one notification: the notification itself and its deliveries.
Match about(const QString &notificationId)
{
    return [notificationId](const QJsonObject &f) {
        return f.value(QStringLiteral("id")).toString() == notificationId ||
               f.value(QStringLiteral("notificationId")).toString() == notificationId;
    };
}

Match allOf(const Match &a, const Match &b)
{
    return [a, b](const QJsonObject &f) { return a(f) && b(f); };
}

// The frame a delivery of the notification sends when it reaches its final state (no "outcome").
Match finished(const QString &notificationId)
{
    return [notificationId](const QJsonObject &f) {
        return f.value(QStringLiteral("notificationId")).toString() == notificationId &&
               f.value(QStringLiteral("type")).toString() == QLatin1String("delivery") && !f.contains(QStringLiteral("outcome")) &&
               f.value(QStringLiteral("state")).toString() == QLatin1String("delivered");
    };
}

Match fromNode(const QString &node)
{
    return [node](const QJsonObject &f) { return f.value(QStringLiteral("node")).toString() == node; };
}

Match field(const QString &key, const QString &value)
{
    return [key, value](const QJsonObject &f) { return f.value(key).toString() == value; };
}

QList<QJsonObject> framesMatching(const LiveFeedClient &feed, const Match &match)
{
    QList<QJsonObject> out;
    for (const QJsonObject &f : feed.frames)
        if (match(f))
            out.append(f);
    return out;
}

} // namespace

class tst_ClusterFeed : public QObject
{
    Q_OBJECT

    std::unique_ptr<DeliveryFixture> m_node1;
    std::unique_ptr<DeliveryFixture> m_node2;
    std::unique_ptr<DeliveryFixture> m_node3;
    QString m_name1, m_name2, m_name3;
    QString m_adminPassword;
    std::unique_ptr<LiveFeedClient> m_feed1; // a console on node 1
    std::unique_ptr<LiveFeedClient> m_feed2; // and one on node 2
    QHash<DeliveryFixture *, QString> m_logs;
    int m_events = 0;

    // Whether `node` has logged `pattern` so far.
    bool logged(DeliveryFixture &node, const QString &pattern)
    {
        QString &log = m_logs[&node];
        log += node.server().output();
        return log.contains(QRegularExpression(pattern));
    }

    // Every node's heartbeat reads the live nodes; node 1 decides where events go.
    bool seesNodes(DeliveryFixture &node, int count) { return ClusterNodes::seesNodes(node, count, &m_logs[&node]); }

    std::unique_ptr<LiveFeedClient> follow(DeliveryFixture &node)
    {
        const auto reply = node.http().post(QStringLiteral("/admin/v1/login"),
                                            {{QStringLiteral("username"), QStringLiteral("admin")},
                                             {QStringLiteral("password"), m_adminPassword}});
        const QString token = reply.json().object().value(QStringLiteral("token")).toString();
        auto feed = std::make_unique<LiveFeedClient>();
        if (token.isEmpty() || !feed->open(node.server(), token, false))
            return nullptr;
        const QJsonObject hello = feed->waitFor(LiveFeedClient::ofType(QStringLiteral("hello")));
        if (hello.value(QStringLiteral("node")).toString() != nameOf(node))
            return nullptr;
        return feed;
    }

    // Posts an event to `node` and waits until both consoles saw its notification frame. Each node's
    // frames come in order, so everything `node` showed before has then reached them both.
    bool marker(DeliveryFixture &node, const QString &name)
    {
        QString id;
        if (node.postEvent(QStringLiteral("marker-%1").arg(++m_events), &id) != 202)
            return false;
        const Match mark = allOf(allOf(field(QStringLiteral("type"), QStringLiteral("notification")),
                                       field(QStringLiteral("id"), id)),
                                 fromNode(name));
        return !m_feed1->waitFor(mark).isEmpty() && !m_feed2->waitFor(mark).isEmpty();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!TestDatabase::isPostgres())
            QSKIP("a cluster needs PostgreSQL (run as tst_clusterfeed.postgresql)");
        m_node1 = std::make_unique<DeliveryFixture>(fastHeartbeat());
        QVERIFY(m_node1->start());
        m_node2 = DeliveryFixture::joining(*m_node1, fastHeartbeat());
        QVERIFY(m_node2->start());
        m_node3 = DeliveryFixture::joining(*m_node1, fastHeartbeat());
        QVERIFY(m_node3->start());
        m_name1 = nameOf(*m_node1);
        m_name2 = nameOf(*m_node2);
        m_name3 = nameOf(*m_node3);
        QVERIFY(!m_name1.isEmpty() && m_name1 != m_name2 && m_name2 != m_name3);
        QTRY_VERIFY_WITH_TIMEOUT(seesNodes(*m_node1, 3), 20000);
        QFile password(m_node1->server().dataDir() + QStringLiteral("/initial-admin-password"));
        QVERIFY(password.open(QIODevice::ReadOnly));
        m_adminPassword = QString::fromUtf8(password.readAll()).trimmed();

        m_feed1 = follow(*m_node1);
        QVERIFY(m_feed1);
        m_feed2 = follow(*m_node2);
        QVERIFY(m_feed2);
        // Each node hears the others' "on" (sent when their first console came): from then on it
        // publishes its frames.
        const QString on = QStringLiteral("consoles on node %1 follow the live feed");
        QTRY_VERIFY_WITH_TIMEOUT(logged(*m_node1, on.arg(m_name2)), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(logged(*m_node2, on.arg(m_name1)), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(logged(*m_node3, on.arg(m_name1)) && logged(*m_node3, on.arg(m_name2)), 10000);
    }

    void cleanupTestCase()
    {
        m_feed1.reset();
        m_feed2.reset();
        m_node3.reset();
        m_node2.reset();
        m_node1.reset();
    }

    void anotherNodesEventIsSeenOnceWithItsNode()
    {
        const QString token = m_node1->registerDevice(QStringLiteral("phone")); // no session: a push
        QVERIFY(m_node1->login(token));
        QString id;
        QCOMPARE(m_node2->postEvent(QStringLiteral("e-%1").arg(++m_events), &id), 202);
        const QJsonObject delivered = m_feed1->waitFor(allOf(about(id), field(QStringLiteral("outcome"), QStringLiteral("delivered"))));
        if (delivered.isEmpty()) {
            for (const QJsonObject &f : m_feed1->frames)
                qWarning() << "feed 1:" << f;
            for (const QJsonObject &f : m_feed2->frames)
                qWarning() << "feed 2:" << f;
        }
        QVERIFY2(!delivered.isEmpty(), "node 1's console never saw node 2's push");
        QCOMPARE(delivered.value(QStringLiteral("node")).toString(), m_name2);
        QCOMPARE(delivered.value(QStringLiteral("deviceId")).toString(), QStringLiteral("phone"));
        QCOMPARE(delivered.value(QStringLiteral("channel")).toString(), QStringLiteral("push"));
        // Once the last frame is there, anything that came twice would be there before the marker's.
        QVERIFY(!m_feed1->waitFor(finished(id)).isEmpty());
        QVERIFY(marker(*m_node2, m_name2));

        // Node 1's console saw what node 2's own console saw: the same frames, once, in order.
        const QList<QJsonObject> seen1 = framesMatching(*m_feed1, about(id));
        const QList<QJsonObject> seen2 = framesMatching(*m_feed2, about(id));
        QCOMPARE(seen1, seen2);
        QVERIFY2(seen1.size() >= 3, "a notification, a push attempt and the finished delivery");
        QCOMPARE(seen1.first().value(QStringLiteral("type")).toString(), QStringLiteral("notification"));
        QCOMPARE(seen1.first().value(QStringLiteral("account")).toString(), QStringLiteral("alice"));
        QCOMPARE(seen1.last().value(QStringLiteral("state")).toString(), QStringLiteral("delivered"));
        QSet<QString> distinct;
        for (const QJsonObject &f : seen1) {
            QCOMPARE(f.value(QStringLiteral("node")).toString(), m_name2);
            QVERIFY(!f.contains(QStringLiteral("deviceRow")) && !f.contains(QStringLiteral("accountRow")));
            // What the event said never crosses.
            QVERIFY(!f.contains(QStringLiteral("subject")) && !f.contains(QStringLiteral("body")) &&
                    !f.contains(QStringLiteral("sender")));
            distinct.insert(QString::fromUtf8(QJsonDocument(f).toJson(QJsonDocument::Compact)));
        }
        QCOMPARE(distinct.size(), seen1.size());

        // The console's own node: its frames once, on both consoles.
        QCOMPARE(m_node1->postEvent(QStringLiteral("e-%1").arg(++m_events), &id), 202);
        QVERIFY(!m_feed2->waitFor(finished(id)).isEmpty());
        QVERIFY(marker(*m_node1, m_name1));
        const QList<QJsonObject> own1 = framesMatching(*m_feed1, about(id));
        QCOMPARE(own1, framesMatching(*m_feed2, about(id)));
        QVERIFY(own1.size() >= 3);
        for (const QJsonObject &f : own1)
            QCOMPARE(f.value(QStringLiteral("node")).toString(), m_name1);
    }

    void inBandOnAThirdNodeIsSeenFromIt()
    {
        const QString token = m_node1->registerDevice(QStringLiteral("tablet"));
        QVERIFY(m_node1->login(token));
        auto session = foregroundSession(*m_node3, token);
        QVERIFY(session);
        QSignalSpy delivered(session.get(), &SessionChannel::delivered);
        const QJsonObject presence = m_feed1->waitFor(allOf(allOf(field(QStringLiteral("type"), QStringLiteral("presence")),
                                                                  field(QStringLiteral("deviceId"), QStringLiteral("tablet"))),
                                                            [](const QJsonObject &f) {
                                                                return f.value(QStringLiteral("apps")).toObject().value(QStringLiteral("mail")) ==
                                                                       QStringLiteral("foreground");
                                                            }));
        QVERIFY2(!presence.isEmpty(), "node 1's console never saw the session on node 3");
        QCOMPARE(presence.value(QStringLiteral("node")).toString(), m_name3);
        QCOMPARE(presence.value(QStringLiteral("account")).toString(), QStringLiteral("alice"));
        QVERIFY(presence.value(QStringLiteral("online")).toBool());
        QTRY_VERIFY_WITH_TIMEOUT(!sessionHolder(*m_node1, QStringLiteral("tablet"), QStringLiteral("mail")).isEmpty(), 10000);

        // Posted to node 1, handed to node 3, delivered in-band there and acknowledged.
        QString id;
        QCOMPARE(m_node1->postEvent(QStringLiteral("e-%1").arg(++m_events), &id), 202);
        QTRY_VERIFY_WITH_TIMEOUT(!delivered.isEmpty(), 10000);
        const QJsonObject acked = m_feed1->waitFor(allOf(about(id), field(QStringLiteral("outcome"), QStringLiteral("acked"))));
        QVERIFY2(!acked.isEmpty(), "node 1's console never saw node 3's in-band delivery");
        QCOMPARE(acked.value(QStringLiteral("node")).toString(), m_name3);
        QCOMPARE(acked.value(QStringLiteral("channel")).toString(), QStringLiteral("in-band"));
        QCOMPARE(acked.value(QStringLiteral("deviceId")).toString(), QStringLiteral("tablet"));
        QVERIFY(!m_feed2->waitFor(finished(id)).isEmpty());
        QVERIFY(marker(*m_node3, m_name3));
        QVERIFY(marker(*m_node1, m_name1));
        const QList<QJsonObject> seen = framesMatching(*m_feed1, about(id));
        // Each node's frames in its order; how two nodes' frames interleave may differ per console.
        for (const QString &node : {m_name1, m_name3})
            QCOMPARE(framesMatching(*m_feed1, allOf(about(id), fromNode(node))),
                     framesMatching(*m_feed2, allOf(about(id), fromNode(node))));
        QCOMPARE(framesMatching(*m_feed1, allOf(about(id), fromNode(m_name2))).size(), 0);
        QCOMPARE(framesMatching(*m_feed1, allOf(about(id), field(QStringLiteral("outcome"), QStringLiteral("acked")))).size(), 1);
        QCOMPARE(framesMatching(*m_feed1, allOf(about(id), field(QStringLiteral("type"), QStringLiteral("notification")))).size(), 1);
        QCOMPARE(seen.first().value(QStringLiteral("node")).toString(), m_name1); // where the event came in
        QCOMPARE(seen.last().value(QStringLiteral("state")).toString(), QStringLiteral("delivered"));
        QCOMPARE(seen.last().value(QStringLiteral("node")).toString(), m_name3);
    }

    void garbageOnTheChannelsIsDropped()
    {
        const QString db = m_node1->server().dataDir();
        const QStringList hostile{
            QStringLiteral("SELECT pg_notify('herald_feed', 'garbage')"),
            QStringLiteral("SELECT pg_notify('herald_feed', repeat('x', 7990))"),
            QStringLiteral("SELECT pg_notify('herald_feed', '{\"v\":1,\"node\":\"evil\",\"run\":\"r\",\"seq\":1,"
                           "\"frames\":[{\"type\":\"deliver\",\"at\":\"t\"}]}')"),
            QStringLiteral("SELECT pg_notify('herald_feed', '{\"v\":1,\"node\":\"evil\",\"run\":\"r\",\"seq\":1,"
                           "\"frames\":[{\"type\":\"notification\",\"id\":\"x\",\"app\":\"mail\",\"createdAt\":\"t\","
                           "\"at\":\"t\",\"accountRow\":{\"a\":1}}]}')"),
            QStringLiteral("SELECT pg_notify('herald_feed_watch', 'on ../../etc x')"),
            QStringLiteral("SELECT pg_notify('herald_feed_watch', repeat('on ', 2000))"),
        };
        for (const QString &sql : hostile) {
            QString error;
            QVERIFY2(TestDatabase::exec(db, sql, &error), qPrintable(error));
        }
        QTRY_VERIFY_WITH_TIMEOUT(logged(*m_node1, QStringLiteral("dropped a live feed notice from the database")), 10000);
        QVERIFY(logged(*m_node3, QStringLiteral("dropped a live feed notice from the database"))); // the watch channel
        QVERIFY(!logged(*m_node1, QStringLiteral("evil")));
        QVERIFY(framesMatching(*m_feed1, fromNode(QStringLiteral("evil"))).isEmpty());

        // Everyone still works.
        QVERIFY(marker(*m_node2, m_name2));
        QVERIFY(marker(*m_node1, m_name1));
        QVERIFY(marker(*m_node3, m_name3));
        QCOMPARE(m_node1->http().get(QStringLiteral("/healthz")).status, 200);
        // No notice of a real node went missing on the way.
        QVERIFY(!logged(*m_node1, QStringLiteral("missed \\d+ live feed notice")));
        QVERIFY(!logged(*m_node2, QStringLiteral("missed \\d+ live feed notice")));
    }

    void aPeerThatStopsLeavesTheFeedWorking()
    {
        // A console on node 3 too, then node 3 stops cleanly: the others hear its "off".
        {
            auto feed3 = follow(*m_node3);
            QVERIFY(feed3);
            QTRY_VERIFY_WITH_TIMEOUT(logged(*m_node1, QStringLiteral("consoles on node %1 follow").arg(m_name3)), 10000);
            QCOMPARE(m_node3->server().stop(), 0);
        }
        QTRY_VERIFY_WITH_TIMEOUT(logged(*m_node1, QStringLiteral("no console on node %1 follows").arg(m_name3)), 10000);
        QVERIFY(m_feed1->socket.isValid());
        QVERIFY(marker(*m_node2, m_name2));
        QVERIFY(marker(*m_node1, m_name1));

        // A console that leaves: the others stop sending there, and its node still serves the rest.
        m_feed2->socket.close();
        QTRY_VERIFY_WITH_TIMEOUT(logged(*m_node1, QStringLiteral("no console on node %1 follows").arg(m_name2)), 10000);
        QString id;
        QCOMPARE(m_node2->postEvent(QStringLiteral("e-%1").arg(++m_events), &id), 202);
        const QJsonObject seen = m_feed1->waitFor(allOf(about(id), field(QStringLiteral("type"), QStringLiteral("notification"))));
        QCOMPARE(seen.value(QStringLiteral("node")).toString(), m_name2);
    }
};

QTEST_MAIN(tst_ClusterFeed)
#include "tst_clusterfeed.moc"
