// GET /admin/v1/live against a real server: who may follow it, the frames a console sees when a
// real terminal session comes online and to the foreground, when an event is posted and delivered,
// ping/pong, and a console that stops reading being dropped with 1008 while everyone else is served.
#include "AdminFixture.h"
#include "LiveFeedClient.h"
#include "SessionChannel.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSslSocket>
#include <QWebSocket>
#include <QtTest>

#include <functional>
#include <memory>

using namespace herald;
using namespace herald::test;

namespace {

using LiveClient = LiveFeedClient;
const auto ofType = &LiveFeedClient::ofType;

// `close`: also ask for the connection to end after a refusal, so the test need not wait for it.
QByteArray upgradeRequest(const QString &target, const QByteArray &authorization, bool close = false)
{
    QByteArray r = "GET " + target.toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade" +
                   (close ? ", close" : "") + "\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    if (!authorization.isEmpty())
        r += "Authorization: " + authorization + "\r\n";
    return r + "\r\n";
}

} // namespace

class tst_AdminLive : public QObject
{
    Q_OBJECT

private:
    AdminFixture m_fx;
    QString m_phoneToken;
    std::unique_ptr<SessionChannel> m_session;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_fx.start());
        m_phoneToken = m_fx.delivery().registerDevice(QStringLiteral("phone"));
        QVERIFY(!m_phoneToken.isEmpty());
        QVERIFY(m_fx.delivery().login(m_phoneToken));
    }

    void refusedWithoutValidToken_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<QByteArray>("status");
        QTest::newRow("no token") << QStringLiteral("/admin/v1/live") << QByteArray() << QByteArray("401");
        QTest::newRow("unknown bearer") << QStringLiteral("/admin/v1/live") << QByteArray("Bearer ") + QByteArray(43, 'A') << QByteArray("401");
        QTest::newRow("garbage bearer") << QStringLiteral("/admin/v1/live") << QByteArray("Bearer x y z") << QByteArray("401");
        QTest::newRow("unknown query token") << QStringLiteral("/admin/v1/live?access_token=") + QString(43, QLatin1Char('B')) << QByteArray() << QByteArray("401");
        QTest::newRow("huge query token") << QStringLiteral("/admin/v1/live?access_token=") + QString(4000, QLatin1Char('C')) << QByteArray() << QByteArray("401");
        QTest::newRow("device token is no console token") << QStringLiteral("/admin/v1/live") << QByteArray("Bearer DEVICE") << QByteArray("401");
    }
    void refusedWithoutValidToken()
    {
        QFETCH(QString, target);
        QFETCH(QByteArray, authorization);
        QFETCH(QByteArray, status);
        authorization.replace("DEVICE", m_phoneToken.toLatin1());
        const QByteArray answer = m_fx.http().raw(upgradeRequest(target, authorization, true));
        QVERIFY2(answer.startsWith("HTTP/1.1 " + status), answer.left(200).constData());
        QVERIFY(answer.contains("\"error\""));
        QVERIFY(!answer.contains("101 Switching"));
    }

    void plainGetNeedsUpgrade()
    {
        const auto reply = m_fx.http().get(QStringLiteral("/admin/v1/live"), m_fx.helpdesk());
        QCOMPARE(reply.status, 426);
        QCOMPARE(reply.errorCode(), QStringLiteral("upgrade_required"));
    }

    void presenceOfARealSession()
    {
        LiveClient desk, admin;
        QVERIFY(desk.open(m_fx.server(), m_fx.helpdesk(), true));   // ?access_token=
        QVERIFY(admin.open(m_fx.server(), m_fx.admin(), false));    // Authorization header
        QCOMPARE(desk.waitFor(ofType(QStringLiteral("hello"))).value(QStringLiteral("role")).toString(), QStringLiteral("helpdesk"));
        QCOMPARE(admin.waitFor(ofType(QStringLiteral("hello"))).value(QStringLiteral("role")).toString(), QStringLiteral("admin"));

        m_session = m_fx.delivery().openSession(m_phoneToken);
        QVERIFY(m_session);
        const auto online = [](const QJsonObject &o) {
            return o.value(QStringLiteral("type")).toString() == QLatin1String("presence") &&
                   o.value(QStringLiteral("deviceId")).toString() == QLatin1String("phone") && o.value(QStringLiteral("online")).toBool();
        };
        const QJsonObject first = desk.waitFor(online);
        QVERIFY2(!first.isEmpty(), "no presence frame when the session came online");
        QCOMPARE(first.value(QStringLiteral("account")).toString(), QStringLiteral("alice"));
        QVERIFY(QDateTime::fromString(first.value(QStringLiteral("at")).toString(), Qt::ISODateWithMs).isValid());
        QVERIFY(!admin.waitFor(online).isEmpty());

        const int seen = int(desk.frames.size());
        QVERIFY(m_session->setState(QStringLiteral("mail"), protocol::UiState::Foreground));
        const QJsonObject foreground = desk.waitFor([](const QJsonObject &o) {
            return o.value(QStringLiteral("type")).toString() == QLatin1String("presence") &&
                   o.value(QStringLiteral("apps")).toObject().value(QStringLiteral("mail")).toString() == QLatin1String("foreground");
        }, seen);
        QVERIFY2(!foreground.isEmpty(), "no presence frame when the app came to the foreground");
        QCOMPARE(foreground.value(QStringLiteral("deviceId")).toString(), QStringLiteral("phone"));
    }

    void notificationAndDelivery()
    {
        QVERIFY(m_session); // foreground since the test before: the delivery goes in-band
        LiveClient desk;
        QVERIFY(desk.open(m_fx.server(), m_fx.helpdesk(), false));
        QString id;
        QCOMPARE(m_fx.delivery().postEvent(QStringLiteral("live-1"), &id), 202);
        const QJsonObject n = desk.waitFor([&id](const QJsonObject &o) {
            return o.value(QStringLiteral("type")).toString() == QLatin1String("notification") && o.value(QStringLiteral("id")).toString() == id;
        });
        QVERIFY2(!n.isEmpty(), "no notification frame for a posted event");
        QCOMPARE(n.value(QStringLiteral("account")).toString(), QStringLiteral("alice"));
        QCOMPARE(n.value(QStringLiteral("app")).toString(), QStringLiteral("mail"));
        // Metadata only: no sender or subject travels on the feed.
        QVERIFY(!n.contains(QStringLiteral("sender")) && !n.contains(QStringLiteral("subject")));
        const QJsonObject delivered = desk.waitFor([&id](const QJsonObject &o) {
            return o.value(QStringLiteral("type")).toString() == QLatin1String("delivery") &&
                   o.value(QStringLiteral("notificationId")).toString() == id &&
                   o.value(QStringLiteral("state")).toString() == QLatin1String("delivered");
        });
        QVERIFY2(!delivered.isEmpty(), "no delivery frame with the outcome");
        QCOMPARE(delivered.value(QStringLiteral("channel")).toString(), QStringLiteral("in-band"));
        QCOMPARE(delivered.value(QStringLiteral("deviceId")).toString(), QStringLiteral("phone"));
        QVERIFY(!delivered.value(QStringLiteral("deliveryId")).toString().isEmpty());
        // Every frame names the node it happened on: on one server, that server (<data-dir>/node-name).
        QFile nodeName(m_fx.server().dataDir() + QStringLiteral("/node-name"));
        QVERIFY(nodeName.open(QIODevice::ReadOnly));
        const QString node = QString::fromUtf8(nodeName.readAll()).trimmed();
        QVERIFY(!node.isEmpty());
        for (const QJsonObject &frame : std::as_const(desk.frames))
            QCOMPARE(frame.value(QStringLiteral("node")).toString(), node);
        // Rows cross nodes as ids; consoles get names only.
        QVERIFY(!n.contains(QStringLiteral("accountRow")) && !delivered.contains(QStringLiteral("deviceRow")));
        for (const QJsonObject &frame : std::as_const(desk.frames))
            QVERIFY(!QJsonDocument(frame).toJson().contains("Quarterly numbers"));
    }

    void pingPongAndJunkIgnored()
    {
        LiveClient desk;
        QVERIFY(desk.open(m_fx.server(), m_fx.helpdesk(), false));
        desk.socket.sendTextMessage(QStringLiteral("not json at all"));
        desk.socket.sendTextMessage(QStringLiteral(R"({"type":"subscribe","all":true})"));
        desk.socket.sendTextMessage(QStringLiteral(R"({"type":"ping"})"));
        QVERIFY(!desk.waitFor(ofType(QStringLiteral("pong"))).isEmpty());
        QCOMPARE(desk.socket.state(), QAbstractSocket::ConnectedState);
        // A message past the incoming bound closes the connection (1009), nothing else.
        desk.socket.sendTextMessage(QString(5000, QLatin1Char('x')));
        QTRY_COMPARE_WITH_TIMEOUT(desk.socket.state(), QAbstractSocket::UnconnectedState, 10000);
        QCOMPARE(m_fx.http().get(QStringLiteral("/healthz")).status, 200);
    }

    void disabledOperatorLosesTheFeed()
    {
        QVERIFY(m_fx.createOperator(QStringLiteral("temp"), QStringLiteral("temp-password"), QStringLiteral("helpdesk")));
        const QString token = m_fx.login(QStringLiteral("temp"), QStringLiteral("temp-password"));
        LiveClient temp;
        QVERIFY(temp.open(m_fx.server(), token, false));
        QVERIFY(!temp.waitFor(ofType(QStringLiteral("hello"))).isEmpty());
        QCOMPARE(m_fx.http().post(QStringLiteral("/admin/v1/operators/temp/disable"), QJsonObject{}, m_fx.admin()).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(temp.socket.state(), QAbstractSocket::UnconnectedState, 10000);
        QCOMPARE(temp.closeCode, quint16(1008));
    }

    void slowConsoleIsDroppedServerKeepsServing()
    {
        LiveClient good;
        QVERIFY(good.open(m_fx.server(), m_fx.helpdesk(), false));

        // A console that stops reading: tiny receive buffers and nothing read after the upgrade.
        QSslSocket slow;
        slow.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
        slow.setReadBufferSize(1024);
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(m_fx.server().caCertificates());
        slow.setSslConfiguration(tls);
        slow.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_fx.server().port(), QStringLiteral("127.0.0.1"));
        QVERIFY(slow.waitForEncrypted(10000));
        slow.write(upgradeRequest(QStringLiteral("/admin/v1/live"), "Bearer " + m_fx.helpdesk().toLatin1()));
        QTRY_VERIFY_WITH_TIMEOUT(slow.bytesAvailable() > 0, 10000);
        QVERIFY(slow.peek(12).startsWith("HTTP/1.1 101"));
        m_fx.server().output(); // only what comes from now on

        // Events until the server gives up on it; every one is still accepted at once.
        QString log;
        int posted = 0;
        while (!log.contains(QStringLiteral("too slow")) && posted < 20000) {
            QCOMPARE(m_fx.delivery().postEvent(QStringLiteral("flood-%1").arg(posted)), 202);
            ++posted;
            if (posted % 50 == 0)
                log += m_fx.server().output();
        }
        QVERIFY2(log.contains(QStringLiteral("too slow")), qPrintable(QStringLiteral("not dropped after %1 events").arg(posted)));
        qInfo() << "the console that never reads was dropped after" << posted << "events";

        // The server still serves: a new event reaches the console that reads.
        QString id;
        QCOMPARE(m_fx.delivery().postEvent(QStringLiteral("after-drop"), &id), 202);
        QVERIFY(!good.waitFor([&id](const QJsonObject &o) { return o.value(QStringLiteral("id")).toString() == id; },
                              0, 30000).isEmpty());
        QCOMPARE(m_fx.http().get(QStringLiteral("/admin/v1/stats"), m_fx.helpdesk()).status, 200);

        // When the slow console reads at last, what was in the pipe ends with a close frame, 1008.
        slow.setReadBufferSize(0);
        QByteArray received;
        QDeadlineTimer deadline(20000);
        while (slow.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
            slow.waitForReadyRead(200);
            received += slow.readAll();
        }
        received += slow.readAll();
        const qsizetype close = received.lastIndexOf(QByteArray::fromHex("880a03f0") + "too slow");
        QVERIFY2(close >= 0, "no close frame with code 1008");
    }

    void boundedNumberOfConsoles()
    {
        // Consoles of the tests before may still be closing on the server's side: fill up to the
        // bound, whatever it takes, and find the next one refused.
        std::vector<std::unique_ptr<LiveClient>> clients;
        for (int i = 0; i < 64; ++i) {
            auto client = std::make_unique<LiveClient>();
            if (!client->open(m_fx.server(), m_fx.helpdesk(), false))
                break;
            clients.push_back(std::move(client));
        }
        QVERIFY(clients.size() >= 60);
        const QByteArray refused = m_fx.http().raw(upgradeRequest(QStringLiteral("/admin/v1/live"),
                                                                  "Bearer " + m_fx.helpdesk().toLatin1(), true));
        QVERIFY2(refused.startsWith("HTTP/1.1 503"), refused.left(100).constData());
        QVERIFY(refused.contains("too_many_connections"));
        // One leaves: a new console gets in.
        clients.front()->socket.close();
        clients.erase(clients.begin());
        QTRY_VERIFY_WITH_TIMEOUT([this] {
            LiveClient next;
            return next.open(m_fx.server(), m_fx.helpdesk(), false);
        }(), 10000);
        QCOMPARE(m_fx.http().get(QStringLiteral("/admin/v1/stats"), m_fx.helpdesk()).status, 200);
    }
};

QTEST_GUILESS_MAIN(tst_AdminLive)
#include "tst_adminlive.moc"
