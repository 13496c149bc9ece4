// ApnsProvider against the local APNs stand-in: outcomes, one-stream cold start, GOAWAY, token
// refresh, back-pressure and hostile servers.
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include "ApnsStandin.h"
#include "PushTestHarness.h"
#include "TestPki.h"
#include "push/ApnsProvider.h"

using namespace herald;
using namespace herald::standin;

namespace {
const QString kTopic = QStringLiteral("com.example.herald");
QString deviceToken(int n)
{
    return QStringLiteral("%1").arg(n, 64, 16, QLatin1Char('0'));
}
} // namespace

class tst_ApnsProvider : public QObject
{
    Q_OBJECT

private:
    TestPki::Certificate m_tls;
    QByteArray m_p8;

    ApnsStandin::Options standinOptions() const
    {
        ApnsStandin::Options o;
        o.certPem = m_tls.certPem;
        o.keyPem = m_tls.keyPem;
        o.tokenPublicKeyPem = TestPki::publicKeyOf(m_p8);
        o.topics = {kTopic};
        return o;
    }
    ProviderSettings settingsFor(quint16 port, const QByteArray &p8 = {}) const
    {
        ProviderSettings s;
        s.section = QStringLiteral("push.apns");
        s.type = ProviderSettings::Type::Apns;
        s.host = QStringLiteral("127.0.0.1");
        s.port = port;
        s.caCertificates = QSslCertificate::fromData(m_tls.certPem);
        s.teamId = QStringLiteral("TEAM000001");
        s.keyId = QStringLiteral("KEY0000001");
        s.signingKey = PrivateKey::fromPem(p8.isEmpty() ? m_p8 : p8);
        s.defaultTopic = kTopic;
        return s;
    }
    // Sends one message and returns its result.
    PushResult sendOne(ApnsProvider &provider, const PushMessage &m, int timeoutMs = 10000)
    {
        PushTestHarness h(&provider);
        h.enqueue({m});
        if (!QTest::qWaitFor([&] { return h.done(); }, timeoutMs))
            return PushResult{m.deliveryId, PushResult::Outcome::RetryLater, -1,
                              QStringLiteral("test timeout"), {}};
        return h.results().value(m.deliveryId);
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<PushResult>();
        m_tls = TestPki::selfSigned();
        m_p8 = TestPki::ecP256PrivateKey();
        QVERIFY(!m_p8.isEmpty());
    }

    void apnsIdIsTheCanonicalDeliveryId_data()
    {
        QTest::addColumn<QString>("deliveryId");
        QTest::addColumn<QString>("apnsId"); // empty: none sent, APNs assigns one
        const QString canonical = QStringLiteral("0192f3a4-5b6c-7d8e-9f01-23456789abcd");
        QTest::newRow("canonical") << canonical << canonical;
        QTest::newRow("upper case") << canonical.toUpper() << canonical;
        QTest::newRow("braced") << QStringLiteral("{%1}").arg(canonical) << canonical;
        QTest::newRow("not a uuid") << QStringLiteral("delivery-17") << QString();
        QTest::newRow("uuid length, not hex") << QStringLiteral("0192f3a4-5b6c-7d8e-9f01-23456789abcz") << QString();
    }
    void apnsIdIsTheCanonicalDeliveryId()
    {
        QFETCH(QString, deliveryId);
        QFETCH(QString, apnsId);
        ApnsStandin standin(standinOptions());
        QVERIFY(standin.listen());
        ApnsProvider provider(settingsFor(standin.port()));
        PushMessage m = PushTestHarness::message(deviceToken(21));
        m.deliveryId = deliveryId;
        const PushResult r = sendOne(provider, m);
        QCOMPARE(int(r.outcome), int(PushResult::Outcome::Delivered));
        QCOMPARE(standin.records().size(), 1);
        QCOMPARE(standin.records().first().apnsId, apnsId);
        if (apnsId.isEmpty())
            QVERIFY(!r.providerMessageId.isEmpty()); // none sent: the stand-in assigned one
        else
            QCOMPARE(r.providerMessageId.toLower(), apnsId);
    }

    void deliversWithAllHeaders()
    {
        ApnsStandin standin(standinOptions());
        QVERIFY(standin.listen());
        ApnsProvider provider(settingsFor(standin.port()));
        PushMessage m = PushTestHarness::message(deviceToken(1));
        m.collapseId = QStringLiteral("thread-7");
        m.expiresAt = QDateTime::fromSecsSinceEpoch(4000000000);
        const PushResult r = sendOne(provider, m);
        QCOMPARE(int(r.outcome), int(PushResult::Outcome::Delivered));
        QCOMPARE(r.httpStatus, 200);
        QCOMPARE(r.providerMessageId.toLower(), m.deliveryId.toLower());
        QCOMPARE(standin.records().size(), 1);
        const auto &rec = standin.records().first();
        QCOMPARE(rec.apnsId.toLower(), m.deliveryId.toLower());
        QCOMPARE(rec.topic, kTopic);
        QCOMPARE(rec.pushType, QStringLiteral("alert"));
        QCOMPARE(rec.priority, QStringLiteral("10"));
        QCOMPARE(rec.expiration, QStringLiteral("4000000000"));
        QCOMPARE(rec.collapseId, QStringLiteral("thread-7"));
        // What changes with every push stays out of the HPACK table, so what repeats stays in it
        // and later pushes send it as a table index. (nghttp2 never indexes `authorization`
        // itself, whatever the flags: a compression side channel on the token is not worth it.)
        for (const QByteArray name : {":path", "apns-id", "apns-collapse-id", "apns-expiration", "content-length"})
            QVERIFY2(rec.neverIndexed.contains(name), name.constData());
        for (const QByteArray name : {"apns-topic", ":authority", "content-type", "apns-push-type"})
            QVERIFY2(!rec.neverIndexed.contains(name), name.constData());
        const QJsonObject payload = QJsonDocument::fromJson(rec.payload).object();
        QCOMPARE(payload.value("nid").toString(), m.notificationId);
        QCOMPARE(payload.value("uri").toString(), m.uri);
        QCOMPARE(payload.value("aps").toObject().value("alert").toObject().value("body").toString(), m.body);
    }

    void backgroundPushUsesPriorityFive()
    {
        ApnsStandin standin(standinOptions());
        QVERIFY(standin.listen());
        ApnsProvider provider(settingsFor(standin.port()));
        PushMessage m = PushTestHarness::message(deviceToken(2), QString(), QString());
        m.contentAvailable = true;
        QCOMPARE(int(sendOne(provider, m).outcome), int(PushResult::Outcome::Delivered));
        QCOMPARE(standin.records().first().pushType, QStringLiteral("background"));
        QCOMPARE(standin.records().first().priority, QStringLiteral("5"));
    }

    void outcomes_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<int>("retryAfter");
        QTest::addColumn<int>("outcome");
        using O = PushResult::Outcome;
        QTest::newRow("410 Unregistered") << 410 << "Unregistered" << -1 << int(O::TokenDead);
        QTest::newRow("400 BadDeviceToken") << 400 << "BadDeviceToken" << -1 << int(O::TokenDead);
        QTest::newRow("400 DeviceTokenNotForTopic")
            << 400 << "DeviceTokenNotForTopic" << -1 << int(O::TokenDead);
        QTest::newRow("400 BadTopic") << 400 << "BadTopic" << -1 << int(O::Rejected);
        QTest::newRow("413 PayloadTooLarge") << 413 << "PayloadTooLarge" << -1 << int(O::Rejected);
        QTest::newRow("404 BadPath") << 404 << "BadPath" << -1 << int(O::Rejected);
        QTest::newRow("429 TooManyRequests") << 429 << "TooManyRequests" << 120 << int(O::RetryLater);
        QTest::newRow("500 InternalServerError") << 500 << "InternalServerError" << -1 << int(O::RetryLater);
        QTest::newRow("503 ServiceUnavailable") << 503 << "ServiceUnavailable" << 30 << int(O::RetryLater);
    }
    void outcomes()
    {
        QFETCH(int, status);
        QFETCH(QString, reason);
        QFETCH(int, retryAfter);
        QFETCH(int, outcome);
        ApnsStandin standin(standinOptions());
        QVERIFY(standin.listen());
        ApnsStandin::Behaviour b;
        b.status = status;
        b.reason = reason;
        b.retryAfterSecs = retryAfter;
        if (status == 410)
            b.timestamp = QDateTime::currentMSecsSinceEpoch();
        standin.setBehaviour(deviceToken(3), b);
        ApnsProvider provider(settingsFor(standin.port()));
        const PushResult r = sendOne(provider, PushTestHarness::message(deviceToken(3)));
        QCOMPARE(int(r.outcome), outcome);
        QCOMPARE(r.httpStatus, status);
        QCOMPARE(r.reason, reason);
        QCOMPARE(r.retryAfterSecs, retryAfter);
        // The connection stays usable for the next push.
        QCOMPARE(int(sendOne(provider, PushTestHarness::message(deviceToken(4))).outcome),
                 int(PushResult::Outcome::Delivered));
    }

    void coldBurstWithOneStreamStart()
    {
        ApnsStandin standin(standinOptions()); // initialMaxStreams = 1, raised to 500 after the first 200
        QVERIFY(standin.listen());
        ApnsProvider provider(settingsFor(standin.port()));
        PushTestHarness h(&provider);
        QList<PushMessage> burst;
        for (int i = 0; i < 1000; ++i)
            burst << PushTestHarness::message(deviceToken(1000 + i));
        h.enqueue(burst);
        QTRY_VERIFY_WITH_TIMEOUT(h.done(), 60000);
        QCOMPARE(h.count(PushResult::Outcome::Delivered), 1000);
        QCOMPARE(h.duplicates(), 0);
        QCOMPARE(standin.deliveredTotal(), 1000);
        QCOMPARE(standin.records().size(), 1000); // nothing refused, nothing answered twice
        for (const PushMessage &m : std::as_const(burst))
            QCOMPARE(standin.acceptedCount(m.deliveryId), 1);
        QCOMPARE(standin.connectionsAccepted(), 1);
        QVERIFY2(standin.maxConcurrentSeen() > 1, "the raised stream limit was never used");
    }

    void goawayMidBurstDeliversExactlyOnce()
    {
        ApnsStandin::Options o = standinOptions();
        o.goawayAfterRequests = 300;
        o.latencyMs = 2; // keeps streams open across the GOAWAY so some must move
        ApnsStandin standin(o);
        QVERIFY(standin.listen());
        ProviderSettings s = settingsFor(standin.port());
        s.connections = 2;
        ApnsProvider provider(s);
        PushTestHarness h(&provider);
        QList<PushMessage> burst;
        for (int i = 0; i < 1000; ++i)
            burst << PushTestHarness::message(deviceToken(5000 + i));
        h.enqueue(burst);
        QTRY_VERIFY_WITH_TIMEOUT(h.done(), 60000);
        QCOMPARE(h.count(PushResult::Outcome::Delivered), 1000);
        QCOMPARE(h.duplicates(), 0);
        for (const PushMessage &m : std::as_const(burst))
            QCOMPARE(standin.acceptedCount(m.deliveryId), 1);
        QCOMPARE(standin.deliveredTotal(), 1000);
        QVERIFY(standin.connectionsAccepted() >= 4); // 1000 / 300 per connection
    }

    void expiredTokenIsRefreshedOnce()
    {
        ApnsStandin standin(standinOptions());
        QVERIFY(standin.listen());
        ApnsProvider provider(settingsFor(standin.port()));
        qint64 now = QDateTime::currentSecsSinceEpoch() - 2 * 3600; // first token is two hours old
        provider.setClockForTesting([&now] { return now; });
        PushMessage first = PushTestHarness::message(deviceToken(6));
        PushTestHarness h(&provider);
        h.enqueue({first});
        // The provider signs at "now - 2h"; after the first request leaves, real time returns.
        QTRY_VERIFY(provider.tokensIssued() == 1);
        now = QDateTime::currentSecsSinceEpoch();
        QTRY_VERIFY_WITH_TIMEOUT(h.done(), 10000);
        QCOMPARE(int(h.results().value(first.deliveryId).outcome), int(PushResult::Outcome::Delivered));
        QCOMPARE(provider.tokensIssued(), 2);
        QCOMPARE(standin.records().size(), 2);
        QCOMPARE(standin.records().first().reason, QStringLiteral("ExpiredProviderToken"));
        QCOMPARE(standin.acceptedCount(first.deliveryId), 1);
    }

    void wrongKeyIsProviderAuthFailedWithAlarm()
    {
        ApnsStandin standin(standinOptions());
        QVERIFY(standin.listen());
        ApnsProvider provider(settingsFor(standin.port(), TestPki::ecP256PrivateKey()));
        QSignalSpy alarms(&provider, &Provider::alarm);
        const PushResult r = sendOne(provider, PushTestHarness::message(deviceToken(7)));
        QCOMPARE(int(r.outcome), int(PushResult::Outcome::ProviderAuthFailed));
        QCOMPARE(r.reason, QStringLiteral("InvalidProviderToken"));
        QCOMPARE(alarms.count(), 1);
        QCOMPARE(standin.records().size(), 2); // the first try and exactly one internal retry
    }

    void tooManyRequestsCarriesRetryAfter()
    {
        ApnsStandin standin(standinOptions());
        QVERIFY(standin.listen());
        ApnsProvider provider(settingsFor(standin.port()));
        QCOMPARE(int(sendOne(provider, PushTestHarness::message(deviceToken(8))).outcome),
                 int(PushResult::Outcome::Delivered));
        standin.failNext(1, 429, QStringLiteral("TooManyRequests"), 60);
        const PushResult r = sendOne(provider, PushTestHarness::message(deviceToken(8)));
        QCOMPARE(int(r.outcome), int(PushResult::Outcome::RetryLater));
        QCOMPARE(r.retryAfterSecs, 60);
    }

    void hostileServers_data()
    {
        QTest::addColumn<int>("hostile");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("outcome");
        using H = ApnsStandin::Hostile;
        using O = PushResult::Outcome;
        QTest::newRow("garbage frames") << int(H::Garbage) << 200 << int(O::RetryLater);
        QTest::newRow("huge headers") << int(H::HugeHeaders) << 200 << int(O::RetryLater);
        QTest::newRow("non-JSON 400") << int(H::NonJsonBody) << 400 << int(O::Rejected);
        QTest::newRow("non-JSON 502") << int(H::NonJsonBody) << 502 << int(O::RetryLater);
        QTest::newRow("dropped mid-stream") << int(H::DropMidStream) << 200 << int(O::RetryLater);
        QTest::newRow("no answer") << int(H::NoResponse) << 200 << int(O::RetryLater);
    }
    void hostileServers()
    {
        QFETCH(int, hostile);
        QFETCH(int, status);
        QFETCH(int, outcome);
        ApnsStandin standin(standinOptions());
        QVERIFY(standin.listen());
        ApnsStandin::Behaviour b;
        b.status = status;
        b.hostile = ApnsStandin::Hostile(hostile);
        b.times = 1;
        standin.setBehaviour(deviceToken(9), b);
        ProviderSettings s = settingsFor(standin.port());
        s.requestTimeoutSecs = 1;
        ApnsProvider provider(s);
        // Warm the connection first, so the hostile answer hits a raised, busy connection.
        QCOMPARE(int(sendOne(provider, PushTestHarness::message(deviceToken(10))).outcome),
                 int(PushResult::Outcome::Delivered));
        const PushResult r = sendOne(provider, PushTestHarness::message(deviceToken(9)));
        QCOMPARE(int(r.outcome), outcome);
        QVERIFY(!r.reason.isEmpty());
        // And the provider recovers: the next push to the same device goes through.
        QCOMPARE(int(sendOne(provider, PushTestHarness::message(deviceToken(9))).outcome),
                 int(PushResult::Outcome::Delivered));
    }

    void backPressure()
    {
        ApnsStandin::Options o = standinOptions();
        o.latencyMs = 5;
        ApnsStandin standin(o);
        QVERIFY(standin.listen());
        ProviderSettings s = settingsFor(standin.port());
        s.maxOutstanding = 10;
        ApnsProvider provider(s);
        QSignalSpy ready(&provider, &Provider::readyForMore);
        int sent = 0;
        while (provider.canAccept() && sent < 100) {
            provider.send(PushTestHarness::message(deviceToken(11)));
            ++sent;
        }
        QCOMPARE(sent, 10);
        QVERIFY(ready.wait(10000));
        QVERIFY(provider.canAccept());
    }

    void certificateAuth()
    {
        const TestPki::Certificate client = TestPki::selfSigned(QStringLiteral("com.example.herald"));
        ApnsStandin::Options o = standinOptions();
        o.clientCertificatePem = client.certPem;
        ApnsStandin standin(o);
        QVERIFY(standin.listen());
        ProviderSettings s = settingsFor(standin.port());
        s.apnsAuth = ProviderSettings::ApnsAuth::Certificate;
        s.signingKey = PrivateKey();
        s.clientCertificate = QSslCertificate(client.certPem);
        s.clientKey = QSslKey(client.keyPem, QSsl::Ec);
        ApnsProvider provider(s);
        QCOMPARE(int(sendOne(provider, PushTestHarness::message(deviceToken(12))).outcome),
                 int(PushResult::Outcome::Delivered));
    }

    void unreachableProviderDoesNotStallAnother()
    {
        ApnsStandin standin(standinOptions());
        QVERIFY(standin.listen());
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 deadPort = closed.serverPort();
        closed.close();
        ApnsProvider dead(settingsFor(deadPort));
        ApnsProvider alive(settingsFor(standin.port()));
        PushTestHarness hd(&dead), ha(&alive);
        const PushMessage md = PushTestHarness::message(deviceToken(13));
        const PushMessage ma = PushTestHarness::message(deviceToken(14));
        hd.enqueue({md});
        ha.enqueue({ma});
        QTRY_VERIFY_WITH_TIMEOUT(hd.done() && ha.done(), 15000);
        QCOMPARE(int(hd.results().value(md.deliveryId).outcome), int(PushResult::Outcome::RetryLater));
        QCOMPARE(int(ha.results().value(ma.deliveryId).outcome), int(PushResult::Outcome::Delivered));
    }

    void refusedStreamIsResentOnce()
    {
        ApnsStandin standin(standinOptions());
        QVERIFY(standin.listen());
        ApnsStandin::Behaviour b;
        b.hostile = ApnsStandin::Hostile::RefuseStream;
        b.times = 2;
        standin.setBehaviour(deviceToken(15), b);
        ApnsProvider provider(settingsFor(standin.port()));
        const PushMessage m = PushTestHarness::message(deviceToken(15));
        QCOMPARE(int(sendOne(provider, m).outcome), int(PushResult::Outcome::Delivered));
        QCOMPARE(standin.acceptedCount(m.deliveryId), 1);
        QCOMPARE(standin.records().size(), 1);
    }

    void tokenChangeTooSoonIsTooManyProviderTokenUpdates()
    {
        ApnsStandin standin(standinOptions());
        QVERIFY(standin.listen());
        ApnsProvider provider(settingsFor(standin.port()));
        const qint64 real = QDateTime::currentSecsSinceEpoch();
        qint64 now = real - 49 * 60; // a token 49 minutes old is still valid
        provider.setClockForTesting([&now] { return now; });
        QCOMPARE(int(sendOne(provider, PushTestHarness::message(deviceToken(16))).outcome),
                 int(PushResult::Outcome::Delivered));
        now = real + 120; // the provider now thinks its token is 51 minutes old and signs a new one
        const PushResult r = sendOne(provider, PushTestHarness::message(deviceToken(16)));
        QCOMPARE(provider.tokensIssued(), 2);
        // …but for this connection the first token arrived seconds ago: APNs says too soon.
        QCOMPARE(int(r.outcome), int(PushResult::Outcome::RetryLater));
        QCOMPARE(r.httpStatus, 429);
        QCOMPARE(r.reason, QStringLiteral("TooManyProviderTokenUpdates"));
    }

    void invalidDeviceTokenNeverLeaves()
    {
        ApnsStandin standin(standinOptions());
        QVERIFY(standin.listen());
        ApnsProvider provider(settingsFor(standin.port()));
        const PushResult r = sendOne(provider, PushTestHarness::message(QStringLiteral("../../admin")));
        QCOMPARE(int(r.outcome), int(PushResult::Outcome::TokenDead));
        QCOMPARE(standin.records().size(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_ApnsProvider)
#include "tst_ApnsProvider.moc"
