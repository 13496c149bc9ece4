// Three herald-server nodes on one PostgreSQL (issue 19), with herald-client as the terminal: a
// device registered on node 1, logged in on node 2, with its session on node 3 gets an event
// posted to node 1 in-band from node 3; in the background it gets exactly one push, from one node.
// A hand-over whose NOTIFY was lost is found by the holder's heartbeat. The stats on node 1 count
// the presence and events of all three.
// PostgreSQL only: the nodes hand deliveries to each other with NOTIFY.
#include "ClusterNodes.h"
#include "DeliveryFixture.h"
#include "OutboxRows.h"
#include "SessionChannel.h"
#include "TestDatabase.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QtTest>

using namespace herald;
using namespace herald::test;
using protocol::UiState;
using namespace herald::test::ClusterNodes;

class tst_Cluster : public QObject
{
    Q_OBJECT

    std::unique_ptr<DeliveryFixture> m_node1;
    std::unique_ptr<DeliveryFixture> m_node2;
    std::unique_ptr<DeliveryFixture> m_node3;
    int m_events = 0;

    int pushesOf(const QString &notificationId) const
    {
        return int(m_node1->pushes(notificationId).size() + m_node2->pushes(notificationId).size() +
                   m_node3->pushes(notificationId).size());
    }

    // A console session on `node` for the bootstrap admin (the cluster shares its operators).
    QString consoleToken(DeliveryFixture &node) const
    {
        QFile password(m_node1->server().dataDir() + QStringLiteral("/initial-admin-password"));
        if (!password.open(QIODevice::ReadOnly))
            return {};
        const auto reply = node.http().post(QStringLiteral("/admin/v1/login"),
                                            {{QStringLiteral("username"), QStringLiteral("admin")},
                                             {QStringLiteral("password"), QString::fromUtf8(password.readAll()).trimmed()}});
        return reply.json().object().value(QStringLiteral("token")).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!TestDatabase::isPostgres())
            QSKIP("a cluster needs PostgreSQL (run as tst_cluster.postgresql)");
        m_node1 = std::make_unique<DeliveryFixture>(fastHeartbeat());
        QVERIFY(m_node1->start());
        m_node2 = DeliveryFixture::joining(*m_node1, fastHeartbeat());
        QVERIFY(m_node2->start());
        m_node3 = DeliveryFixture::joining(*m_node1, fastHeartbeat());
        QVERIFY(m_node3->start());
        // Node 1 decides where events go: it must know the others are there.
        QString log;
        QTRY_VERIFY_WITH_TIMEOUT(seesNodes(*m_node1, 3, &log), 20000);
    }

    void cleanupTestCase()
    {
        m_node3.reset();
        m_node2.reset();
        m_node1.reset();
    }

    // First, while node 1 has neither sessions nor events of its own: what its stats count comes
    // from the others' heartbeats.
    void statsCountEveryLiveNode()
    {
        // A device in the foreground on node 3 and events posted to node 2, asked of node 1.
        const QString token = m_node1->registerDevice(QStringLiteral("desk"));
        QVERIFY(!token.isEmpty());
        QVERIFY(m_node1->login(token));
        auto session = foregroundSession(*m_node3, token);
        QVERIFY(session);
        constexpr int Events = 4;
        for (int i = 0; i < Events; ++i)
            QCOMPARE(m_node2->postEvent(QStringLiteral("c-%1").arg(++m_events)), 202);
        const QString console = consoleToken(*m_node1);
        QVERIFY(!console.isEmpty());

        QJsonObject stats;
        const auto counted = [&] {
            const auto reply = m_node1->http().get(QStringLiteral("/admin/v1/stats"), console);
            stats = reply.json().object();
            const QJsonObject devices = stats.value(QStringLiteral("devices")).toObject();
            const QJsonObject events = stats.value(QStringLiteral("events")).toObject();
            int charted = 0;
            for (const QJsonValue &minute : stats.value(QStringLiteral("series")).toArray())
                charted += minute.toObject().value(QStringLiteral("events")).toInt();
            return reply.status == 200 && devices.value(QStringLiteral("online")).toInt() >= 1 &&
                   devices.value(QStringLiteral("byPresence")).toObject().value(QStringLiteral("foreground")).toInt() >= 1 &&
                   events.value(QStringLiteral("lastMinute")).toInt() >= Events &&
                   events.value(QStringLiteral("lastHour")).toInt() >= Events && charted >= Events;
        };
        // Within a couple of heartbeats (one a second here).
        QTRY_VERIFY2_WITH_TIMEOUT(counted(), QJsonDocument(stats).toJson(QJsonDocument::Compact).constData(), 10000);
        QCOMPARE(stats.value(QStringLiteral("series")).toArray().size(), 60); // the shape is unchanged
    }

    // The device list on node 1 shows a device whose session is on node 3 as online there, with
    // the app node 3 published as on screen.
    void theDeviceListSeesSessionsOnOtherNodes()
    {
        const QString token = m_node1->registerDevice(QStringLiteral("kiosk"), {QStringLiteral("mail"), QStringLiteral("im")});
        QVERIFY(!token.isEmpty());
        QVERIFY(m_node1->login(token, {QStringLiteral("mail"), QStringLiteral("im")}));
        const QString console = consoleToken(*m_node1);
        QVERIFY(!console.isEmpty());
        const auto kiosk = [&](const QString &filter = {}) {
            const auto reply = m_node1->http().get(QStringLiteral("/admin/v1/devices?q=kiosk") + filter, console);
            const QJsonArray devices = reply.json().object().value(QStringLiteral("devices")).toArray();
            return devices.size() == 1 ? devices.first().toObject() : QJsonObject();
        };
        QCOMPARE(kiosk().value(QStringLiteral("online")).toBool(true), false);
        QVERIFY(kiosk().value(QStringLiteral("node")).isNull());

        auto session = foregroundSession(*m_node3, token);
        QVERIFY(session);
        QTRY_VERIFY_WITH_TIMEOUT(kiosk().value(QStringLiteral("online")).toBool(), 10000);
        const QJsonObject there = kiosk();
        QCOMPARE(there.value(QStringLiteral("node")).toString(), nameOf(*m_node3));
        QCOMPARE(there.value(QStringLiteral("presence")).toObject(),
                 (QJsonObject{{QStringLiteral("mail"), QStringLiteral("foreground")},
                              {QStringLiteral("im"), QStringLiteral("closed")}}));
        QCOMPARE(kiosk(QStringLiteral("&presence=online")).value(QStringLiteral("deviceId")).toString(), QStringLiteral("kiosk"));
        QCOMPARE(kiosk(QStringLiteral("&presence=foreground")).value(QStringLiteral("deviceId")).toString(), QStringLiteral("kiosk"));
        QVERIFY(kiosk(QStringLiteral("&presence=offline")).isEmpty());

        // In the background nothing is on screen, but the device is still online on node 3.
        QVERIFY(session->setState(QStringLiteral("mail"), UiState::Background));
        QTRY_COMPARE_WITH_TIMEOUT(kiosk().value(QStringLiteral("presence")).toObject().value(QStringLiteral("mail")).toString(),
                                  QStringLiteral("closed"), 10000);
        QCOMPARE(kiosk().value(QStringLiteral("online")).toBool(), true);

        // Gone with its session.
        session.reset();
        QTRY_COMPARE_WITH_TIMEOUT(kiosk().value(QStringLiteral("online")).toBool(true), false, 10000);
    }

    void inBandFromTheNodeThatHoldsTheSession()
    {
        const QString token = m_node1->registerDevice(QStringLiteral("phone"));
        QVERIFY(!token.isEmpty());
        QVERIFY(m_node2->login(token));
        auto session = foregroundSession(*m_node3, token);
        QVERIFY(session);
        QSignalSpy delivered(session.get(), &SessionChannel::delivered);
        // Node 3 publishes its session through its background writer: wait for the row.
        QTRY_VERIFY_WITH_TIMEOUT(!sessionHolder(*m_node1, QStringLiteral("phone"), QStringLiteral("mail")).isEmpty(), 10000);

        QString id;
        QCOMPARE(m_node1->postEvent(QStringLiteral("c-%1").arg(++m_events), &id), 202);
        QTRY_VERIFY_WITH_TIMEOUT(!delivered.isEmpty(), 10000);
        QCOMPARE(delivered.first().first().value<protocol::DeliverFrame>().id, id);
        QTRY_COMPARE(m_node1->deliveries(id), QStringList{QStringLiteral("phone:delivered:inband")});
        QCOMPARE(pushesOf(id), 0);
        QVERIFY(DeliveryFixture::caughtUp(*session));
        QCOMPARE(delivered.size(), 1);

        // In the background: one push, whichever node sends it, and nothing in-band.
        QVERIFY(session->setState(QStringLiteral("mail"), UiState::Background));
        QVERIFY(DeliveryFixture::caughtUp(*session));
        QTRY_VERIFY_WITH_TIMEOUT(sessionHolder(*m_node1, QStringLiteral("phone"), QStringLiteral("mail")).isEmpty(), 10000);
        QCOMPARE(m_node2->postEvent(QStringLiteral("c-%1").arg(++m_events), &id), 202);
        QTRY_COMPARE_WITH_TIMEOUT(m_node1->deliveries(id), QStringList{QStringLiteral("phone:delivered:push")}, 10000);
        QCOMPARE(pushesOf(id), 1); // the final state is committed after the push: none can follow
        QVERIFY(DeliveryFixture::caughtUp(*session));
        QCOMPARE(delivered.size(), 1);
    }

    void aHandOverWhoseNoticeWasLostIsStillDelivered()
    {
        // A delivery node 3 owns, pending and untouched, as when another node handed it over while
        // node 3's listening connection was reconnecting and the NOTIFY never arrived: node 3's
        // heartbeat finds it and delivers it in-band.
        const QString token = m_node1->registerDevice(QStringLiteral("laptop"));
        QVERIFY(m_node1->login(token));
        auto session = foregroundSession(*m_node3, token);
        QVERIFY(session);
        QSignalSpy delivered(session.get(), &SessionChannel::delivered);

        QString error;
        const auto storage = TestDatabase::open(m_node1->server().dataDir(), &error);
        QVERIFY2(storage, qPrintable(error));
        const QString node3 = nameOf(*m_node3);
        QVERIFY(!node3.isEmpty());
        QString claimer3;
        for (const Storage::NodeRun &run : storage->liveNodes(0).value_or(QList<Storage::NodeRun>()))
            if (run.node == node3)
                claimer3 = run.claimer;
        QVERIFY2(!claimer3.isEmpty(), qPrintable(node3));
        const auto device = storage->deviceByDeviceId(QStringLiteral("laptop"));
        QVERIFY(device);
        const NotificationRecord n = test::mailNotification(device->accountId, QStringLiteral("stranded"));
        DeliveryRecord d;
        d.id = QStringLiteral("d-stranded");
        d.notificationId = n.id;
        d.deviceId = device->id;
        QVERIFY(storage->insertNotification(n));
        QVERIFY(storage->insertDelivery(d));
        QVERIFY2(TestDatabase::exec(m_node1->server().dataDir(),
                                    QStringLiteral("UPDATE deliveries SET claimed_by = '%1', updated_at = 0 WHERE id = '%2'")
                                        .arg(claimer3, d.id),
                                    &error),
                 qPrintable(error));

        QTRY_VERIFY_WITH_TIMEOUT(!delivered.isEmpty(), 15000);
        QCOMPARE(delivered.first().first().value<protocol::DeliverFrame>().id, n.id);
        QTRY_COMPARE(m_node1->deliveries(n.id), QStringList{QStringLiteral("laptop:delivered:inband")});
        QCOMPARE(pushesOf(n.id), 0);
    }

    void theClusterRidesOutADatabaseRestart()
    {
        // PostgreSQL restarts (every connection of every node ends) under a session on node 3.
        // The nodes connect again; an event posted to node 1 once it answers again is still
        // handed to node 3 and delivered in-band, and all three nodes are alive again.
        const QString token = m_node1->registerDevice(QStringLiteral("watch"));
        QVERIFY(m_node1->login(token));
        auto session = foregroundSession(*m_node3, token);
        QVERIFY(session);
        QSignalSpy delivered(session.get(), &SessionChannel::delivered);
        QTRY_VERIFY_WITH_TIMEOUT(!sessionHolder(*m_node1, QStringLiteral("watch"), QStringLiteral("mail")).isEmpty(), 10000);

        QString error;
        QVERIFY2(TestDatabase::restartPostgres(&error), qPrintable(error));
        // While a node finds its connection gone it answers an error, never a false 202.
        const QString eventId = QStringLiteral("c-%1").arg(++m_events);
        QString id;
        QList<int> answers;
        QVERIFY(QTest::qWaitFor(
            [&] {
                answers.append(m_node1->postEvent(eventId, &id));
                return answers.last() == 202 || answers.last() == 200;
            },
            30000));
        for (int status : std::as_const(answers))
            QVERIFY2(status == 202 || status == 200 || status >= 500, qPrintable(QString::number(status)));
        qInfo() << "answers to the event while the database came back:" << answers;
        QTRY_VERIFY_WITH_TIMEOUT(!delivered.isEmpty(), 15000);
        QCOMPARE(delivered.first().first().value<protocol::DeliverFrame>().id, id);
        QTRY_COMPARE_WITH_TIMEOUT(m_node1->deliveries(id), QStringList{QStringLiteral("watch:delivered:inband")}, 10000);
        QCOMPARE(pushesOf(id), 0);
        QString log;
        QTRY_VERIFY_WITH_TIMEOUT(seesNodes(*m_node1, 3, &log), 20000);
        QVERIFY(DeliveryFixture::caughtUp(*session));
        QCOMPARE(delivered.size(), 1);
    }

    void aStoppedNodesSessionCountsAsGone()
    {
        // A session on node 3 in the foreground, then node 3 stops: events posted to node 1 go
        // out as pushes rather than to a node that is not there.
        const QString token = m_node1->registerDevice(QStringLiteral("tablet"));
        QVERIFY(m_node1->login(token));
        auto session = foregroundSession(*m_node3, token);
        QVERIFY(session);
        QTRY_VERIFY_WITH_TIMEOUT(!sessionHolder(*m_node1, QStringLiteral("tablet"), QStringLiteral("mail")).isEmpty(), 10000);
        QCOMPARE(m_node3->server().stop(), 0); // a clean stop leaves the nodes table at once
        QCOMPARE(sessionHolder(*m_node1, QStringLiteral("tablet"), QStringLiteral("mail")), QString());

        QString id;
        QCOMPARE(m_node1->postEvent(QStringLiteral("c-%1").arg(++m_events), &id), 202);
        QTRY_COMPARE_WITH_TIMEOUT(m_node1->deliveries(id), QStringList{QStringLiteral("tablet:delivered:push")}, 10000);
        QCOMPARE(pushesOf(id), 1);
    }
};

QTEST_MAIN(tst_Cluster)
#include "tst_cluster.moc"
