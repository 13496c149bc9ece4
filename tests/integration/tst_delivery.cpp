// The heart of Herald against a real server process, with herald-client as the terminal:
// in-band while the app is in the foreground, push otherwise, push after a missed ack,
// targeting policies, idempotent events, logout, crash recovery of the outbox, and the
// answers of the session channel and the events endpoint to hostile input.
#include "DeliveryFixture.h"
#include "SessionChannel.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QSslSocket>
#include <QWebSocket>
#include <QtTest>

#include <algorithm>

using namespace herald;
using namespace herald::test;
using protocol::UiState;

namespace {

// A bare WebSocket to /v1/session, for frames herald-client would never send.
std::unique_ptr<QWebSocket> rawSession(DeliveryFixture &f, const QString &token)
{
    auto ws = std::make_unique<QWebSocket>();
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(f.server().caCertificates());
    ws->setSslConfiguration(tls);
    QNetworkRequest request(QUrl(QStringLiteral("wss://127.0.0.1:%1/v1/session").arg(f.server().port())));
    request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    QSignalSpy connected(ws.get(), &QWebSocket::connected);
    ws->open(request);
    if (!connected.wait(10000))
        return nullptr;
    return ws;
}

QJsonObject waitForText(QWebSocket *ws, int timeoutMs = 5000)
{
    QSignalSpy spy(ws, &QWebSocket::textMessageReceived);
    if (!spy.wait(timeoutMs))
        return {};
    return QJsonDocument::fromJson(spy.first().first().toString().toUtf8()).object();
}

} // namespace

class tst_Delivery : public QObject
{
    Q_OBJECT

private:
    // One server for all rows of eventsRejectBadInput; stopped in cleanupTestCase (a leaked
    // fixture once left a herald-server running after every test run).
    std::unique_ptr<DeliveryFixture> m_badInput;
    QString m_badInputDevice;

private Q_SLOTS:
    void cleanupTestCase() { m_badInput.reset(); }

    void foregroundGetsInBandOnly()
    {
        DeliveryFixture f;
        QVERIFY(f.start());
        const QString token = f.registerDevice(QStringLiteral("phone"));
        QVERIFY(f.login(token));
        auto session = f.openSession(token);
        QVERIFY(session);
        QSignalSpy delivered(session.get(), &SessionChannel::delivered);
        QVERIFY(session->setState(QStringLiteral("mail"), UiState::Foreground));
        QVERIFY(DeliveryFixture::caughtUp(*session)); // the state frame is processed before the event arrives
        QString id;
        QCOMPARE(f.postEvent(QStringLiteral("e-1"), &id), 202);
        QTRY_VERIFY_WITH_TIMEOUT(!delivered.isEmpty(), 5000);
        const auto frame = delivered.first().first().value<protocol::DeliverFrame>();
        QCOMPARE(frame.id, id);
        QCOMPARE(frame.app, QStringLiteral("mail"));
        QCOMPARE(frame.title, QStringLiteral("Quarterly numbers"));
        QCOMPARE(frame.sender, QStringLiteral("Bob"));
        QTRY_COMPARE(f.deliveries(id), QStringList{QStringLiteral("phone:delivered:inband")});
        // Delivered is final: no push can follow it, and any second frame would come before the pongs.
        QVERIFY(f.pushes().isEmpty());
        QVERIFY(DeliveryFixture::caughtUp(*session));
        QCOMPARE(delivered.size(), 1);
    }

    void notOnScreenGetsPushOnly_data()
    {
        QTest::addColumn<QString>("ui"); // background | closed | offline
        QTest::newRow("background") << "background";
        QTest::newRow("closed") << "closed";
        QTest::newRow("never reported") << "unreported";
        QTest::newRow("offline") << "offline";
    }

    void notOnScreenGetsPushOnly()
    {
        QFETCH(QString, ui);
        DeliveryFixture f;
        QVERIFY(f.start());
        const QString token = f.registerDevice(QStringLiteral("phone"));
        QVERIFY(f.login(token));
        std::unique_ptr<SessionChannel> session;
        if (ui != QLatin1String("offline")) {
            session = f.openSession(token);
            QVERIFY(session);
            if (ui == QLatin1String("background"))
                QVERIFY(session->setState(QStringLiteral("mail"), UiState::Background));
            if (ui == QLatin1String("closed"))
                QVERIFY(session->setState(QStringLiteral("mail"), UiState::Closed));
            // Another app in the foreground does not count for mail.
            QVERIFY(session->setState(QStringLiteral("im"), UiState::Foreground));
            QVERIFY(DeliveryFixture::caughtUp(*session));
        }
        QSignalSpy delivered(session ? session.get() : new SessionChannel(this), &SessionChannel::delivered);
        QString id;
        QCOMPARE(f.postEvent(QStringLiteral("e-1"), &id), 202);
        QTRY_COMPARE(f.pushes(id).size(), 1);
        const QJsonObject push = f.pushes(id).first();
        QCOMPARE(push.value(QStringLiteral("token")).toString(), QStringLiteral("push-phone"));
        // Default privacy is "summary": the sender, never the subject.
        QCOMPARE(push.value(QStringLiteral("body")).toString(), QStringLiteral("New mail from Bob"));
        QVERIFY(!QJsonDocument(push).toJson().contains("Quarterly"));
        QCOMPARE(push.value(QStringLiteral("uri")).toString(), QStringLiteral("herald://open/mail/") + id);
        QTRY_COMPARE(f.deliveries(id), QStringList{QStringLiteral("phone:delivered:push")});
        if (session)
            QVERIFY(DeliveryFixture::caughtUp(*session)); // an in-band frame would have come before the pongs
        QCOMPARE(delivered.size(), 0);
    }

    void missingAckFallsBackToPush()
    {
        DeliveryFixture f({QStringLiteral("--ack-timeout-secs"), QStringLiteral("1")});
        QVERIFY(f.start());
        const QString token = f.registerDevice(QStringLiteral("phone"));
        QVERIFY(f.login(token));
        auto session = f.openSession(token, /*autoAck=*/false);
        QVERIFY(session);
        QSignalSpy delivered(session.get(), &SessionChannel::delivered);
        QVERIFY(session->setState(QStringLiteral("mail"), UiState::Foreground));
        QVERIFY(DeliveryFixture::caughtUp(*session));
        QString id;
        QCOMPARE(f.postEvent(QStringLiteral("e-1"), &id), 202);
        QTRY_VERIFY_WITH_TIMEOUT(!delivered.isEmpty(), 5000);
        QVERIFY(f.pushes(id).isEmpty()); // not before the timeout
        QTRY_COMPARE_WITH_TIMEOUT(f.pushes(id).size(), 1, 5000);
        QTRY_COMPARE(f.deliveries(id), QStringList{QStringLiteral("phone:delivered:push")});
        // The stale foreground claim was dropped: the next event goes straight to push.
        QString second;
        QCOMPARE(f.postEvent(QStringLiteral("e-2"), &second), 202);
        QTRY_COMPARE(f.pushes(second).size(), 1);
        QCOMPARE(delivered.size(), 1);
    }

    void latestPolicyPicksMostRecentlyActiveDevice()
    {
        DeliveryFixture f;
        QVERIFY(f.start());
        const QString phone = f.registerDevice(QStringLiteral("phone"));
        const QString tablet = f.registerDevice(QStringLiteral("tablet"));
        QVERIFY(f.login(phone));
        auto phoneSession = f.openSession(phone);
        QVERIFY(phoneSession);
        QVERIFY(phoneSession->setState(QStringLiteral("mail"), UiState::Background));
        QVERIFY(DeliveryFixture::caughtUp(*phoneSession)); // the phone's activity is older than the tablet's
        auto tabletSession = f.openSession(tablet);
        QVERIFY(tabletSession);
        QVERIFY(tabletSession->setState(QStringLiteral("mail"), UiState::Background));
        QVERIFY(DeliveryFixture::caughtUp(*tabletSession));
        QString id;
        QCOMPARE(f.postEvent(QStringLiteral("e-1"), &id), 202);
        QTRY_COMPARE(f.deliveries(id), QStringList{QStringLiteral("tablet:delivered:push")});
        // The phone becomes active again: it is now the latest.
        QVERIFY(phoneSession->setState(QStringLiteral("mail"), UiState::Foreground));
        QSignalSpy delivered(phoneSession.get(), &SessionChannel::delivered);
        QVERIFY(DeliveryFixture::caughtUp(*phoneSession));
        QCOMPARE(f.postEvent(QStringLiteral("e-2"), &id), 202);
        QTRY_VERIFY_WITH_TIMEOUT(!delivered.isEmpty(), 5000);
        QTRY_COMPARE(f.deliveries(id), QStringList{QStringLiteral("phone:delivered:inband")});
        QCOMPARE(f.pushes().size(), 1);
    }

    void allPolicyDecidesPerDevice()
    {
        DeliveryFixture f({QStringLiteral("--target-policy"), QStringLiteral("all")});
        QVERIFY(f.start());
        const QString phone = f.registerDevice(QStringLiteral("phone"));
        const QString tablet = f.registerDevice(QStringLiteral("tablet"));
        const QString laptop = f.registerDevice(QStringLiteral("laptop"), {QStringLiteral("im")}); // not for mail
        QVERIFY(!laptop.isEmpty());
        QVERIFY(f.login(phone));
        auto phoneSession = f.openSession(phone);
        QVERIFY(phoneSession);
        QSignalSpy delivered(phoneSession.get(), &SessionChannel::delivered);
        QVERIFY(phoneSession->setState(QStringLiteral("mail"), UiState::Foreground));
        QVERIFY(DeliveryFixture::caughtUp(*phoneSession));
        QString id;
        QCOMPARE(f.postEvent(QStringLiteral("e-1"), &id), 202);
        QTRY_VERIFY_WITH_TIMEOUT(!delivered.isEmpty(), 5000);
        QTRY_COMPARE(f.deliveries(id).size(), 2);
        QTRY_VERIFY(f.deliveries(id).contains(QStringLiteral("phone:delivered:inband")));
        QTRY_VERIFY(f.deliveries(id).contains(QStringLiteral("tablet:delivered:push")));
        QCOMPARE(f.pushes(id).size(), 1);
        QCOMPARE(f.pushes(id).first().value(QStringLiteral("token")).toString(), QStringLiteral("push-tablet"));
    }

    void duplicateEventIsOneNotification()
    {
        DeliveryFixture f;
        QVERIFY(f.start());
        QVERIFY(f.login(f.registerDevice(QStringLiteral("phone"))));
        QString first, second;
        QCOMPARE(f.postEvent(QStringLiteral("same"), &first), 202);
        QCOMPARE(f.postEvent(QStringLiteral("same"), &second), 200);
        QCOMPARE(second, first);
        QTRY_COMPARE(f.pushes().size(), 1);
        // The same event id from another app or account is still the same event of that source.
        QCOMPARE(f.postEvent(QStringLiteral("same"), &second, QStringLiteral("im")), 200);
        // Events are dispatched in order: once a later event's push is out, a second push for the
        // repeats would be out too.
        QString later;
        QCOMPARE(f.postEvent(QStringLiteral("later"), &later), 202);
        QTRY_COMPARE(f.pushes(later).size(), 1);
        QCOMPARE(f.pushes(first).size(), 1);
        QCOMPARE(f.pushes().size(), 2);
    }

    void pipelinedRepeatsOfOneEventShareItsId()
    {
        // Pipelined on one connection, the repeats are read in the same pass as the first and so
        // written in the same background hand-off: still one notification, 202 once, then 200s
        // carrying its id, in order.
        DeliveryFixture f;
        QVERIFY(f.start());
        QVERIFY(f.login(f.registerDevice(QStringLiteral("phone"))));
        auto request = [&f](const QString &eventId, bool last) {
            const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("account"), QStringLiteral("alice")},
                                                              {QStringLiteral("app"), QStringLiteral("mail")},
                                                              {QStringLiteral("eventId"), eventId}})
                                        .toJson(QJsonDocument::Compact);
            return "POST /v1/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + f.sourceToken().toLatin1() +
                   "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
                   (last ? "\r\nConnection: close" : "") + "\r\n\r\n" + body;
        };
        const QByteArray received = f.http().raw(request(QStringLiteral("p-1"), false) + request(QStringLiteral("p-1"), false) +
                                                 request(QStringLiteral("p-2"), false) + request(QStringLiteral("p-1"), true),
                                                 10000);
        static const QRegularExpression answer(QStringLiteral("HTTP/1.1 (\\d+)[^{]*\\{\"id\":\"([^\"]+)\"\\}"));
        QList<int> statuses;
        QStringList ids;
        for (auto it = answer.globalMatch(QString::fromLatin1(received)); it.hasNext();) {
            const auto m = it.next();
            statuses << m.captured(1).toInt();
            ids << m.captured(2);
        }
        QCOMPARE(statuses, QList<int>({202, 200, 202, 200}));
        QCOMPARE(ids.at(1), ids.at(0));
        QCOMPARE(ids.at(3), ids.at(0));
        QVERIFY(ids.at(2) != ids.at(0));
        QTRY_COMPARE(f.pushes().size(), 2);
        QCOMPARE(f.pushes(ids.at(0)).size(), 1);
    }

    void logoutSilencesTheApp()
    {
        DeliveryFixture f;
        QVERIFY(f.start());
        const QString token = f.registerDevice(QStringLiteral("phone"), {QStringLiteral("mail"), QStringLiteral("im")});
        QVERIFY(f.login(token, {QStringLiteral("mail"), QStringLiteral("im")}));
        const auto out = f.http().post(QStringLiteral("/v1/logout"),
                                       QJsonObject{{QStringLiteral("apps"), QJsonArray{QStringLiteral("mail")}}}, token);
        QCOMPARE(out.status, 200);
        QString mailId, imId;
        QCOMPARE(f.postEvent(QStringLiteral("m-1"), &mailId), 202);
        QCOMPARE(f.postEvent(QStringLiteral("i-1"), &imId, QStringLiteral("im")), 202);
        QTRY_COMPARE(f.pushes(imId).size(), 1);
        // An event's deliveries are written with it, before its 202: none for the logged-out app.
        QVERIFY(f.deliveries(mailId).isEmpty());
        QVERIFY(f.pushes(mailId).isEmpty());
        // Logout of everything; a new login brings notifications back.
        QCOMPARE(f.http().post(QStringLiteral("/v1/logout"), QJsonObject(), token).status, 200);
        QCOMPARE(f.postEvent(QStringLiteral("i-2"), &imId, QStringLiteral("im")), 202);
        QVERIFY(f.deliveries(imId).isEmpty());
        QVERIFY(f.login(token, {QStringLiteral("mail")}));
        QCOMPARE(f.postEvent(QStringLiteral("m-2"), &mailId), 202);
        QTRY_COMPARE(f.pushes(mailId).size(), 1);
        QVERIFY(f.pushes(imId).isEmpty()); // dispatched in order: it would be out by now
    }

    void eachChangeCountsForTheNextEvent()
    {
        // Whom an event reaches is answered from memory until the tables behind it change. The
        // changes below are committed by the background writer; their answers must not go out
        // before this server would see them (on PostgreSQL the change notice can come a moment
        // after the commit), so an event sent right after each answer sees it.
        DeliveryFixture f;
        QVERIFY(f.start());
        for (int i = 0; i < 30; ++i) {
            const QString deviceId = QStringLiteral("phone-%1").arg(i);
            const QString token = f.registerDevice(deviceId);
            QVERIFY(!token.isEmpty());
            QVERIFY(f.login(token));
            QString id;
            QCOMPARE(f.postEvent(QStringLiteral("in-%1").arg(i), &id), 202);
            const QStringList reached = f.deliveries(id); // written before the 202
            QVERIFY2(std::any_of(reached.cbegin(), reached.cend(),
                                 [&](const QString &d) { return d.startsWith(deviceId + QLatin1Char(':')); }),
                     qPrintable(QStringLiteral("%1 missed event %2: %3").arg(deviceId).arg(i).arg(reached.join(u' '))));
            QCOMPARE(f.http().post(QStringLiteral("/v1/logout"), QJsonObject(), token).status, 200);
            QCOMPARE(f.postEvent(QStringLiteral("out-%1").arg(i), &id), 202);
            QVERIFY2(f.deliveries(id).isEmpty(), qPrintable(f.deliveries(id).join(u' ')));
        }
    }

    void loginSurvivesRestart()
    {
        DeliveryFixture f;
        QVERIFY(f.start());
        QVERIFY(f.login(f.registerDevice(QStringLiteral("phone"))));
        QVERIFY(f.restart());
        QString id;
        QCOMPARE(f.postEvent(QStringLiteral("after-restart"), &id), 202);
        QTRY_COMPARE(f.pushes(id).size(), 1);
    }

    void killedBetweenAcceptAndDeliveryDeliversOnce()
    {
        // The recording provider holds each push for 3 s: a SIGKILL in that window lands after the
        // 202 (the event is committed) and before the push was made.
        DeliveryFixture f({}, "[push.slow]\ntype = recording\ndelay_ms = 3000\n");
        QVERIFY(f.start());
        QVERIFY(f.login(f.registerDevice(QStringLiteral("phone"))));
        QString id;
        QCOMPARE(f.postEvent(QStringLiteral("crash-1"), &id), 202);
        // The 202 is sent once the event is committed, and its push is handed to the provider right
        // after, in the same pass: the kill lands in the provider's 3 s.
        f.server().kill();
        QVERIFY(f.pushes(id).isEmpty());
        QVERIFY(f.restart());
        QTRY_COMPARE_WITH_TIMEOUT(f.pushes(id).size(), 1, 10000);
        QTRY_COMPARE(f.deliveries(id), QStringList{QStringLiteral("phone:delivered:push")});
        // And it stays once, across another restart: a restart resumes open deliveries before it
        // reads any request, so a second push of it would be out before the next event's.
        QVERIFY(f.restart());
        QString next;
        QCOMPARE(f.postEvent(QStringLiteral("after-crash"), &next), 202);
        QTRY_COMPARE_WITH_TIMEOUT(f.pushes(next).size(), 1, 10000);
        QCOMPARE(f.pushes(id).size(), 1);
    }

    void openReturnsContentAndClearsElsewhere()
    {
        DeliveryFixture f({QStringLiteral("--target-policy"), QStringLiteral("all")},
                          "[app.mail]\nprivacy = generic\nrdp_remoteapp = ||outlook\nrdp_host = rds.example.com\n");
        QVERIFY(f.start());
        const QString phone = f.registerDevice(QStringLiteral("phone"));
        const QString tablet = f.registerDevice(QStringLiteral("tablet"));
        QVERIFY(f.login(phone));
        auto tabletSession = f.openSession(tablet);
        QVERIFY(tabletSession);
        QSignalSpy cleared(tabletSession.get(), &SessionChannel::cleared);
        QString id;
        QCOMPARE(f.postEvent(QStringLiteral("open-1"), &id), 202);
        QTRY_COMPARE(f.pushes(id).size(), 2);
        QCOMPARE(f.pushes(id).first().value(QStringLiteral("body")).toString(), QStringLiteral("You have a new message"));

        const auto list = f.http().get(QStringLiteral("/v1/notifications?state=unread"), phone);
        QCOMPARE(list.status, 200);
        QCOMPARE(list.json().array().size(), 1);
        QCOMPARE(list.json().array().first().toObject().value(QStringLiteral("id")).toString(), id);

        const auto opened = f.http().request("POST", QStringLiteral("/v1/notifications/%1/open").arg(id), {}, phone);
        QCOMPARE(opened.status, 200);
        const QJsonObject n = opened.json().object().value(QStringLiteral("notification")).toObject();
        QCOMPARE(n.value(QStringLiteral("body")).toString(), QStringLiteral("Please find them attached."));
        QCOMPARE(n.value(QStringLiteral("sender")).toString(), QStringLiteral("Bob"));
        const QJsonObject launch = opened.json().object().value(QStringLiteral("launch")).toObject();
        QCOMPARE(launch.value(QStringLiteral("uri")).toString(), QStringLiteral("herald://open/mail/") + id);
        QVERIFY(launch.value(QStringLiteral("rdp")).toString().contains(QStringLiteral("remoteapplicationprogram:s:||outlook")));
        QTRY_VERIFY_WITH_TIMEOUT(!cleared.isEmpty(), 5000);
        QCOMPARE(cleared.first().first().toStringList(), QStringList{id});
        QCOMPARE(f.http().get(QStringLiteral("/v1/notifications?state=unread"), phone).json().array().size(), 0);

        QCOMPARE(f.http().request("POST", QStringLiteral("/v1/notifications/nope/open"), {}, phone).status, 404);
        QCOMPARE(f.http().request("POST", QStringLiteral("/v1/notifications/%1/open").arg(QString(5000, 'x')), {}, phone).status, 404);
        QCOMPARE(f.http().request("POST", QStringLiteral("/v1/notifications/%1/open").arg(id), {}).status, 401);
        QCOMPARE(f.http().get(QStringLiteral("/v1/notifications?state=weird"), phone).status, 400);
    }

    void silentSessionGoesOffline()
    {
        DeliveryFixture f({QStringLiteral("--heartbeat-secs"), QStringLiteral("1")});
        QVERIFY(f.start());
        const QString token = f.registerDevice(QStringLiteral("phone"));
        QVERIFY(f.login(token));
        auto ws = rawSession(f, token);
        QVERIFY(ws);
        QSignalSpy closed(ws.get(), &QWebSocket::disconnected);
        ws->sendTextMessage(QStringLiteral("{\"type\":\"hello\",\"protocol\":1}"));
        QCOMPARE(waitForText(ws.get()).value(QStringLiteral("heartbeat")).toInt(), 1);
        ws->sendTextMessage(QStringLiteral("{\"type\":\"state\",\"app\":\"mail\",\"ui\":\"foreground\"}"));
        // No pings: after 2 x heartbeat the server closes the session and the device is offline.
        QVERIFY(closed.wait(6000));
        QString id;
        QCOMPARE(f.postEvent(QStringLiteral("e-1"), &id), 202);
        QTRY_COMPARE(f.pushes(id).size(), 1);
    }

    void hostileFrames()
    {
        DeliveryFixture f;
        QVERIFY(f.start());
        const QString token = f.registerDevice(QStringLiteral("phone"));
        auto ws = rawSession(f, token);
        QVERIFY(ws);
        const QList<QPair<QString, QString>> cases{
            {QStringLiteral("{\"type\":\"state\",\"app\":\"mail\",\"ui\":\"foreground\"}"), QStringLiteral("hello_required")},
            {QStringLiteral("{\"type\":\"hello\",\"protocol\":1}"), QString()}, // welcome
            {QStringLiteral("{not json"), QStringLiteral("not_json")},
            {QStringLiteral("[1,2,3]"), QStringLiteral("not_object")},
            {QStringLiteral("{\"type\":\"teleport\"}"), QStringLiteral("unknown_type")},
            {QStringLiteral("{\"type\":\"deliver\",\"id\":\"x\"}"), QStringLiteral("unknown_type")},
            {QStringLiteral("{\"type\":\"state\",\"app\":\"mail\",\"ui\":\"sideways\"}"), QStringLiteral("bad_value")},
            {QStringLiteral("{\"type\":\"state\",\"app\":7,\"ui\":\"foreground\"}"), QStringLiteral("wrong_type")},
            {QStringLiteral("{\"type\":\"ack\"}"), QStringLiteral("missing_field")},
            {QStringLiteral("{\"type\":\"hello\",\"protocol\":1}"), QStringLiteral("bad_value")},
        };
        for (const auto &[frame, code] : cases) {
            ws->sendTextMessage(frame);
            const QJsonObject answer = waitForText(ws.get());
            if (code.isEmpty())
                QCOMPARE(answer.value(QStringLiteral("type")).toString(), QStringLiteral("welcome"));
            else
                QVERIFY2(answer.value(QStringLiteral("error")).toString() == code, qPrintable(frame + QStringLiteral(" -> ") + QJsonDocument(answer).toJson()));
        }
        ws->sendTextMessage(QStringLiteral("{\"type\":\"ping\"}"));
        QCOMPARE(waitForText(ws.get()).value(QStringLiteral("type")).toString(), QStringLiteral("pong"));

        // An oversized frame closes the session with 1009 as soon as its header arrives (the payload is
        // never buffered); binary closes with 1003. The server lives on.
        QByteArray oversized = "GET /v1/session HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                               "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                               "Authorization: Bearer " + token.toLatin1() + "\r\n\r\n";
        oversized += QByteArray::fromHex("81ff00000000000186a0") + QByteArray("mask");
        const QByteArray answer = f.http().raw(oversized);
        QVERIFY2(answer.startsWith("HTTP/1.1 101"), answer.constData());
        const QByteArray frames = answer.mid(answer.indexOf("\r\n\r\n") + 4);
        QVERIFY2(frames.startsWith(QByteArray::fromHex("88") ) && frames.mid(2, 2) == QByteArray::fromHex("03f1"),
                 frames.toHex().constData());
        // QWebSocket reports 1000 for any close the server starts, so read the close frame raw.
        QByteArray binary = oversized.left(oversized.indexOf("\r\n\r\n") + 4);
        binary += QByteArray::fromHex("8282") + QByteArray("mask") + QByteArray("\x01\x02", 2);
        const QByteArray binaryAnswer = f.http().raw(binary);
        const QByteArray binaryFrames = binaryAnswer.mid(binaryAnswer.indexOf("\r\n\r\n") + 4);
        QVERIFY2(binaryFrames.startsWith(QByteArray::fromHex("88")) && binaryFrames.mid(2, 2) == QByteArray::fromHex("03eb"),
                 binaryFrames.toHex().constData());
        // Unmasked client frames are a protocol error (1002).
        QByteArray unmasked = oversized.left(oversized.indexOf("\r\n\r\n") + 4) + QByteArray::fromHex("8102") + "{}";
        const QByteArray unmaskedAnswer = f.http().raw(unmasked);
        QCOMPARE(unmaskedAnswer.mid(unmaskedAnswer.indexOf("\r\n\r\n") + 4).mid(2, 2), QByteArray::fromHex("03ea"));
        QCOMPARE(f.http().get(QStringLiteral("/healthz")).status, 200);
    }

    void aSessionThatDoesNotReadIsDropped()
    {
        // A client that sends pings and never reads the pongs (or a phone gone quiet with its TCP
        // connection open) must not make the server keep its replies without end: past
        // WebSocketConnection::MaxUnsentBytes the session is dropped and the device is offline.
        DeliveryFixture f;
        QVERIFY(f.start());
        const QString token = f.registerDevice(QStringLiteral("phone"));
        QVERIFY(f.login(token));
        QSslSocket socket;
        socket.setReadBufferSize(4096); // read nothing beyond that: the kernel's buffers fill, then the server's
        socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(f.server().caCertificates());
        socket.setSslConfiguration(tls);
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), f.server().port());
        QVERIFY(socket.waitForEncrypted(10000));
        socket.write("GET /v1/session HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Authorization: Bearer " + token.toLatin1() + "\r\n\r\n");
        const auto frame = [](const QByteArray &text) {
            QByteArray out = QByteArray::fromHex("81") + char(0x80 | text.size()) + QByteArray(4, '\0'); // zero mask
            return out + text;
        };
        // Up to the welcome the client reads: what it sends before the upgrade is answered counts
        // against the HTTP request, not the session.
        QByteArray answer;
        const auto await = [&socket, &answer](const QByteArray &what) {
            return QTest::qWaitFor([&] {
                socket.waitForReadyRead(100);
                answer += socket.readAll();
                return answer.contains(what);
            }, 10000);
        };
        QVERIFY(await("101 Switching Protocols"));
        socket.write(frame(R"({"type":"hello","protocol":1})"));
        QVERIFY(await("welcome"));
        socket.write(frame(R"({"type":"state","app":"mail","ui":"foreground"})"));
        QByteArray pings;
        for (int i = 0; i < 1000; ++i)
            pings += frame(R"({"type":"ping"})");
        // About 17 bytes of pong for each ping, more with TLS: what the kernel's buffers hold on
        // loopback (several MB) is passed after a few hundred thousand.
        int sent = 0;
        while (socket.state() == QAbstractSocket::ConnectedState && sent < 3000) {
            socket.write(pings);
            socket.waitForBytesWritten(2000);
            ++sent;
        }
        QTRY_VERIFY_WITH_TIMEOUT(socket.state() != QAbstractSocket::ConnectedState, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(f.server().output().contains(QStringLiteral("dropping a WebSocket peer that has not read")), 10000);
        qInfo() << "dropped after about" << sent * 1000 << "pings";
        // The device is offline now: the next event is a push. The server serves on.
        QString id;
        QCOMPARE(f.postEvent(QStringLiteral("after-drop"), &id), 202);
        QTRY_COMPARE(f.pushes(id).size(), 1);
        QCOMPARE(f.http().get(QStringLiteral("/healthz")).status, 200);
    }

    void sessionUpgradeRefusals()
    {
        DeliveryFixture f;
        QVERIFY(f.start());
        const QString token = f.registerDevice(QStringLiteral("phone"));
        // Not a WebSocket request.
        const auto plain = f.http().get(QStringLiteral("/v1/session"), token);
        QCOMPARE(plain.status, 426);
        QCOMPARE(plain.errorCode(), QStringLiteral("upgrade_required"));
        // Bad or missing token: the upgrade is refused with 401 before any WebSocket exists.
        const QByteArray handshake = "GET /v1/session HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                     "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        QVERIFY(f.http().raw(handshake + "Authorization: Bearer " + QByteArray(43, 'Z') + "\r\n\r\n").startsWith("HTTP/1.1 401"));
        QVERIFY(f.http().raw(handshake + "\r\n").startsWith("HTTP/1.1 401"));
        // The token may also come as ?access_token=.
        const QByteArray viaQuery = f.http().raw("GET /v1/session?access_token=" + token.toLatin1() +
                                                 " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                                 "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
                                                 1000);
        QVERIFY2(viaQuery.startsWith("HTTP/1.1 101"), viaQuery.constData());
        QVERIFY(viaQuery.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        // Wrong version and bad key.
        QVERIFY(f.http().raw(QByteArray(handshake).replace("Version: 13", "Version: 8") + "Authorization: Bearer " + token.toLatin1() + "\r\n\r\n").startsWith("HTTP/1.1 426"));
        QVERIFY(f.http().raw(QByteArray(handshake).replace("dGhlIHNhbXBsZSBub25jZQ==", "short") + "Authorization: Bearer " + token.toLatin1() + "\r\n\r\n").startsWith("HTTP/1.1 426"));
    }

    void revokedTokenEndsSession()
    {
        DeliveryFixture f;
        QVERIFY(f.start());
        const QString token = f.registerDevice(QStringLiteral("phone"));
        auto session = f.openSession(token);
        QVERIFY(session);
        QSignalSpy gone(session.get(), &SessionChannel::disconnected);
        QVERIFY(!f.registerDevice(QStringLiteral("phone")).isEmpty()); // re-registration replaces the token
        QTRY_VERIFY_WITH_TIMEOUT(!gone.isEmpty(), 5000);
        const QString newToken = f.registerDevice(QStringLiteral("phone"));
        auto again = f.openSession(newToken);
        QVERIFY(again);
        QSignalSpy gone2(again.get(), &SessionChannel::disconnected);
        QCOMPARE(f.http().request("DELETE", QStringLiteral("/v1/register"), {}, newToken).status, 204);
        QTRY_VERIFY_WITH_TIMEOUT(!gone2.isEmpty(), 5000);
    }

    void eventsRejectBadInput_data()
    {
        QTest::addColumn<QString>("token"); // "ok" = the real source token
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("no token") << "" << QByteArray("{\"account\":\"alice\",\"app\":\"mail\",\"eventId\":\"x\"}") << 401 << "unauthorized";
        QTest::newRow("device-looking token") << QString(43, 'A') << QByteArray("{\"account\":\"alice\",\"app\":\"mail\",\"eventId\":\"x\"}") << 401 << "invalid_token";
        QTest::newRow("garbage token") << "';--" << QByteArray("{\"account\":\"alice\",\"app\":\"mail\",\"eventId\":\"x\"}") << 401 << "invalid_token";
        QTest::newRow("broken json") << "ok" << QByteArray("{\"account\":") << 400 << "malformed_json";
        QTest::newRow("missing account") << "ok" << QByteArray("{\"app\":\"mail\",\"eventId\":\"x\"}") << 400 << "missing_field";
        QTest::newRow("missing eventId") << "ok" << QByteArray("{\"account\":\"alice\",\"app\":\"mail\"}") << 400 << "missing_field";
        QTest::newRow("eventId number") << "ok" << QByteArray("{\"account\":\"alice\",\"app\":\"mail\",\"eventId\":5}") << 400 << "wrong_type";
        QTest::newRow("eventId spaces") << "ok" << QByteArray("{\"account\":\"alice\",\"app\":\"mail\",\"eventId\":\"a b\"}") << 400 << "invalid_value";
        QTest::newRow("app hostile") << "ok" << QByteArray("{\"account\":\"alice\",\"app\":\"Mail/../x\",\"eventId\":\"x\"}") << 400 << "invalid_value";
        QTest::newRow("subject object") << "ok" << QByteArray("{\"account\":\"alice\",\"app\":\"mail\",\"eventId\":\"x\",\"subject\":{}}") << 400 << "wrong_type";
        QTest::newRow("receivedAt bad") << "ok" << QByteArray("{\"account\":\"alice\",\"app\":\"mail\",\"eventId\":\"x\",\"receivedAt\":\"yesterday\"}") << 400 << "invalid_value";
        QTest::newRow("receivedAt no zone") << "ok" << QByteArray("{\"account\":\"alice\",\"app\":\"mail\",\"eventId\":\"x\",\"receivedAt\":\"2026-01-01T10:00:00\"}") << 400 << "invalid_value";
        QTest::newRow("unknown account") << "ok" << QByteArray("{\"account\":\"zed\",\"app\":\"mail\",\"eventId\":\"x\"}") << 404 << "unknown_account";
        QTest::newRow("oversized") << "ok" << QByteArray("{\"account\":\"alice\",\"app\":\"mail\",\"eventId\":\"x\",\"body\":\"") + QByteArray(70000, 'b') + QByteArray("\"}") << 413 << "payload_too_large";
    }

    void eventsRejectBadInput()
    {
        if (!m_badInput) {
            m_badInput = std::make_unique<DeliveryFixture>();
            QVERIFY(m_badInput->start());
            m_badInputDevice = m_badInput->registerDevice(QStringLiteral("phone"));
            QVERIFY(m_badInput->login(m_badInputDevice));
        }
        DeliveryFixture *f = m_badInput.get();
        QFETCH(QString, token);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        const auto reply = f->http().request("POST", QStringLiteral("/v1/events"), body,
                                             token == QLatin1String("ok") ? f->sourceToken() : token);
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), code);
        // A refused event leaves nothing behind: no notification, so nothing to push.
        const auto list = f->http().get(QStringLiteral("/v1/notifications"), m_badInputDevice);
        QCOMPARE(list.status, 200);
        QCOMPARE(list.json().array().size(), 0);
        QVERIFY(f->pushes().isEmpty());
    }

    void loginRejectsBadInput()
    {
        DeliveryFixture f;
        QVERIFY(f.start());
        const QString token = f.registerDevice(QStringLiteral("phone"));
        auto login = [&](const QByteArray &body, const QString &t) {
            return f.http().request("POST", QStringLiteral("/v1/login"), body, t);
        };
        QCOMPARE(login("{\"apps\":[{\"app\":\"mail\"}]}", QString()).status, 401);
        QCOMPARE(login("{\"apps\":[{\"app\":\"mail\"}]}", QString(43, 'Q')).errorCode(), QStringLiteral("invalid_token"));
        QCOMPARE(login("{}", token).errorCode(), QStringLiteral("missing_field"));
        QCOMPARE(login("{\"apps\":\"mail\"}", token).errorCode(), QStringLiteral("wrong_type"));
        QCOMPARE(login("{\"apps\":[]}", token).errorCode(), QStringLiteral("invalid_value"));
        QCOMPARE(login("{\"apps\":[\"mail\"]}", token).errorCode(), QStringLiteral("wrong_type"));
        QCOMPARE(login("{\"apps\":[{\"app\":\"calendar\"}]}", token).errorCode(), QStringLiteral("app_not_registered"));
        QCOMPARE(login("{\"apps\":[{\"app\":\"mail\",\"credentials\":\"pw\"}]}", token).errorCode(), QStringLiteral("wrong_type"));
        const QByteArray bigCredentials = "{\"apps\":[{\"app\":\"mail\",\"credentials\":{\"password\":\"" + QByteArray(5000, 'p') + "\"}}]}";
        QCOMPARE(login(bigCredentials, token).errorCode(), QStringLiteral("invalid_value"));
        QCOMPARE(f.http().request("POST", QStringLiteral("/v1/logout"), "{\"apps\":[1]}", token).errorCode(), QStringLiteral("wrong_type"));
        // None of that logged anyone in.
        QString id;
        QCOMPARE(f.postEvent(QStringLiteral("e"), &id), 202);
        QVERIFY(f.deliveries(id).isEmpty()); // written with the event, before its 202
        QVERIFY(f.pushes().isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_Delivery)
#include "tst_delivery.moc"
