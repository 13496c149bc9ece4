// Web Push for `web` devices end to end: herald-server's webpush provider posts to a local RFC 8030
// push service (tests/standins/WebPushStandin) that verifies the VAPID JWT's signature and claims;
// encrypted content opens with the browser's key; 410 Gone and 404 retire the subscription; and
// a push service that refuses our VAPID key raises the provider's alarm.
#include "RecordStatePrinting.h"
#include "DeliveryFixture.h"
#include "TestDatabase.h"
#include "PushKeyPair.h"
#include "PushTestHarness.h"
#include "SealedPush.h"
#include "TestPki.h"
#include "WebPushStandin.h"
#include "crypto/EcP256Key.h"
#include "push/ProviderConfig.h"
#include "push/WebPushProvider.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace herald;
using namespace herald::test;
using namespace herald::standin;
using herald::client::PushKeyPair;
using herald::client::SealedPush;

namespace {

constexpr auto Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

QByteArray publicPointOf(const QByteArray &privatePem)
{
    return EcP256Key::fromHandle(PrivateKey::fromPem(privatePem).handle()).publicPoint();
}

} // namespace

class tst_WebPushFlow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_keys;
    TestPki::Certificate m_tls = TestPki::selfSigned();
    QByteArray m_vapidPem = TestPki::ecP256PrivateKey();
    std::unique_ptr<WebPushStandin> m_service;
    std::unique_ptr<DeliveryFixture> m_f;
    PushKeyPair m_browserKey = PushKeyPair::generate();

    bool registerBrowser(const QString &id, const QString &subscription, const PushKeyPair &key)
    {
        QJsonObject device{{QStringLiteral("id"), id}, {QStringLiteral("platform"), QStringLiteral("web")},
                           {QStringLiteral("pushToken"), m_service->endpoint(subscription)}};
        if (!key.isNull())
            device.insert(QStringLiteral("pushKey"),
                          QJsonObject{{QStringLiteral("p256dh"), QString::fromLatin1(key.p256dh().toBase64(Url))},
                                      {QStringLiteral("auth"), QString::fromLatin1(key.auth().toBase64(Url))}});
        const QJsonObject body{{QStringLiteral("username"), QStringLiteral("alice")},
                               {QStringLiteral("password"), QString::fromLatin1(DeliveryFixture::Password)},
                               {QStringLiteral("device"), device},
                               {QStringLiteral("apps"), QJsonArray{QStringLiteral("mail")}}};
        const auto reply = m_f->http().post(QStringLiteral("/v1/register"), body);
        return reply.status == 201 && m_f->login(reply.json().object().value(QStringLiteral("deviceToken")).toString());
    }

    QList<WebPushStandin::Record> recordsOf(const QString &subscription) const
    {
        QList<WebPushStandin::Record> out;
        for (const WebPushStandin::Record &r : m_service->records())
            if (r.subscription == subscription)
                out << r;
        return out;
    }

    DeviceRecord device(const QString &id)
    {
        QString error;
        const auto storage = TestDatabase::open(m_f->server().dataDir(), &error);
        if (!storage)
            return DeviceRecord();
        return storage->deviceByDeviceId(id).value_or(DeviceRecord());
    }

    ProviderSettings settings(const QString &subject = QStringLiteral("mailto:ops@example.com"))
    {
        QString error;
        const auto s = ProviderConfig::parse(QStringLiteral("push.webpush"),
                                             {{QStringLiteral("type"), QStringLiteral("webpush")},
                                              {QStringLiteral("vapid_key_file"), m_keys.filePath(QStringLiteral("vapid.pem"))},
                                              {QStringLiteral("subject"), subject},
                                              {QStringLiteral("ca_file"), m_keys.filePath(QStringLiteral("ca.pem"))},
                                              {QStringLiteral("request_timeout"), QStringLiteral("5")}},
                                             QStringLiteral("herald.conf"), &error);
        if (!s)
            qFatal("%s", qPrintable(error));
        return *s;
    }

private Q_SLOTS:
    void initTestCase()
    {
        WebPushStandin::Options o;
        o.certPem = m_tls.certPem;
        o.keyPem = m_tls.keyPem;
        o.subscriptionKey = publicPointOf(m_vapidPem);
        m_service = std::make_unique<WebPushStandin>(o);
        QVERIFY(m_service->listen());
        QVERIFY(writeFile(m_keys.filePath(QStringLiteral("ca.pem")), m_tls.certPem));
        QVERIFY(writeFile(m_keys.filePath(QStringLiteral("vapid.pem")), m_vapidPem));
        const QByteArray ini = QStringLiteral("[push.webpush]\ntype = webpush\nvapid_key_file = %1\n"
                                              "subject = mailto:ops@example.com\nca_file = %2\n\n"
                                              "[app.mail]\nprivacy = encrypted\n")
                                   .arg(m_keys.filePath(QStringLiteral("vapid.pem")), m_keys.filePath(QStringLiteral("ca.pem")))
                                   .toUtf8();
        m_f = std::make_unique<DeliveryFixture>(QStringList{QStringLiteral("--target-policy"), QStringLiteral("all")}, ini);
        QVERIFY(m_f->start());
    }

    void encryptedPushReachesTheBrowser()
    {
        QVERIFY(registerBrowser(QStringLiteral("firefox"), QStringLiteral("sub-firefox"), m_browserKey));
        QVERIFY(registerBrowser(QStringLiteral("keyless"), QStringLiteral("sub-keyless"), PushKeyPair()));
        const QJsonObject event{{QStringLiteral("account"), QStringLiteral("alice")}, {QStringLiteral("app"), QStringLiteral("mail")},
                                {QStringLiteral("eventId"), QStringLiteral("w-1")}, {QStringLiteral("sender"), QStringLiteral("Carol")},
                                {QStringLiteral("subject"), QStringLiteral("Offsite agenda")}, {QStringLiteral("body"), QStringLiteral("Room 4")}};
        const auto posted = m_f->http().post(QStringLiteral("/v1/events"), event, m_f->sourceToken());
        QCOMPARE(posted.status, 202);
        const QString id = posted.json().object().value(QStringLiteral("id")).toString();
        QTRY_COMPARE_WITH_TIMEOUT(m_f->deliveries(id).filter(QStringLiteral(":delivered:push")).size(), 2, 20000);

        const QList<WebPushStandin::Record> sealed = recordsOf(QStringLiteral("sub-firefox"));
        QCOMPARE(sealed.size(), 1);
        const WebPushStandin::Record &r = sealed.first();
        QCOMPARE(r.status, 201); // the stand-in verified the VAPID signature, aud, exp and sub
        QCOMPARE(r.claims.value(QStringLiteral("aud")).toString(), m_service->origin());
        QCOMPARE(r.claims.value(QStringLiteral("sub")).toString(), QStringLiteral("mailto:ops@example.com"));
        QVERIFY(r.claims.value(QStringLiteral("exp")).toDouble() > QDateTime::currentSecsSinceEpoch() + 3600);
        QCOMPARE(r.vapidKey, publicPointOf(m_vapidPem));
        QCOMPARE(r.contentEncoding, QByteArray("aes128gcm"));
        QCOMPARE(r.urgency, QByteArray("high"));
        QVERIFY(r.ttl.toInt() > 0 && r.ttl.toInt() <= 86400);
        QVERIFY(!r.body.contains("Carol") && !r.body.contains("Offsite"));
        QString error;
        const auto opened = SealedPush::open(r.body, m_browserKey, &error);
        QVERIFY2(opened, qPrintable(error));
        QCOMPARE(opened->notificationId, id);
        QCOMPARE(opened->sender, QStringLiteral("Carol"));
        QCOMPARE(opened->subject, QStringLiteral("Offsite agenda"));

        // Without a key: a push without a body, which the service worker answers by fetching.
        const QList<WebPushStandin::Record> bare = recordsOf(QStringLiteral("sub-keyless"));
        QCOMPARE(bare.size(), 1);
        QCOMPARE(bare.first().status, 201);
        QVERIFY(bare.first().body.isEmpty());
        QVERIFY(bare.first().contentEncoding.isEmpty());
        QCOMPARE(bare.first().urgency, QByteArray("normal"));
    }

    void goneAndNotFoundRetireTheSubscription_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("reason");
        QTest::newRow("410") << 410 << "Gone";
        QTest::newRow("404") << 404 << "NotFound";
    }

    void goneAndNotFoundRetireTheSubscription()
    {
        QFETCH(int, status);
        QFETCH(QString, reason);
        const QString subscription = QStringLiteral("sub-dead-%1").arg(status);
        const QString deviceId = QStringLiteral("dead-%1").arg(status);
        WebPushStandin::Behaviour dead;
        dead.status = status;
        m_service->setBehaviour(subscription, dead);
        QVERIFY(registerBrowser(deviceId, subscription, m_browserKey));
        QString id;
        QCOMPARE(m_f->postEvent(QStringLiteral("dead-a-%1").arg(status), &id), 202);
        QTRY_VERIFY_WITH_TIMEOUT(m_f->deliveries(id).contains(deviceId + QStringLiteral(":failed:push")), 20000);
        QCOMPARE(device(deviceId).pushTokenState, PushTokenState::Retired);
        QCOMPARE(device(deviceId).pushTokenRetiredReason, reason);
        QCOMPARE(recordsOf(subscription).size(), 1);
        // Retired: the next event does not ask the push service again.
        QCOMPARE(m_f->postEvent(QStringLiteral("dead-b-%1").arg(status), &id), 202);
        QTRY_VERIFY_WITH_TIMEOUT(m_f->deliveries(id).contains(deviceId + QStringLiteral(":failed:")), 20000);
        QCOMPARE(recordsOf(subscription).size(), 1);
    }

    // The provider alone, against a push service whose subscriptions belong to another key.
    void foreignVapidKeyRaisesTheAlarm()
    {
        WebPushStandin::Options o;
        o.certPem = m_tls.certPem;
        o.keyPem = m_tls.keyPem;
        o.subscriptionKey = publicPointOf(TestPki::ecP256PrivateKey());
        WebPushStandin other(o);
        QVERIFY(other.listen());
        WebPushProvider provider(settings());
        QSignalSpy alarms(&provider, &Provider::alarm);
        PushTestHarness harness(&provider);
        PushMessage m = PushTestHarness::message(other.endpoint(QStringLiteral("s")));
        m.platform = QStringLiteral("web");
        harness.enqueue({m});
        QTRY_VERIFY_WITH_TIMEOUT(harness.done(), 10000);
        QCOMPARE(harness.count(PushResult::Outcome::ProviderAuthFailed), 1);
        QCOMPARE(alarms.size(), 1);
        QCOMPARE(other.records().first().status, 403);
    }

    void badEndpointsAreDeadTokens_data()
    {
        QTest::addColumn<QString>("endpoint");
        QTest::newRow("not a url") << "web-push";
        QTest::newRow("http") << "http://127.0.0.1:1/push/x";
        QTest::newRow("user info") << "https://u:p@127.0.0.1:1/push/x";
        QTest::newRow("huge") << QStringLiteral("https://127.0.0.1:1/") + QString(3000, QLatin1Char('a'));
    }

    void badEndpointsAreDeadTokens()
    {
        QFETCH(QString, endpoint);
        WebPushProvider provider(settings());
        PushTestHarness harness(&provider);
        PushMessage m = PushTestHarness::message(endpoint);
        harness.enqueue({m});
        QTRY_VERIFY_WITH_TIMEOUT(harness.done(), 5000);
        QCOMPARE(harness.count(PushResult::Outcome::TokenDead), 1);
        QCOMPARE(harness.results().value(m.deliveryId).reason, QStringLiteral("BadEndpoint"));
    }

    void configIsCheckedStrictly_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("subject not a URL") << "subject" << "ops" << "must be a mailto: or https: URL";
        QTest::newRow("subject http") << "subject" << "http://example.com" << "must be a mailto: or https: URL";
        QTest::newRow("no key file") << "vapid_key_file" << "/nonexistent/vapid.pem" << "does not exist";
        QTest::newRow("ttl") << "ttl" << "-1" << "must be a whole number";
        QTest::newRow("unknown") << "team_id" << "x" << "unknown key";
    }

    void configIsCheckedStrictly()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, message);
        QHash<QString, QString> values{{QStringLiteral("type"), QStringLiteral("webpush")},
                                       {QStringLiteral("vapid_key_file"), m_keys.filePath(QStringLiteral("vapid.pem"))},
                                       {QStringLiteral("subject"), QStringLiteral("https://example.com/contact")}};
        QString error;
        QVERIFY(ProviderConfig::parse(QStringLiteral("push.webpush"), values, QStringLiteral("h.conf"), &error));
        values.insert(key, value);
        QVERIFY(!ProviderConfig::parse(QStringLiteral("push.webpush"), values, QStringLiteral("h.conf"), &error));
        QVERIFY2(error.contains(message) && error.contains(key), qPrintable(error));
        // An RSA key is not a VAPID key.
        QVERIFY(writeFile(m_keys.filePath(QStringLiteral("rsa.pem")), TestPki::rsaPrivateKey()));
        values = {{QStringLiteral("type"), QStringLiteral("webpush")},
                  {QStringLiteral("vapid_key_file"), m_keys.filePath(QStringLiteral("rsa.pem"))},
                  {QStringLiteral("subject"), QStringLiteral("mailto:a@b.c")}};
        QVERIFY(!ProviderConfig::parse(QStringLiteral("push.webpush"), values, QStringLiteral("h.conf"), &error));
        QVERIFY2(error.contains(QLatin1String("not an EC P-256 key")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(tst_WebPushFlow)
#include "tst_webpushflow.moc"
