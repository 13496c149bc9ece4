// FcmProvider against the local FCM stand-in (OAuth2 token endpoint + messages:send).
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "FcmStandin.h"
#include "PushTestHarness.h"
#include "TestPki.h"
#include "push/FcmProvider.h"
#include "push/ProviderConfig.h"

using namespace herald;
using namespace herald::standin;

class tst_FcmProvider : public QObject
{
    Q_OBJECT

private:
    TestPki::Certificate m_tls;
    QByteArray m_rsa;
    QTemporaryDir m_dir;

    FcmStandin::Options standinOptions(const QByteArray &publicKey = {}) const
    {
        FcmStandin::Options o;
        o.certPem = m_tls.certPem;
        o.keyPem = m_tls.keyPem;
        o.serviceAccountPublicKeyPem = publicKey.isEmpty() ? TestPki::publicKeyOf(m_rsa) : publicKey;
        return o;
    }
    // Goes through the real config parser, so the service-account file handling is exercised too.
    ProviderSettings settingsFor(const FcmStandin &standin)
    {
        const QString file = m_dir.filePath(QStringLiteral("sa-%1.json").arg(standin.port()));
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write service account file");
        f.write(standin.serviceAccountJson(m_rsa));
        f.close();
        QFile ca(m_dir.filePath(QStringLiteral("ca.pem")));
        if (!ca.open(QIODevice::WriteOnly))
            qFatal("cannot write CA file");
        ca.write(m_tls.certPem);
        ca.close();
        QString error;
        const auto s = ProviderConfig::parse(
            QStringLiteral("push.fcm"),
            {{QStringLiteral("type"), QStringLiteral("fcm")},
             {QStringLiteral("service_account_file"), file},
             {QStringLiteral("endpoint"), QStringLiteral("127.0.0.1:%1").arg(standin.port())},
             {QStringLiteral("ca_file"), ca.fileName()},
             {QStringLiteral("request_timeout"), QStringLiteral("5")}},
            QStringLiteral("herald.conf"), &error);
        if (!s)
            qFatal("%s", qPrintable(error));
        return *s;
    }
    static PushMessage message(const QString &token)
    {
        PushMessage m = PushTestHarness::message(token);
        m.platform = QStringLiteral("android");
        return m;
    }
    PushResult sendOne(FcmProvider &p, const PushMessage &m)
    {
        PushTestHarness h(&p);
        h.enqueue({m});
        if (!QTest::qWaitFor([&] { return h.done(); }, 15000))
            return PushResult{m.deliveryId, PushResult::Outcome::RetryLater, -1,
                              QStringLiteral("test timeout"), {}};
        return h.results().value(m.deliveryId);
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<PushResult>();
        QVERIFY(m_dir.isValid());
        m_tls = TestPki::selfSigned();
        m_rsa = TestPki::rsaPrivateKey();
    }

    void deliversWithStringData()
    {
        FcmStandin standin(standinOptions());
        QVERIFY(standin.listen());
        FcmProvider provider(settingsFor(standin));
        PushMessage m = message(QStringLiteral("regtoken-1"));
        m.collapseId = QStringLiteral("mail");
        m.expiresAt = QDateTime::currentDateTimeUtc().addSecs(3600);
        const PushResult r = sendOne(provider, m);
        QCOMPARE(int(r.outcome), int(PushResult::Outcome::Delivered));
        QVERIFY(r.providerMessageId.startsWith(QStringLiteral("projects/test-project/messages/")));
        QCOMPARE(standin.accessTokensIssued(), 1);
        const QJsonObject msg = standin.records().first().message;
        QCOMPARE(msg.value("data").toObject().value("nid").toString(), m.notificationId);
        QCOMPARE(msg.value("data").toObject().value("uri").toString(), m.uri);
        QCOMPARE(msg.value("notification").toObject().value("body").toString(), m.body);
        const QJsonObject android = msg.value("android").toObject();
        QCOMPARE(android.value("priority").toString(), QStringLiteral("HIGH"));
        QCOMPARE(android.value("collapse_key").toString(), QStringLiteral("mail"));
        QVERIFY(android.value("ttl").toString().endsWith(QLatin1Char('s')));
        // The access token is cached: a second push fetches none.
        QCOMPARE(int(sendOne(provider, message(QStringLiteral("regtoken-2"))).outcome),
                 int(PushResult::Outcome::Delivered));
        QCOMPARE(standin.accessTokensIssued(), 1);
    }

    void outcomes_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errorCode");
        QTest::addColumn<int>("retryAfter");
        QTest::addColumn<int>("outcome");
        using O = PushResult::Outcome;
        QTest::newRow("404 UNREGISTERED") << 404 << "UNREGISTERED" << -1 << int(O::TokenDead);
        QTest::newRow("400 INVALID_ARGUMENT") << 400 << "INVALID_ARGUMENT" << -1 << int(O::Rejected);
        QTest::newRow("403 SENDER_ID_MISMATCH") << 403 << "SENDER_ID_MISMATCH" << -1 << int(O::Rejected);
        QTest::newRow("429 QUOTA_EXCEEDED") << 429 << "QUOTA_EXCEEDED" << 90 << int(O::RetryLater);
        QTest::newRow("503 UNAVAILABLE") << 503 << "UNAVAILABLE" << 10 << int(O::RetryLater);
        QTest::newRow("500 INTERNAL") << 500 << "INTERNAL" << -1 << int(O::RetryLater);
    }
    void outcomes()
    {
        QFETCH(int, status);
        QFETCH(QString, errorCode);
        QFETCH(int, retryAfter);
        QFETCH(int, outcome);
        FcmStandin standin(standinOptions());
        QVERIFY(standin.listen());
        standin.setBehaviour(QStringLiteral("bad-token"), {status, errorCode, retryAfter, -1});
        FcmProvider provider(settingsFor(standin));
        const PushResult r = sendOne(provider, message(QStringLiteral("bad-token")));
        QCOMPARE(int(r.outcome), outcome);
        QCOMPARE(r.httpStatus, status);
        QCOMPARE(r.reason, errorCode);
        QCOMPARE(r.retryAfterSecs, retryAfter);
    }

    void revokedAccessTokenIsRefetchedOnce()
    {
        FcmStandin standin(standinOptions());
        QVERIFY(standin.listen());
        FcmProvider provider(settingsFor(standin));
        QCOMPARE(int(sendOne(provider, message(QStringLiteral("t1"))).outcome),
                 int(PushResult::Outcome::Delivered));
        standin.revokeAccessTokens();
        QCOMPARE(int(sendOne(provider, message(QStringLiteral("t2"))).outcome),
                 int(PushResult::Outcome::Delivered));
        QCOMPARE(standin.accessTokensIssued(), 2);
        QCOMPARE(provider.accessTokensFetched(), 2);
    }

    void revokedTokenUnderBurstRefetchesOnce()
    {
        FcmStandin standin(standinOptions());
        QVERIFY(standin.listen());
        FcmProvider provider(settingsFor(standin));
        QCOMPARE(int(sendOne(provider, message(QStringLiteral("warm"))).outcome),
                 int(PushResult::Outcome::Delivered));
        standin.revokeAccessTokens();
        PushTestHarness h(&provider);
        QList<PushMessage> burst;
        for (int i = 0; i < 50; ++i)
            burst << message(QStringLiteral("after-revoke-%1").arg(i));
        h.enqueue(burst);
        QTRY_VERIFY_WITH_TIMEOUT(h.done(), 15000);
        QCOMPARE(h.count(PushResult::Outcome::Delivered), 50);
        QCOMPARE(standin.accessTokensIssued(), 2); // fifty 401s, one new token
    }

    void wrongServiceAccountKeyIsProviderAuthFailed()
    {
        FcmStandin standin(standinOptions(TestPki::publicKeyOf(TestPki::rsaPrivateKey())));
        QVERIFY(standin.listen());
        FcmProvider provider(settingsFor(standin));
        QSignalSpy alarms(&provider, &Provider::alarm);
        const PushResult r = sendOne(provider, message(QStringLiteral("t1")));
        QCOMPARE(int(r.outcome), int(PushResult::Outcome::ProviderAuthFailed));
        QCOMPARE(alarms.count(), 1);
        QCOMPARE(standin.assertionsRejected(), 1);
        QCOMPARE(standin.records().size(), 0);
    }

    void burstIsDeliveredOnce()
    {
        FcmStandin standin(standinOptions());
        QVERIFY(standin.listen());
        ProviderSettings s = settingsFor(standin);
        s.maxOutstanding = 50; // exercises back-pressure while the token is being fetched
        FcmProvider provider(s);
        PushTestHarness h(&provider);
        QList<PushMessage> burst;
        for (int i = 0; i < 300; ++i)
            burst << message(QStringLiteral("burst-%1").arg(i));
        h.enqueue(burst);
        QTRY_VERIFY_WITH_TIMEOUT(h.done(), 30000);
        QCOMPARE(h.count(PushResult::Outcome::Delivered), 300);
        QCOMPARE(h.duplicates(), 0);
        QCOMPARE(standin.deliveredTotal(), 300);
        QCOMPARE(standin.accessTokensIssued(), 1);
    }

    void longTextIsCutToFit()
    {
        FcmStandin standin(standinOptions());
        QVERIFY(standin.listen());
        FcmProvider provider(settingsFor(standin));
        PushMessage m = message(QStringLiteral("t-long"));
        m.body = QString(3000, QChar(0x4E2D)); // 9000 bytes of UTF-8
        QCOMPARE(int(sendOne(provider, m).outcome), int(PushResult::Outcome::Delivered));
        const QString body =
            standin.records().first().message.value("notification").toObject().value("body").toString();
        QVERIFY(body.size() < 3000);
        QVERIFY(body.endsWith(QChar(0x2026)));
    }
};

QTEST_GUILESS_MAIN(tst_FcmProvider)
#include "tst_FcmProvider.moc"
