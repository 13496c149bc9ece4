// Monitors placed by lease across a cluster's nodes (issue 19), against a real Dovecot: four
// logins stored on node 1 spread over both nodes once node 2 joins; when node 2 is killed
// (SIGKILL), node 1 takes its logins over within the node timeout and reports the mail that
// arrived meanwhile exactly once; after node 1 stops cleanly, the restarted node 2 watches all of
// them within a heartbeat or two. PostgreSQL only: that is where several nodes share a database.
#include "AdminTokens.h"
#include "ClusterNodes.h"
#include "DeliveryFixture.h"
#include "DovecotServer.h"
#include "TestDatabase.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace herald;
using namespace herald::test;
using namespace herald::test::ClusterNodes;

namespace {

constexpr int Apps = 4;

QString appName(int i) { return QStringLiteral("mail%1").arg(i); }
QString mailUser(int i) { return QStringLiteral("u%1").arg(i); }

// One [imap.*] section per app, so that each login is a monitor source of its own.
QByteArray config(quint16 imapPort)
{
    QString ini = QStringLiteral("[dispatch]\ngroup_window_secs = 0\n"); // a push per mail, each its own text
    for (int i = 1; i <= Apps; ++i) {
        ini += QStringLiteral("[imap.box%1]\nhost = 127.0.0.1\nport = %2\nsecurity = plain\n").arg(i).arg(imapPort);
        ini += QStringLiteral("[app.%1]\nmonitor = imap.box%2\nprivacy = summary\n").arg(appName(i)).arg(i);
    }
    return ini.toUtf8();
}

} // namespace

class tst_ClusterMonitors : public QObject
{
    Q_OBJECT

    DovecotServer m_dovecot;
    std::unique_ptr<DeliveryFixture> m_node1;
    std::unique_ptr<DeliveryFixture> m_node2;
    int m_mails = 0;

    // The run id (claimer) a live node beats under; empty when it is not live.
    QString claimerOf(DeliveryFixture &node)
    {
        QString error;
        const auto storage = TestDatabase::open(m_node1->server().dataDir(), &error);
        const QString name = nameOf(node);
        const auto live = storage ? storage->liveNodes(QDateTime::currentMSecsSinceEpoch() - 3000) : std::nullopt;
        for (const Storage::NodeRun &run : live.value_or(QList<Storage::NodeRun>()))
            if (run.node == name)
                return run.claimer;
        return {};
    }

    // Which apps' logins `claimer` holds with its monitor watching (the holder writes the state).
    QStringList watchedBy(const QString &claimer)
    {
        QString error;
        const auto storage = TestDatabase::open(m_node1->server().dataDir(), &error);
        QStringList apps;
        const auto logins = storage ? storage->logins() : std::nullopt;
        for (const LoginRecord &login : logins.value_or(QList<LoginRecord>()))
            if (!claimer.isEmpty() && login.monitorClaimer == claimer && login.monitorState == QLatin1String("watching"))
                apps.append(login.app);
        return apps;
    }

    QList<QJsonObject> allPushes() const
    {
        QList<QJsonObject> all = m_node1->pushes();
        if (m_node2)
            all += m_node2->pushes();
        return all;
    }

    // Mail to the mailbox behind `app`, with a sender name of its own; returns how a push's text ends.
    QString mailTo(const QString &app)
    {
        const QString sender = QStringLiteral("Sender %1").arg(++m_mails);
        QString error;
        const int i = app.mid(4).toInt();
        if (!m_dovecot.deliver(mailUser(i), DovecotServer::makeMessage(sender, QStringLiteral("s@example.com"),
                                                                       QStringLiteral("Note %1").arg(m_mails)),
                               &error))
            qWarning() << "delivery failed:" << error;
        return QStringLiteral(" from ") + sender; // "New message from Sender 7"; the number ends it
    }

    QString pushLog() const
    {
        QStringList lines;
        for (const QJsonObject &push : allPushes())
            lines.append(QString::fromUtf8(QJsonDocument(push).toJson(QJsonDocument::Compact)));
        return lines.join(QLatin1Char('\n'));
    }

    int pushesWithBody(const QString &body) const
    {
        int n = 0;
        for (const QJsonObject &push : allPushes())
            n += push.value(QStringLiteral("body")).toString().endsWith(body) ? 1 : 0;
        return n;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!TestDatabase::isPostgres())
            QSKIP("a cluster needs PostgreSQL (run as tst_clustermonitors.postgresql)");
        if (DovecotServer::dovecotBinary().isEmpty())
            QFAIL("dovecot is not installed (.ci/run installs dovecot-imapd)");
        for (int i = 1; i <= Apps; ++i)
            m_dovecot.addUser(mailUser(i), QStringLiteral("secret-%1").arg(i));
        QString error;
        QVERIFY2(m_dovecot.start(&error), qPrintable(error));
    }

    void loginsSpreadAndMoveWhenANodeDies()
    {
        m_node1 = std::make_unique<DeliveryFixture>(fastHeartbeat(), config(m_dovecot.imapPort()));
        QVERIFY(m_node1->start());
        QStringList apps;
        for (int i = 1; i <= Apps; ++i)
            apps.append(appName(i));
        const QString token = m_node1->registerDevice(QStringLiteral("phone"), apps);
        QVERIFY(!token.isEmpty());
        QJsonArray logins;
        for (int i = 1; i <= Apps; ++i) {
            logins.append(QJsonObject{{QStringLiteral("app"), appName(i)},
                                      {QStringLiteral("credentials"),
                                       QJsonObject{{QStringLiteral("username"), mailUser(i)},
                                                   {QStringLiteral("password"), QStringLiteral("secret-%1").arg(i)}}}});
        }
        QCOMPARE(m_node1->http().post(QStringLiteral("/v1/login"), QJsonObject{{QStringLiteral("apps"), logins}}, token).status,
                 200);
        const QString run1 = claimerOf(*m_node1);
        QVERIFY(!run1.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(watchedBy(run1).size(), Apps, 20000);

        // Node 2 joins with the same configuration and a copy of the key that seals the passwords:
        // within a few heartbeats each node watches two of the four.
        const QStringList sharedKey{QStringLiteral("--credential-key-file"),
                                    m_node1->server().dataDir() + QStringLiteral("/credentials.key")};
        m_node2 = DeliveryFixture::joining(*m_node1, fastHeartbeat() + sharedKey, config(m_dovecot.imapPort()));
        QVERIFY(m_node2->start());
        QString run2;
        QTRY_VERIFY_WITH_TIMEOUT(!(run2 = claimerOf(*m_node2)).isEmpty(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(watchedBy(run2).size(), Apps / 2, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(watchedBy(run1).size(), Apps / 2, 20000);

        // The console on node 1 lists every login as watched, and by which node (a console's
        // session lives on the node it logged in to).
        const AdminTokens console = AdminTokens::login(m_node1->server(), m_node1->http());
        QVERIFY(!console.helpdesk.isEmpty());
        for (DeliveryFixture *node : {m_node1.get()}) {
            const auto reply = node->http().get(QStringLiteral("/admin/v1/monitors"), console.helpdesk);
            QCOMPARE(reply.status, 200);
            QHash<QString, int> byNode;
            for (const QJsonValue &m : reply.json().object().value(QStringLiteral("monitors")).toArray()) {
                QCOMPARE(m[QStringLiteral("state")].toString(), QStringLiteral("watching"));
                ++byNode[m[QStringLiteral("node")].toString()];
            }
            QCOMPARE(byNode, (QHash<QString, int>{{nameOf(*m_node1), Apps / 2}, {nameOf(*m_node2), Apps / 2}}));
            const QJsonObject stats = node->http().get(QStringLiteral("/admin/v1/stats"), console.helpdesk).json().object();
            QCOMPARE(stats[QStringLiteral("monitors")][QStringLiteral("watching")].toInt(), Apps);
        }

        // Every mailbox is watched once: one push per mail, whichever node watches it.
        QStringList bodies;
        for (const QString &app : std::as_const(apps))
            bodies.append(mailTo(app));
        QTRY_COMPARE_WITH_TIMEOUT(int(allPushes().size()), Apps, 20000);
        for (const QString &body : std::as_const(bodies))
            QVERIFY2(pushesWithBody(body) == 1, qPrintable(pushLog()));

        // Node 2 dies without a word. Mail reaches its mailboxes while nobody watches them; node 1
        // takes them over once node 2's heartbeat is older than the timeout (3 s) and reports each once.
        const QStringList orphaned = watchedBy(run2);
        QCOMPARE(orphaned.size(), Apps / 2);
        m_node2->server().kill();
        QStringList whileDead;
        for (const QString &app : orphaned)
            whileDead.append(mailTo(app));
        QElapsedTimer moving;
        moving.start();
        QTRY_COMPARE_WITH_TIMEOUT(watchedBy(run1).size(), Apps, 20000);
        qInfo() << "the killed node's monitors watched again after" << moving.elapsed() << "ms";
        QTRY_COMPARE_WITH_TIMEOUT(int(allPushes().size()), Apps + int(whileDead.size()), 20000);
        for (const QString &body : std::as_const(whileDead))
            QCOMPARE(pushesWithBody(body), 1);

        // Node 2 comes back, node 1 stops cleanly: node 2 watches all four within a few heartbeats
        // (not after the timeout), from the checkpoints node 1 stored: old mail is not reported again.
        QVERIFY(m_node2->restart());
        QTRY_VERIFY_WITH_TIMEOUT(!(run2 = claimerOf(*m_node2)).isEmpty(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(watchedBy(run2).size(), Apps / 2, 20000);
        QCOMPARE(m_node1->server().stop(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(watchedBy(run2).size(), Apps, 20000);
        const QString last = mailTo(orphaned.first());
        QTRY_COMPARE_WITH_TIMEOUT(pushesWithBody(last), 1, 20000);
        for (const QString &body : std::as_const(bodies) + whileDead)
            QCOMPARE(pushesWithBody(body), 1);
        QCOMPARE(int(allPushes().size()), Apps + int(whileDead.size()) + 1);
    }

    void cleanupTestCase()
    {
        m_node2.reset();
        m_node1.reset();
        m_dovecot.stop();
    }
};

QTEST_GUILESS_MAIN(tst_ClusterMonitors)
#include "tst_clustermonitors.moc"
