// Rolling upgrades of a cluster (issue 19), on PostgreSQL. Nodes of version N and N+1 share a
// database during an upgrade: the first N+1 node upgrades the schema while N nodes keep serving
// on it, and a node refuses to start on a schema newer than it knows. The schema steps are
// additive (tests/unit/tst_schemacompat holds that); here a running node meets a next version
// made the same way, and nodes that start at once on an empty database make the schema once.
#include "DeliveryFixture.h"
#include "SessionChannel.h"
#include "TestDatabase.h"

#include <QSignalSpy>
#include <QtTest>

using namespace herald;
using namespace herald::test;
using protocol::UiState;

class tst_RollingUpgrade : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!TestDatabase::isPostgres())
            QSKIP("a cluster needs PostgreSQL (run as tst_rollingupgrade.postgresql)");
    }

    void nodesStartingAtOnceMakeTheSchemaOnce()
    {
        // The first start of a cluster: every node finds an empty database at the same moment.
        ServerProcess first;
        ServerProcess second;
        ServerProcess third;
        second.shareDatabaseOf(first.dataDir());
        third.shareDatabaseOf(first.dataDir());
        for (ServerProcess *node : {&first, &second, &third})
            node->launch();
        QString logs;
        for (ServerProcess *node : {&first, &second, &third}) {
            QVERIFY(node->waitListening());
            logs += node->output();
        }
        QCOMPARE(logs.count(QStringLiteral("created schema version")), 1);
        QVERIFY2(!logs.contains(QStringLiteral("already exists")), qPrintable(logs));
        for (ServerProcess *node : {&first, &second, &third})
            QCOMPARE(node->stop(), 0);
    }

    void aRunningNodeServesOnTheNextSchemaAndANewOneRefusesIt()
    {
        DeliveryFixture node({QStringLiteral("--target-policy"), QStringLiteral("all")});
        QVERIFY(node.start());
        const QString desk = node.registerDevice(QStringLiteral("desk"));
        QVERIFY(!desk.isEmpty());
        QVERIFY(node.login(desk));

        // A node of the next version upgrades the schema under this one, the way every step since
        // the cluster began does it: new columns with defaults, a new table, the version moved on.
        const QString db = node.server().databaseDir();
        QString error;
        for (const char *step :
             {"ALTER TABLE devices ADD COLUMN next_nickname TEXT",
              "ALTER TABLE deliveries ADD COLUMN next_priority INTEGER NOT NULL DEFAULT 0",
              "ALTER TABLE notifications ADD COLUMN next_labels TEXT NOT NULL DEFAULT ''",
              "ALTER TABLE nodes ADD COLUMN next_zone TEXT NOT NULL DEFAULT ''",
              "CREATE TABLE next_things (id BIGINT PRIMARY KEY, created_at BIGINT NOT NULL)",
              "UPDATE schema_version SET version = version + 1"})
            QVERIFY2(TestDatabase::exec(db, QString::fromLatin1(step), &error), qPrintable(error));

        // The running node goes on: registration, login, an event in-band to a session and pushed
        // to a device in the background, its heartbeat.
        const QString phone = node.registerDevice(QStringLiteral("phone"));
        QVERIFY(!phone.isEmpty());
        QVERIFY(node.login(phone));
        auto session = node.openSession(desk);
        QVERIFY(session);
        QSignalSpy delivered(session.get(), &SessionChannel::delivered);
        QVERIFY(session->setState(QStringLiteral("mail"), UiState::Foreground));
        QVERIFY(DeliveryFixture::caughtUp(*session));
        QString id;
        QCOMPARE(node.postEvent(QStringLiteral("after-upgrade"), &id), 202);
        QTRY_VERIFY_WITH_TIMEOUT(!delivered.isEmpty(), 10000);
        QCOMPARE(delivered.first().first().value<protocol::DeliverFrame>().id, id);
        QTRY_COMPARE_WITH_TIMEOUT(node.pushes(id).size(), 1, 10000);

        // A node of the old version that starts now refuses, and says why; so does a command.
        auto late = DeliveryFixture::joining(node);
        QVERIFY(!late->start());
        const QString said = late->server().output();
        QVERIFY2(said.contains(QStringLiteral("newer than this herald-server knows")), qPrintable(said));
        QVERIFY(late->server().process().exitCode() != 0);
        const auto command = node.server().runCommand({QStringLiteral("user"), QStringLiteral("list")});
        QVERIFY(command.exitCode != 0);
        QVERIFY2(command.err.contains(QStringLiteral("newer than this herald-server knows")), qPrintable(command.err));

        // The running node still stops cleanly, and what it wrote on the next schema is complete
        // (read by this version's storage once the version says it may).
        QCOMPARE(node.server().stop(), 0);
        QVERIFY2(TestDatabase::exec(db, QStringLiteral("UPDATE schema_version SET version = version - 1"), &error),
                 qPrintable(error));
        QStringList rows = node.deliveries(id);
        rows.sort();
        QCOMPARE(rows, (QStringList{QStringLiteral("desk:delivered:inband"), QStringLiteral("phone:delivered:push")}));
    }
};

QTEST_MAIN(tst_RollingUpgrade)
#include "tst_rollingupgrade.moc"
