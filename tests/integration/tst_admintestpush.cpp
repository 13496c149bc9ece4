// POST /admin/v1/test-push (issue 13) against a real herald-server, a real APNs provider and the
// local APNs stand-in (tests/standins): in-band to a foreground app on a real session channel, the
// push after a missed ack, a background iPhone through APNs, and the provider's refusals in words
// a helpdesk agent understands — a retired token (410 Unregistered) among them, which then shows
// on the device with its reason and time. Also: audited, allowed to helpdesk, never listed as
// unread for the user, the event loop free while a verdict is awaited, and bad input.
#include "AdminTokens.h"
#include "ApnsStandin.h"
#include "DeliveryFixture.h"
#include "SessionChannel.h"
#include "TestPki.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace herald;
using namespace herald::test;
using namespace herald::standin;
using protocol::UiState;

namespace {

const QString Token = QString(QStringLiteral("ab")).repeated(32);
const QString Token2 = QString(QStringLiteral("cd")).repeated(32);
const QString Token3 = QString(QStringLiteral("ef")).repeated(32);

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

} // namespace

class tst_AdminTestPush : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_keys;
    std::unique_ptr<ApnsStandin> m_apns;
    std::unique_ptr<DeliveryFixture> m_f;
    AdminTokens m_tokens;
    QString m_iphone; // device token of "iphone"

    HttpsClient &http() { return m_f->http(); }
    QString registerIos(const QString &id, const QString &pushToken)
    {
        const QJsonObject body{{QStringLiteral("username"), QStringLiteral("alice")},
                               {QStringLiteral("password"), QString::fromLatin1(DeliveryFixture::Password)},
                               {QStringLiteral("device"), QJsonObject{{QStringLiteral("id"), id},
                                                                      {QStringLiteral("platform"), QStringLiteral("ios")},
                                                                      {QStringLiteral("pushToken"), pushToken}}},
                               {QStringLiteral("apps"), QJsonArray{QStringLiteral("mail")}}};
        const auto reply = http().post(QStringLiteral("/v1/register"), body);
        return reply.status == 201 ? reply.json().object().value(QStringLiteral("deviceToken")).toString() : QString();
    }
    HttpsClient::Reply testPush(const QJsonObject &body, const QString &token = {})
    {
        return http().post(QStringLiteral("/admin/v1/test-push"), body, token.isEmpty() ? m_tokens.helpdesk : token);
    }
    QJsonObject deviceRow(const QString &deviceId)
    {
        const auto reply = http().get(QStringLiteral("/admin/v1/devices?q=") + deviceId, m_tokens.helpdesk);
        for (const QJsonValue &v : reply.json().object().value(QStringLiteral("devices")).toArray())
            if (v.toObject().value(QStringLiteral("deviceId")).toString() == deviceId)
                return v.toObject();
        return {};
    }
    int audited(const QString &deviceId)
    {
        int n = 0;
        const auto reply = http().get(QStringLiteral("/admin/v1/audit?limit=1000"), m_tokens.admin);
        for (const QJsonValue &v : reply.json().object().value(QStringLiteral("entries")).toArray()) {
            const QJsonObject e = v.toObject();
            n += e.value(QStringLiteral("action")).toString() == QLatin1String("device.test-push") &&
                 e.value(QStringLiteral("operator")).toString() == QLatin1String("helpdesk") &&
                 e.value(QStringLiteral("target")).toString().startsWith(deviceId + QStringLiteral(" (alice)"));
        }
        return n;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const TestPki::Certificate tls = TestPki::selfSigned();
        const QByteArray p8 = TestPki::ecP256PrivateKey();
        ApnsStandin::Options o;
        o.certPem = tls.certPem;
        o.keyPem = tls.keyPem;
        o.tokenPublicKeyPem = TestPki::publicKeyOf(p8);
        o.topics = {QStringLiteral("com.example.remote")};
        m_apns = std::make_unique<ApnsStandin>(o);
        QVERIFY(m_apns->listen());
        QVERIFY(writeFile(m_keys.filePath(QStringLiteral("ca.pem")), tls.certPem));
        QVERIFY(writeFile(m_keys.filePath(QStringLiteral("AuthKey.p8")), p8));
        const QByteArray ini = QStringLiteral("[push.apns]\ntype = apns\nhost = 127.0.0.1\nport = %1\nca_file = %2\n"
                                              "team_id = %3\nkey_id = %4\nkey_file = %5\ntopic = com.example.remote\n")
                                   .arg(m_apns->port())
                                   .arg(m_keys.filePath(QStringLiteral("ca.pem")), o.teamId, o.keyId,
                                        m_keys.filePath(QStringLiteral("AuthKey.p8")))
                                   .toUtf8();
        // A short ack timeout, so the missed-ack case falls back to push within the test's patience.
        m_f = std::make_unique<DeliveryFixture>(QStringList{QStringLiteral("--ack-timeout-secs"), QStringLiteral("1")}, ini);
        QVERIFY(m_f->start());
        m_tokens = AdminTokens::login(m_f->server(), http());
        QVERIFY(!m_tokens.helpdesk.isEmpty());
        m_iphone = registerIos(QStringLiteral("iphone"), Token);
        QVERIFY(!m_iphone.isEmpty());
        QVERIFY(m_f->login(m_iphone));
    }

    void backgroundIphoneThroughApns()
    {
        const auto reply = testPush({{QStringLiteral("deviceId"), QStringLiteral("iphone")},
                                     {QStringLiteral("text"), QStringLiteral("Hello from the helpdesk")},
                                     {QStringLiteral("privacy"), QStringLiteral("full")}});
        QCOMPARE(reply.status, 200);
        const QJsonObject v = reply.json().object();
        QCOMPARE(v.value(QStringLiteral("channel")).toString(), QStringLiteral("push"));
        QCOMPARE(v.value(QStringLiteral("delivered")).toBool(), true);
        QCOMPARE(v.value(QStringLiteral("provider")).toString(), QStringLiteral("push.apns"));
        QCOMPARE(v.value(QStringLiteral("status")).toInt(), 200);
        const QString providerId = v.value(QStringLiteral("providerId")).toString();
        QVERIFY(!providerId.isEmpty());
        QVERIFY(v.value(QStringLiteral("ms")).toInteger(-1) >= 0);
        QVERIFY(v.value(QStringLiteral("message")).toString().contains(QLatin1String("APNs accepted it")));
        // It reached the stand-in, with the requested privacy level's text (full: the text itself).
        bool found = false;
        for (const ApnsStandin::Record &r : m_apns->records()) {
            if (r.apnsId.compare(providerId, Qt::CaseInsensitive) == 0 && r.status == 200) {
                found = true;
                QCOMPARE(r.deviceToken, Token);
                QVERIFY(r.payload.contains("Hello from the helpdesk"));
            }
        }
        QVERIFY(found);
        QCOMPARE(audited(QStringLiteral("iphone")), 1);
        // Stored for the console in state "test", never for the user: not in their list or unread count.
        const auto list = http().get(QStringLiteral("/admin/v1/notifications?user=alice"), m_tokens.helpdesk);
        const QJsonArray notifications = list.json().object().value(QStringLiteral("notifications")).toArray();
        QCOMPARE(notifications.size(), 1);
        QCOMPARE(notifications.first().toObject().value(QStringLiteral("state")).toString(), QStringLiteral("test"));
        const auto mine = http().get(QStringLiteral("/v1/notifications?state=all"), m_iphone);
        QCOMPARE(mine.status, 200);
        QVERIFY(!mine.body.contains(notifications.first().toObject().value(QStringLiteral("id")).toString().toUtf8()));
    }

    void foregroundAppGetsItInBand()
    {
        auto session = m_f->openSession(m_iphone);
        QVERIFY(session);
        QSignalSpy delivered(session.get(), &SessionChannel::delivered);
        QVERIFY(session->setState(QStringLiteral("mail"), UiState::Foreground));
        QTRY_COMPARE(deviceRow(QStringLiteral("iphone")).value(QStringLiteral("presence")).toObject().value(QStringLiteral("mail")).toString(),
                     QStringLiteral("foreground"));
        const int pushesBefore = int(m_apns->records().size());
        const auto reply = testPush({{QStringLiteral("deviceId"), QStringLiteral("iphone")},
                                     {QStringLiteral("text"), QStringLiteral("In-band hello")}});
        QCOMPARE(reply.status, 200);
        const QJsonObject v = reply.json().object();
        QCOMPARE(v.value(QStringLiteral("channel")).toString(), QStringLiteral("in-band"));
        QCOMPARE(v.value(QStringLiteral("delivered")).toBool(), true);
        QCOMPARE(v.value(QStringLiteral("acked")).toBool(), true);
        QVERIFY(v.value(QStringLiteral("ms")).toInteger(-1) >= 0);
        QVERIFY(v.value(QStringLiteral("message")).toString().startsWith(QLatin1String("Delivered in-band and acknowledged")));
        QCOMPARE(delivered.size(), 1);
        QCOMPARE(delivered.first().first().value<protocol::DeliverFrame>().body, QStringLiteral("In-band hello"));
        QCOMPARE(int(m_apns->records().size()), pushesBefore); // no push as well
    }

    void missedAckFallsBackToPushWhileTheServerStaysResponsive()
    {
        auto session = m_f->openSession(m_iphone, false); // shows it, never acks
        QVERIFY(session);
        QVERIFY(session->setState(QStringLiteral("mail"), UiState::Foreground));
        QTRY_COMPARE(deviceRow(QStringLiteral("iphone")).value(QStringLiteral("presence")).toObject().value(QStringLiteral("mail")).toString(),
                     QStringLiteral("foreground"));
        // While the test push waits for its ack (a second), another console call is answered.
        HttpsClient other(m_f->server().baseUrl(), m_f->server().caCertificates());
        bool firstAnswered = false, otherAnsweredFirst = false;
        QTimer::singleShot(200, [&] {
            const auto reply = other.get(QStringLiteral("/admin/v1/devices"), m_tokens.admin);
            otherAnsweredFirst = reply.status == 200 && !firstAnswered;
        });
        const auto reply = testPush({{QStringLiteral("deviceId"), QStringLiteral("iphone")}});
        firstAnswered = true;
        QCOMPARE(reply.status, 200);
        QTRY_VERIFY(otherAnsweredFirst);
        const QJsonObject v = reply.json().object();
        QCOMPARE(v.value(QStringLiteral("channel")).toString(), QStringLiteral("in-band"));
        QCOMPARE(v.value(QStringLiteral("delivered")).toBool(true), false);
        QCOMPARE(v.value(QStringLiteral("acked")).toBool(true), false);
        QVERIFY(v.value(QStringLiteral("ms")).toInteger() >= 900); // the ack timeout
        const QJsonObject fallback = v.value(QStringLiteral("fallback")).toObject();
        QCOMPARE(fallback.value(QStringLiteral("channel")).toString(), QStringLiteral("push"));
        QCOMPARE(fallback.value(QStringLiteral("delivered")).toBool(), true);
        QCOMPARE(fallback.value(QStringLiteral("status")).toInt(), 200);
        // The console's history shows both legs.
        const auto list = http().get(QStringLiteral("/admin/v1/notifications?limit=1"), m_tokens.helpdesk);
        const QJsonObject latest = list.json().object().value(QStringLiteral("notifications")).toArray().first().toObject();
        QCOMPARE(latest.value(QStringLiteral("deliveries")).toArray().first().toObject().value(QStringLiteral("channel")).toString(),
                 QStringLiteral("both"));
    }

    void providerRefusalsInPlainWords_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("words");
        QTest::newRow("bad device token") << 400 << QStringLiteral("BadDeviceToken") << QStringLiteral("ask the user to open the app");
        QTest::newRow("not for topic") << 400 << QStringLiteral("DeviceTokenNotForTopic") << QStringLiteral("another app");
        QTest::newRow("rate limited") << 429 << QStringLiteral("TooManyRequests") << QStringLiteral("try again in a few minutes");
        QTest::newRow("apns down") << 503 << QStringLiteral("ServiceUnavailable") << QStringLiteral("not at fault");
    }
    void providerRefusalsInPlainWords()
    {
        QFETCH(int, status);
        QFETCH(QString, reason);
        QFETCH(QString, words);
        QVERIFY(!registerIos(QStringLiteral("iphone2"), Token2).isEmpty()); // fresh: active again
        ApnsStandin::Behaviour b;
        b.status = status;
        b.reason = reason;
        b.times = 1;
        m_apns->setBehaviour(Token2, b);
        const auto reply = testPush({{QStringLiteral("deviceId"), QStringLiteral("iphone2")}});
        QCOMPARE(reply.status, 200);
        const QJsonObject v = reply.json().object();
        QCOMPARE(v.value(QStringLiteral("channel")).toString(), QStringLiteral("push"));
        QCOMPARE(v.value(QStringLiteral("delivered")).toBool(true), false);
        QCOMPARE(v.value(QStringLiteral("status")).toInt(), status);
        QCOMPARE(v.value(QStringLiteral("reason")).toString(), reason);
        QVERIFY2(v.value(QStringLiteral("message")).toString().contains(words), qPrintable(v.value(QStringLiteral("message")).toString()));
        QVERIFY(v.value(QStringLiteral("message")).toString().contains(reason));
        // A test is one try: nothing is left retrying.
        const auto pending = http().get(QStringLiteral("/admin/v1/notifications?state=pending"), m_tokens.helpdesk);
        QCOMPARE(pending.json().object().value(QStringLiteral("total")).toInt(), 0);
    }

    void retiredTokenIsShownAndStillTried()
    {
        const QString token = registerIos(QStringLiteral("iphone3"), Token3);
        QVERIFY(!token.isEmpty());
        ApnsStandin::Behaviour b;
        b.status = 410;
        b.reason = QStringLiteral("Unregistered");
        b.timestamp = QDateTime::currentMSecsSinceEpoch();
        m_apns->setBehaviour(Token3, b);
        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
        const auto reply = testPush({{QStringLiteral("deviceId"), QStringLiteral("iphone3")}});
        QCOMPARE(reply.status, 200);
        QJsonObject v = reply.json().object();
        QCOMPARE(v.value(QStringLiteral("delivered")).toBool(true), false);
        QCOMPARE(v.value(QStringLiteral("status")).toInt(), 410);
        QCOMPARE(v.value(QStringLiteral("reason")).toString(), QStringLiteral("Unregistered"));
        QCOMPARE(v.value(QStringLiteral("message")).toString(),
                 QStringLiteral("The phone's push token is no longer valid (Unregistered) — ask the user to open the app"));
        // The device now shows the retirement: reason and when.
        const QJsonObject row = deviceRow(QStringLiteral("iphone3"));
        const QJsonObject pushToken = row.value(QStringLiteral("pushToken")).toObject();
        QCOMPARE(pushToken.value(QStringLiteral("state")).toString(), QStringLiteral("retired"));
        QCOMPARE(pushToken.value(QStringLiteral("reason")).toString(), QStringLiteral("Unregistered"));
        const QDateTime at = QDateTime::fromString(pushToken.value(QStringLiteral("at")).toString(), Qt::ISODateWithMs);
        QVERIFY(at.isValid() && at >= before && at <= QDateTime::currentDateTimeUtc());
        QCOMPARE(row.value(QStringLiteral("pushTokenState")).toString(), QStringLiteral("retired"));
        const auto retired = http().get(QStringLiteral("/admin/v1/devices?token=retired"), m_tokens.helpdesk);
        QVERIFY(retired.body.contains("\"iphone3\""));
        // A retired token is still tried, so the refusal shows; the first retirement time stays.
        const auto again = testPush({{QStringLiteral("deviceId"), QStringLiteral("iphone3")}});
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json().object().value(QStringLiteral("status")).toInt(), 410);
        QCOMPARE(deviceRow(QStringLiteral("iphone3")).value(QStringLiteral("pushToken")).toObject().value(QStringLiteral("at")),
                 pushToken.value(QStringLiteral("at")));
        // Registering again with a new token clears the retirement.
        QVERIFY(!registerIos(QStringLiteral("iphone3"), QString(QStringLiteral("12")).repeated(32)).isEmpty());
        QCOMPARE(deviceRow(QStringLiteral("iphone3")).value(QStringLiteral("pushToken")).toObject(),
                 (QJsonObject{{QStringLiteral("state"), QStringLiteral("active")},
                              {QStringLiteral("reason"), QJsonValue()},
                              {QStringLiteral("at"), QJsonValue()}}));
    }

    void noProviderForTheDevice()
    {
        const QJsonObject web{{QStringLiteral("username"), QStringLiteral("alice")},
                              {QStringLiteral("password"), QString::fromLatin1(DeliveryFixture::Password)},
                              {QStringLiteral("device"), QJsonObject{{QStringLiteral("id"), QStringLiteral("browser")},
                                                                     {QStringLiteral("platform"), QStringLiteral("web")},
                                                                     {QStringLiteral("pushToken"), QStringLiteral("w")}}},
                              {QStringLiteral("apps"), QJsonArray{QStringLiteral("mail")}}};
        QCOMPARE(http().post(QStringLiteral("/v1/register"), web).status, 201);
        const auto reply = testPush({{QStringLiteral("deviceId"), QStringLiteral("browser")}}, m_tokens.admin);
        QCOMPARE(reply.status, 200);
        const QJsonObject v = reply.json().object();
        QCOMPARE(v.value(QStringLiteral("channel")).toString(), QStringLiteral("none"));
        QCOMPARE(v.value(QStringLiteral("delivered")).toBool(true), false);
        QCOMPARE(v.value(QStringLiteral("reason")).toString(), QStringLiteral("no_provider"));
        QCOMPARE(v.value(QStringLiteral("message")).toString(), QStringLiteral("No push provider serves platform web"));
    }

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("empty body") << QByteArray() << 400 << "malformed_json";
        QTest::newRow("not json") << QByteArray("{deviceId:") << 400 << "malformed_json";
        QTest::newRow("array") << QByteArray("[]") << 400 << "malformed_json";
        QTest::newRow("no device") << QByteArray("{}") << 400 << "missing_field";
        QTest::newRow("device number") << QByteArray(R"({"deviceId":7})") << 400 << "wrong_type";
        QTest::newRow("device null") << QByteArray(R"({"deviceId":null})") << 400 << "wrong_type";
        QTest::newRow("device too long") << QStringLiteral(R"({"deviceId":"%1"})").arg(QString(129, QLatin1Char('d'))).toUtf8() << 400 << "invalid_value";
        QTest::newRow("text number") << QByteArray(R"({"deviceId":"iphone","text":5})") << 400 << "wrong_type";
        QTest::newRow("text 201") << QStringLiteral(R"({"deviceId":"iphone","text":"%1"})").arg(QString(201, QLatin1Char('t'))).toUtf8() << 400 << "invalid_value";
        QTest::newRow("privacy unknown") << QByteArray(R"({"deviceId":"iphone","privacy":"secret"})") << 400 << "invalid_value";
        QTest::newRow("privacy number") << QByteArray(R"({"deviceId":"iphone","privacy":1})") << 400 << "wrong_type";
        QTest::newRow("unknown device") << QByteArray(R"({"deviceId":"no-such-phone"})") << 404 << "not_found";
    }
    void badInput()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        const int before = audited(QStringLiteral("iphone"));
        const int records = int(m_apns->records().size());
        const auto reply = http().request("POST", QStringLiteral("/admin/v1/test-push"), body, m_tokens.helpdesk);
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), code);
        QVERIFY(!reply.json().object().value(QStringLiteral("message")).toString().isEmpty());
        QCOMPARE(audited(QStringLiteral("iphone")), before);
        QCOMPARE(int(m_apns->records().size()), records);
    }

    // Last: the stand-in is left slow.
    void noVerdictWithinTheBoundIs504()
    {
        m_apns->setLatencyMs(20000);
        HttpsClient patient(m_f->server().baseUrl(), m_f->server().caCertificates());
        patient.setTimeoutMs(30000);
        QElapsedTimer clock;
        clock.start();
        const auto reply = patient.post(QStringLiteral("/admin/v1/test-push"), {{QStringLiteral("deviceId"), QStringLiteral("iphone")}},
                                        m_tokens.helpdesk);
        QCOMPARE(reply.status, 504);
        QCOMPARE(reply.errorCode(), QStringLiteral("timeout"));
        QVERIFY(clock.elapsed() >= 14000);
        QVERIFY(!reply.json().object().value(QStringLiteral("message")).toString().isEmpty());
    }

    void needsAnOperator()
    {
        QCOMPARE(http().post(QStringLiteral("/admin/v1/test-push"), {{QStringLiteral("deviceId"), QStringLiteral("iphone")}}).status, 401);
        QCOMPARE(http().post(QStringLiteral("/admin/v1/test-push"), {{QStringLiteral("deviceId"), QStringLiteral("iphone")}}, m_iphone).status, 401);
    }
};

QTEST_MAIN(tst_AdminTestPush)
#include "tst_admintestpush.moc"
