// GET /admin/v1/nodes and the stats' "cluster" against real servers: on either engine one node
// whose heartbeat reports where it listens, its version, the session channels and monitors it
// holds; on PostgreSQL (tst_adminnodes.postgresql) a second node on the same database, seen by
// the first with its own address and sessions, and gone once it stops. Hostile queries and who
// may read. Heartbeats every second, so each figure is waited for, never slept on.
#include "AdminFixture.h"
#include "HeraldVersion.h"
#include "SessionChannel.h"
#include "TestDatabase.h"

#include <QFile>
#include <QJsonArray>
#include <QTcpServer>
#include <QtTest>

using namespace herald;
using namespace herald::test;

namespace {

QStringList fastHeartbeat()
{
    return {QStringLiteral("--node-heartbeat-secs"), QStringLiteral("1"), QStringLiteral("--node-timeout-secs"),
            QStringLiteral("3")};
}

// A loopback port nothing listens on: the mail monitor keeps trying it, so it runs (failing).
quint16 closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

QByteArray config()
{
    return QStringLiteral("[imap.corp]\nhost = 127.0.0.1\nport = %1\nsecurity = plain\n"
                          "[app.mail]\nmonitor = imap.corp\n"
                          "[app.chat]\nprivacy = summary\n")
        .arg(closedPort())
        .toUtf8();
}

QString nodeName(ServerProcess &server)
{
    QFile file(server.dataDir() + QStringLiteral("/node-name"));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()).trimmed() : QString();
}

} // namespace

class tst_AdminNodes : public QObject
{
    Q_OBJECT

private:
    AdminFixture m_fx{fastHeartbeat(), config()};
    QString m_phone; // device token, registered for mail and chat

    QJsonArray nodes(const QString &query = {})
    {
        return m_fx.http().get(QStringLiteral("/admin/v1/nodes") + query, m_fx.helpdesk()).json().object()
            .value(QStringLiteral("nodes")).toArray();
    }
    // The entry of the node named `name`; empty when it is not listed.
    QJsonObject entry(const QString &name)
    {
        for (const QJsonValue &v : nodes())
            if (v.toObject().value(QStringLiteral("node")).toString() == name)
                return v.toObject();
        return {};
    }
    int field(const QString &name, const QString &key) { return entry(name).value(key).toInt(-1); }
    QJsonObject cluster()
    {
        return m_fx.http().get(QStringLiteral("/admin/v1/stats"), m_fx.helpdesk()).json().object()
            .value(QStringLiteral("cluster")).toObject();
    }
    int clusterField(const QString &key) { return cluster().value(key).toInt(-1); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_fx.start());
        m_phone = m_fx.delivery().registerDevice(QStringLiteral("phone"), {QStringLiteral("mail"), QStringLiteral("chat")});
        QVERIFY(!m_phone.isEmpty());
    }

    void oneNodeReportsItself()
    {
        const QString name = nodeName(m_fx.server());
        QVERIFY(!name.isEmpty());
        // The first heartbeat follows the start at once; its report is there by the next.
        QTRY_COMPARE(entry(name).value(QStringLiteral("address")).toString(),
                     QStringLiteral("127.0.0.1:%1").arg(m_fx.server().port()));
        const auto reply = m_fx.http().get(QStringLiteral("/admin/v1/nodes"), m_fx.helpdesk());
        QCOMPARE(reply.status, 200);
        const QJsonObject body = reply.json().object();
        QCOMPARE(body.value(QStringLiteral("total")).toInt(), 1);
        QCOMPARE(body.value(QStringLiteral("offset")).toInt(), 0);
        QCOMPARE(body.value(QStringLiteral("limit")).toInt(), 100);
        const QJsonObject node = body.value(QStringLiteral("nodes")).toArray().first().toObject();
        QCOMPARE(node.value(QStringLiteral("node")).toString(), name);
        QCOMPARE(node.value(QStringLiteral("version")).toString(), QStringLiteral(HERALD_VERSION_STRING));
        QCOMPARE(node.value(QStringLiteral("alive")).toBool(), true);
        QCOMPARE(node.value(QStringLiteral("self")).toBool(), true);
        QCOMPARE(node.value(QStringLiteral("sessions")).toInt(), 0);
        QCOMPARE(node.value(QStringLiteral("monitors")).toInt(), 0);
        const QDateTime started = QDateTime::fromString(node.value(QStringLiteral("startedAt")).toString(), Qt::ISODateWithMs);
        const QDateTime beat = QDateTime::fromString(node.value(QStringLiteral("heartbeatAt")).toString(), Qt::ISODateWithMs);
        QVERIFY(started.isValid() && beat.isValid());
        QVERIFY(started <= beat);
        QVERIFY(qAbs(beat.secsTo(QDateTime::currentDateTimeUtc())) < 60);
        QVERIFY(node.value(QStringLiteral("heartbeatAgeMs")).toDouble() < 3000);

        QCOMPARE(nodes(QStringLiteral("?state=alive")).size(), 1);
        QCOMPARE(nodes(QStringLiteral("?state=stopped")).size(), 0);
        QCOMPARE(clusterField(QStringLiteral("nodesAlive")), 1);
        QCOMPARE(clusterField(QStringLiteral("nodesStopped")), 0);
    }

    void sessionsAndMonitorsFollow()
    {
        const QString name = nodeName(m_fx.server());
        auto session = m_fx.delivery().openSession(m_phone);
        QVERIFY(session);
        QTRY_COMPARE(field(name, QStringLiteral("sessions")), 1);
        QTRY_COMPARE(clusterField(QStringLiteral("sessions")), 1);

        // A login to mail starts its IMAP monitor (it keeps failing on a closed port, but it runs).
        const QJsonObject login{
            {QStringLiteral("apps"),
             QJsonArray{QJsonObject{{QStringLiteral("app"), QStringLiteral("mail")},
                                    {QStringLiteral("credentials"),
                                     QJsonObject{{QStringLiteral("username"), QStringLiteral("alice")},
                                                 {QStringLiteral("password"), QStringLiteral("imap-secret")}}}}}}};
        QCOMPARE(m_fx.http().post(QStringLiteral("/v1/login"), login, m_phone).status, 200);
        QTRY_COMPARE(field(name, QStringLiteral("monitors")), 1);
        QTRY_COMPARE(clusterField(QStringLiteral("monitors")), 1);

        session->close();
        QTRY_COMPARE(field(name, QStringLiteral("sessions")), 0);
        QTRY_COMPARE(clusterField(QStringLiteral("sessions")), 0);
    }

    void badQueriesAreRefused()
    {
        for (const QString &query : {QStringLiteral("?limit=0"), QStringLiteral("?limit=501"), QStringLiteral("?limit=abc"),
                                     QStringLiteral("?offset=-1"), QStringLiteral("?offset=%2B1"),
                                     QStringLiteral("?state=dead"), QStringLiteral("?state="), QStringLiteral("?node=x"),
                                     QStringLiteral("?state=alive&state=stopped"),
                                     QStringLiteral("?limit=99999999999999999999")}) {
            const auto reply = m_fx.http().get(QStringLiteral("/admin/v1/nodes") + query, m_fx.helpdesk());
            QVERIFY2(reply.status == 400, qPrintable(query));
            QCOMPARE(reply.errorCode(), QStringLiteral("invalid_value"));
            QVERIFY(AdminFixture::isErrorShape(reply));
        }
        const auto unknown = m_fx.http().get(QStringLiteral("/admin/v1/nodes?nodes=1"), m_fx.helpdesk());
        QVERIFY(unknown.json().object().value(QStringLiteral("message")).toString().contains(QStringLiteral("'nodes'")));
        // Paging past the end is an empty page, not an error.
        const auto past = m_fx.http().get(QStringLiteral("/admin/v1/nodes?offset=5&limit=1"), m_fx.helpdesk());
        QCOMPARE(past.status, 200);
        QCOMPARE(past.json().object().value(QStringLiteral("nodes")).toArray().size(), 0);
        QVERIFY(past.json().object().value(QStringLiteral("total")).toInt() >= 1);
    }

    void whoMayRead()
    {
        QCOMPARE(m_fx.http().get(QStringLiteral("/admin/v1/nodes"), m_fx.admin()).status, 200);
        QCOMPARE(m_fx.http().get(QStringLiteral("/admin/v1/nodes"), m_fx.helpdesk()).status, 200);
        QCOMPARE(m_fx.http().get(QStringLiteral("/admin/v1/nodes")).status, 401);
        QCOMPARE(m_fx.http().get(QStringLiteral("/admin/v1/nodes"), QString(43, QLatin1Char('Z'))).errorCode(),
                 QStringLiteral("invalid_token"));
        // A terminal's device token is no console session.
        QCOMPARE(m_fx.http().get(QStringLiteral("/admin/v1/nodes"), m_phone).status, 401);
        QCOMPARE(m_fx.http().request("POST", QStringLiteral("/admin/v1/nodes"), "{}", m_fx.admin()).status, 405);
        QCOMPARE(m_fx.http().request("DELETE", QStringLiteral("/admin/v1/nodes"), {}, m_fx.admin()).status, 405);
    }

    void aSecondNodeOnTheSameDatabase()
    {
        if (!TestDatabase::isPostgres())
            QSKIP("nodes share a database on PostgreSQL only (run as tst_adminnodes.postgresql)");
        const QString first = nodeName(m_fx.server());
        auto second = DeliveryFixture::joining(m_fx.delivery(), fastHeartbeat(), config());
        QVERIFY(second->start());
        const QString name = nodeName(second->server());
        QVERIFY(!name.isEmpty() && name != first);
        QTRY_COMPARE(entry(name).value(QStringLiteral("address")).toString(),
                     QStringLiteral("127.0.0.1:%1").arg(second->server().port()));
        const QJsonObject node = entry(name);
        QCOMPARE(node.value(QStringLiteral("self")).toBool(), false);
        QCOMPARE(node.value(QStringLiteral("alive")).toBool(), true);
        QCOMPARE(node.value(QStringLiteral("version")).toString(), QStringLiteral(HERALD_VERSION_STRING));
        QCOMPARE(entry(first).value(QStringLiteral("self")).toBool(), true);
        QCOMPARE(nodes().size(), 2);
        QTRY_COMPARE(clusterField(QStringLiteral("nodesAlive")), 2);

        // A session on the second node counts there, and in the cluster's sum seen from the first.
        auto session = second->openSession(m_phone);
        QVERIFY(session);
        QTRY_COMPARE(field(name, QStringLiteral("sessions")), 1);
        QCOMPARE(field(first, QStringLiteral("sessions")), 0);
        QTRY_COMPARE(clusterField(QStringLiteral("sessions")), 1);
        // The one login's monitor runs on one node or the other, never on both.
        QTRY_COMPARE(clusterField(QStringLiteral("monitors")), 1);

        // A clean stop leaves the table at once.
        session.reset();
        QCOMPARE(second->server().stop(), 0);
        QTRY_VERIFY(entry(name).isEmpty());
        QCOMPARE(nodes().size(), 1);
        QTRY_COMPARE(clusterField(QStringLiteral("nodesAlive")), 1);
    }
};

QTEST_GUILESS_MAIN(tst_AdminNodes)
#include "tst_adminnodes.moc"
