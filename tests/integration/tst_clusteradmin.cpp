// The admin API across two herald-server nodes on one PostgreSQL (issue 19, "admin calls work
// identically whichever node a load balancer picks"). Console sessions: a token from a login on one
// node works on the other, for plain calls and for the live feed, with its role; a logout, a
// disabled operator and a password reset on one node end the session on the other within the
// refresh (about a second); made-up tokens in a flood get 401 and leave real sessions working.
// Changes: an operator's cancel on one node of a delivery the other node owns sticks there too.
// PostgreSQL only: a cluster shares its database.
#include "AsyncHttps.h"
#include "ClusterNodes.h"
#include "DeliveryFixture.h"
#include "LiveFeedClient.h"
#include "SessionChannel.h"
#include "TestDatabase.h"

#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QtTest>

using namespace herald;
using namespace herald::test;
using namespace herald::test::ClusterNodes;

class tst_ClusterAdmin : public QObject
{
    Q_OBJECT

    std::unique_ptr<DeliveryFixture> m_node1;
    std::unique_ptr<DeliveryFixture> m_node2;
    QString m_adminPassword;
    QString m_admin; // an admin session from node 1
    QHash<DeliveryFixture *, QString> m_logs;

    QString logIn(DeliveryFixture &node, const QString &name, const QString &password)
    {
        const auto reply = node.http().post(QStringLiteral("/admin/v1/login"),
                                            {{QStringLiteral("username"), name}, {QStringLiteral("password"), password}});
        if (reply.status != 200)
            qWarning() << "login of" << name << "answered" << reply.status << reply.body;
        return reply.json().object().value(QStringLiteral("token")).toString();
    }

    static int status(DeliveryFixture &node, const QString &token, const QString &path = QStringLiteral("/admin/v1/operators"))
    {
        return node.http().get(path, token).status;
    }

    bool createOperator(const QString &name, const QString &role)
    {
        const auto reply = m_node1->http().post(QStringLiteral("/admin/v1/operators"),
                                                {{QStringLiteral("username"), name},
                                                 {QStringLiteral("password"), QStringLiteral("%1-password").arg(name)},
                                                 {QStringLiteral("role"), role}},
                                                m_admin);
        return reply.status == 201;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!TestDatabase::isPostgres())
            QSKIP("a cluster needs PostgreSQL (run as tst_clusteradmin.postgresql)");
        // A short ack timeout, so that a delivery left unacknowledged falls back to push in the test.
        const QStringList args = fastHeartbeat() << QStringLiteral("--ack-timeout-secs") << QStringLiteral("2");
        m_node1 = std::make_unique<DeliveryFixture>(args);
        QVERIFY(m_node1->start());
        m_node2 = DeliveryFixture::joining(*m_node1, args);
        QVERIFY(m_node2->start());
        QTRY_VERIFY_WITH_TIMEOUT(seesNodes(*m_node1, 2, &m_logs[m_node1.get()]), 20000);
        QFile password(m_node1->server().dataDir() + QStringLiteral("/initial-admin-password"));
        QVERIFY(password.open(QIODevice::ReadOnly));
        m_adminPassword = QString::fromUtf8(password.readAll()).trimmed();
        m_admin = logIn(*m_node1, QStringLiteral("admin"), m_adminPassword);
        QVERIFY(!m_admin.isEmpty());
    }

    void cleanupTestCase()
    {
        m_node2.reset();
        m_node1.reset();
    }

    void aTokenFromOneNodeWorksOnTheOther()
    {
        // Node 2 has never seen this token: it reads the row, at once, before the first answer.
        QCOMPARE(status(*m_node2, m_admin), 200);
        QCOMPARE(status(*m_node2, m_admin, QStringLiteral("/admin/v1/stats")), 200);
        QCOMPARE(status(*m_node1, m_admin), 200);

        // The role comes along: helpdesk may read on either node but not change anything.
        QVERIFY(createOperator(QStringLiteral("desk"), QStringLiteral("helpdesk")));
        const QString desk = logIn(*m_node2, QStringLiteral("desk"), QStringLiteral("desk-password"));
        QVERIFY(!desk.isEmpty());
        QCOMPARE(status(*m_node1, desk, QStringLiteral("/admin/v1/stats")), 200);
        QCOMPARE(status(*m_node1, desk), 403); // the operator list is for admins
        const auto change = m_node1->http().post(QStringLiteral("/admin/v1/operators"),
                                                 {{QStringLiteral("username"), QStringLiteral("nobody")},
                                                  {QStringLiteral("password"), QStringLiteral("nobody-password")},
                                                  {QStringLiteral("role"), QStringLiteral("admin")}},
                                                 desk);
        QCOMPARE(change.status, 403);
    }

    void theLiveFeedTakesATokenFromTheOtherNode()
    {
        const QString token = logIn(*m_node2, QStringLiteral("admin"), m_adminPassword);
        QVERIFY(!token.isEmpty());
        for (const bool inQuery : {true, false}) {
            LiveFeedClient feed;
            QVERIFY(feed.open(m_node1->server(), token, inQuery));
            QVERIFY(!feed.waitFor(LiveFeedClient::ofType(QStringLiteral("hello"))).isEmpty());
        }
    }

    void aLogoutOnOneNodeEndsTheSessionOnBoth()
    {
        const QString token = logIn(*m_node1, QStringLiteral("admin"), m_adminPassword);
        QCOMPARE(status(*m_node2, token), 200); // node 2 now holds it in memory
        QCOMPARE(m_node1->http().request("POST", QStringLiteral("/admin/v1/logout"), {}, token).status, 204);
        QCOMPARE(status(*m_node1, token), 401);
        // Node 2 learns of it at its next refresh (every second).
        QTRY_COMPARE_WITH_TIMEOUT(status(*m_node2, token), 401, 5000);
        // A node that never held it reads the missing row: 401 at once.
        const QString other = logIn(*m_node2, QStringLiteral("admin"), m_adminPassword);
        QCOMPARE(m_node2->http().request("POST", QStringLiteral("/admin/v1/logout"), {}, other).status, 204);
        QCOMPARE(status(*m_node1, other), 401);
    }

    void aDisabledOperatorIsOutOnEveryNode()
    {
        QVERIFY(createOperator(QStringLiteral("leaver"), QStringLiteral("admin")));
        const QString token = logIn(*m_node2, QStringLiteral("leaver"), QStringLiteral("leaver-password"));
        QCOMPARE(status(*m_node1, token), 200);
        QCOMPARE(status(*m_node2, token), 200);
        const auto disable = m_node1->http().request("POST", QStringLiteral("/admin/v1/operators/leaver/disable"), {}, m_admin);
        QCOMPARE(disable.status, 200);
        QCOMPARE(status(*m_node1, token), 401);
        QTRY_COMPARE_WITH_TIMEOUT(status(*m_node2, token), 401, 5000);
        // Enabled again, the old session stays ended: its row went with the disable.
        QCOMPARE(m_node1->http().request("POST", QStringLiteral("/admin/v1/operators/leaver/enable"), {}, m_admin).status, 200);
        QCOMPARE(status(*m_node2, token), 401);
        QCOMPARE(status(*m_node1, token), 401);
        QVERIFY(!logIn(*m_node1, QStringLiteral("leaver"), QStringLiteral("leaver-password")).isEmpty());
    }

    void aPasswordResetEndsTheSessionsOnEveryNode()
    {
        QVERIFY(createOperator(QStringLiteral("reset"), QStringLiteral("helpdesk")));
        const QString token = logIn(*m_node1, QStringLiteral("reset"), QStringLiteral("reset-password"));
        QCOMPARE(status(*m_node2, token, QStringLiteral("/admin/v1/stats")), 200);
        const auto reset = m_node2->http().post(QStringLiteral("/admin/v1/operators/reset/password"),
                                                {{QStringLiteral("password"), QStringLiteral("a-new-password-1")}}, m_admin);
        QCOMPARE(reset.status, 204);
        QCOMPARE(status(*m_node2, token, QStringLiteral("/admin/v1/stats")), 401);
        QTRY_COMPARE_WITH_TIMEOUT(status(*m_node1, token, QStringLiteral("/admin/v1/stats")), 401, 5000);
    }

    void aRoleChangeOnOneNodeCountsOnTheOther()
    {
        QVERIFY(createOperator(QStringLiteral("demoted"), QStringLiteral("admin")));
        const QString token = logIn(*m_node1, QStringLiteral("demoted"), QStringLiteral("demoted-password"));
        QCOMPARE(status(*m_node2, token), 200);
        const auto role = m_node1->http().post(QStringLiteral("/admin/v1/operators/demoted/role"),
                                               {{QStringLiteral("role"), QStringLiteral("helpdesk")}}, m_admin);
        QCOMPARE(role.status, 200);
        QCOMPARE(status(*m_node1, token), 403);
        QTRY_COMPARE_WITH_TIMEOUT(status(*m_node2, token), 403, 5000);
    }

    void aCancelOnOneNodeSticksOnTheOwner()
    {
        // The slate's session (never acking) is on node 2, so node 2 owns its in-band delivery and
        // holds an ack timer for it. Cancelled on node 1, that timer must not write it open again
        // and push it when it runs out.
        const QString token = m_node1->registerDevice(QStringLiteral("slate"));
        QVERIFY(m_node1->login(token));
        auto session = m_node2->openSession(token, false);
        QVERIFY(session);
        QVERIFY(session->setState(QStringLiteral("mail"), protocol::UiState::Foreground));
        QVERIFY(DeliveryFixture::caughtUp(*session));
        QTRY_VERIFY_WITH_TIMEOUT(!sessionHolder(*m_node1, QStringLiteral("slate"), QStringLiteral("mail")).isEmpty(), 10000);
        QSignalSpy delivered(session.get(), &SessionChannel::delivered);
        QString cancelled;
        QCOMPARE(m_node1->postEvent(QStringLiteral("to-cancel"), &cancelled), 202);
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 10000);
        QCOMPARE(m_node1->deliveries(cancelled), QStringList{QStringLiteral("slate:inband:inband")});

        const auto notification = m_node1->http().get(QStringLiteral("/admin/v1/notifications/") + cancelled, m_admin);
        QCOMPARE(notification.status, 200);
        const QJsonArray deliveries = notification.json().object().value(QStringLiteral("deliveries")).toArray();
        QCOMPARE(deliveries.size(), 1);
        const QString deliveryId = deliveries.first().toObject().value(QStringLiteral("id")).toString();
        const auto cancel = m_node1->http().request(
            "POST", QStringLiteral("/admin/v1/deliveries/%1/cancel").arg(deliveryId), {}, m_admin);
        QCOMPARE(cancel.status, 200);
        QString log;
        QTRY_VERIFY_WITH_TIMEOUT((log += m_node2->server().output()).contains(QStringLiteral("was cancelled on another node")),
                                 10000);

        // A second event, also left unacknowledged, falls back to push after the same timeout: by
        // then the first one's timer would have run out as well.
        QString later;
        QCOMPARE(m_node1->postEvent(QStringLiteral("after-cancel"), &later), 202);
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 2, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_node1->deliveries(later), QStringList{QStringLiteral("slate:delivered:push")}, 15000);
        QCOMPARE(m_node1->deliveries(cancelled), QStringList{QStringLiteral("slate:cancelled:inband")});
        QCOMPARE(m_node1->pushes(cancelled).size() + m_node2->pushes(cancelled).size(), 0);
    }

    void aSessionThatCannotBeReadIsNot401()
    {
        // With PostgreSQL away, a node that has not seen the token cannot tell whether it is good:
        // it says 503 (try again), not 401 (which a console takes for "log in again"). A node that
        // knows it goes on answering from memory what needs no database.
        const QString token = logIn(*m_node1, QStringLiteral("admin"), m_adminPassword);
        QVERIFY(!token.isEmpty());
        QString error;
        QVERIFY2(TestDatabase::stopPostgres(&error), qPrintable(error));
        const auto unknown = m_node2->http().get(QStringLiteral("/admin/v1/operators"), token);
        const auto known = m_node1->http().request("POST", QStringLiteral("/admin/v1/logout"), {}, QStringLiteral("x"));
        QVERIFY2(TestDatabase::startPostgres(&error), qPrintable(error));
        QCOMPARE(unknown.status, 503);
        QCOMPARE(unknown.errorCode(), QStringLiteral("unavailable"));
        QCOMPARE(known.status, 401); // a malformed token needs no read
        // Once the database is back the same token works there.
        QTRY_COMPARE_WITH_TIMEOUT(status(*m_node2, token), 200, 20000);
    }

    void madeUpTokensInAFloodGet401()
    {
        // More made-up tokens at once than a node reads at a time: each gets 401, none hangs, and
        // the node still knows its real sessions.
        const QList<QSslCertificate> ca = QSslCertificate::fromPath(m_node2->server().certificatePath());
        const quint16 port = QUrl(m_node2->server().baseUrl()).port();
        std::vector<std::unique_ptr<AsyncHttps>> requests;
        for (int i = 0; i < 300; ++i) {
            auto request = std::make_unique<AsyncHttps>(port, ca, QHostAddress(QStringLiteral("127.0.0.%1").arg(2 + i % 200)));
            request->send("GET", QStringLiteral("/admin/v1/stats"), {},
                          QStringLiteral("madeUp%1xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx").arg(i, 4, 10, QLatin1Char('0')));
            requests.push_back(std::move(request));
        }
        for (const auto &request : requests) {
            QTRY_VERIFY_WITH_TIMEOUT(request->isDone(), 20000);
            QCOMPARE(request->status(), 401);
            QCOMPARE(request->errorCode(), QStringLiteral("invalid_token"));
        }
        // Malformed ones never reach the database: too short, too long, characters outside base64url.
        for (const QString &bad : {QStringLiteral("short"), QString(600, QLatin1Char('a')),
                                   QStringLiteral("with spaces and ; semicolons xxxxxxxxxxxxxxx")})
            QCOMPARE(status(*m_node2, bad, QStringLiteral("/admin/v1/stats")), 401);
        QCOMPARE(status(*m_node2, m_admin), 200);
    }
};

QTEST_GUILESS_MAIN(tst_ClusterAdmin)
#include "tst_clusteradmin.moc"
