// Issue 4 end to end: events go through herald-server's dispatcher to a real APNs provider and
// arrive at the local APNs stand-in (tests/standins) — accepted once with the delivery id as
// apns-id, retried after a 503 with Retry-After, and a dead token (410 Unregistered) retires the
// device's push token so no further pushes are tried.
#include "RecordStatePrinting.h"
#include "ApnsStandin.h"
#include "TestDatabase.h"
#include "DeliveryFixture.h"
#include "TestPki.h"

#include <QJsonArray>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>

using namespace herald;
using namespace herald::test;
using namespace herald::standin;

namespace {

const QString Token = QString(QStringLiteral("ab")).repeated(32);

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

} // namespace

class tst_PushFlow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_keys;
    std::unique_ptr<ApnsStandin> m_apns;
    std::unique_ptr<DeliveryFixture> m_f;
    QString m_deviceToken;

    DeviceRecord device()
    {
        QString error;
        const auto storage = TestDatabase::open(m_f->server().dataDir(), &error);
        if (!storage)
            return DeviceRecord();
        return storage->deviceByDeviceId(QStringLiteral("iphone")).value_or(DeviceRecord());
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
                                              "team_id = %3\nkey_id = %4\nkey_file = %5\ntopic = com.example.remote\n"
                                              // A small window, so a burst waits for the provider.
                                              "max_outstanding = 4\n")
                                   .arg(m_apns->port())
                                   .arg(m_keys.filePath(QStringLiteral("ca.pem")), o.teamId, o.keyId,
                                        m_keys.filePath(QStringLiteral("AuthKey.p8")))
                                   .toUtf8();
        // Of the pushes waiting for the provider, only 10 keep their text in memory: the burst
        // below also goes through the ones read back from storage->
        m_f = std::make_unique<DeliveryFixture>(QStringList{QStringLiteral("--held-pushes"), QStringLiteral("10")}, ini);
        QVERIFY(m_f->start());
        const QJsonObject body{{QStringLiteral("username"), QStringLiteral("alice")},
                               {QStringLiteral("password"), QString::fromLatin1(DeliveryFixture::Password)},
                               {QStringLiteral("device"), QJsonObject{{QStringLiteral("id"), QStringLiteral("iphone")},
                                                                      {QStringLiteral("platform"), QStringLiteral("ios")},
                                                                      {QStringLiteral("pushToken"), Token}}},
                               {QStringLiteral("apps"), QJsonArray{QStringLiteral("mail")}}};
        const auto reply = m_f->http().post(QStringLiteral("/v1/register"), body);
        QCOMPARE(reply.status, 201);
        m_deviceToken = reply.json().object().value(QStringLiteral("deviceToken")).toString();
        QVERIFY(m_f->login(m_deviceToken));
    }

    void eventReachesApnsOnce()
    {
        QString id;
        QCOMPARE(m_f->postEvent(QStringLiteral("apns-1"), &id), 202);
        QTRY_COMPARE_WITH_TIMEOUT(m_f->deliveries(id), QStringList{QStringLiteral("iphone:delivered:push")}, 20000);
        QString error;
        const auto storage = TestDatabase::open(m_f->server().dataDir(), &error);
        QVERIFY2(storage, qPrintable(error));
        const DeliveryRecord d = storage->deliveriesOfNotification(id)->first();
        QCOMPARE(m_apns->acceptedCount(d.id), 1); // apns-id is the delivery id
        bool found = false;
        for (const ApnsStandin::Record &r : m_apns->records()) {
            if (r.apnsId != d.id)
                continue;
            found = true;
            QCOMPARE(r.deviceToken, Token);
            QCOMPARE(r.topic, QStringLiteral("com.example.remote"));
            const QJsonObject payload = QJsonDocument::fromJson(r.payload).object();
            QCOMPARE(payload.value(QStringLiteral("nid")).toString(), id);
            QCOMPARE(payload.value(QStringLiteral("uri")).toString(), QStringLiteral("herald://open/mail/") + id);
            QVERIFY(!r.payload.contains("Quarterly")); // summary privacy: no subject in the push
        }
        QVERIFY(found);
    }

    void serviceUnavailableIsRetried()
    {
        m_apns->failNext(1, 503, QStringLiteral("ServiceUnavailable"), 1);
        QString id;
        QCOMPARE(m_f->postEvent(QStringLiteral("apns-2"), &id), 202);
        QTRY_COMPARE_WITH_TIMEOUT(m_f->deliveries(id), QStringList{QStringLiteral("iphone:delivered:push")}, 30000);
        QString error;
        const auto storage = TestDatabase::open(m_f->server().dataDir(), &error);
        QVERIFY2(storage, qPrintable(error));
        const DeliveryRecord d = storage->deliveriesOfNotification(id)->first();
        QCOMPARE(d.attempts, 2);
        QCOMPARE(m_apns->acceptedCount(d.id), 1);
        // One history row per push: the verdict, the provider's answer, when it went out and came back.
        const QList<DeliveryAttemptRecord> attempts =
            storage->deliveryAttempts(d.id).value_or(QList<DeliveryAttemptRecord>());
        QCOMPARE(attempts.size(), 2);
        QCOMPARE(attempts[0].outcome, QStringLiteral("retry_later"));
        QCOMPARE(attempts[0].detail, QStringLiteral("apns: 503 ServiceUnavailable"));
        QCOMPARE(attempts[1].outcome, QStringLiteral("delivered"));
        QCOMPARE(attempts[1].detail, QStringLiteral("apns: 200"));
        for (const DeliveryAttemptRecord &a : attempts) {
            QCOMPARE(a.channel, AttemptChannel::Push);
            QVERIFY(a.sentAt.isValid());
            QVERIFY(a.sentAt <= a.at);
        }
        QVERIFY(attempts[0].at <= attempts[1].sentAt); // the retry went out after the 503 came back
    }

    void burstPastTheProvidersWindowIsDeliveredOnce()
    {
        // Four pushes in flight at most, each answered after 30 ms: most of the burst waits for the
        // provider (back-pressure), ten of them with their text held, the rest as ids read back
        // from storage in turn; every event still reaches APNs exactly once, in the end.
        m_apns->setLatencyMs(30);
        QStringList ids;
        for (int i = 0; i < 60; ++i) {
            QString id;
            QCOMPARE(m_f->postEvent(QStringLiteral("burst-%1").arg(i), &id), 202);
            ids << id;
        }
        for (const QString &id : std::as_const(ids))
            QTRY_COMPARE_WITH_TIMEOUT(m_f->deliveries(id), QStringList{QStringLiteral("iphone:delivered:push")}, 30000);
        m_apns->setLatencyMs(0);
        QVERIFY(m_apns->maxConcurrentSeen() <= 4);
        QString error;
        const auto storage = TestDatabase::open(m_f->server().dataDir(), &error);
        QVERIFY2(storage, qPrintable(error));
        for (const QString &id : std::as_const(ids)) {
            const DeliveryRecord d = storage->deliveriesOfNotification(id)->first();
            QCOMPARE(m_apns->acceptedCount(d.id), 1);
            QCOMPARE(d.attempts, 1);
        }
    }

    void deadTokenIsRetired()
    {
        ApnsStandin::Behaviour dead;
        dead.status = 410;
        dead.reason = QStringLiteral("Unregistered");
        m_apns->setBehaviour(Token, dead);
        QString id;
        QCOMPARE(m_f->postEvent(QStringLiteral("apns-3"), &id), 202);
        QTRY_COMPARE_WITH_TIMEOUT(m_f->deliveries(id), QStringList{QStringLiteral("iphone:failed:push")}, 20000);
        QCOMPARE(device().pushTokenState, PushTokenState::Retired);
        QCOMPARE(device().pushTokenRetiredReason, QStringLiteral("Unregistered"));
        // No more pushes to that token: the next delivery fails without asking APNs.
        const int before = int(m_apns->records().size());
        QCOMPARE(m_f->postEvent(QStringLiteral("apns-4"), &id), 202);
        QTRY_COMPARE_WITH_TIMEOUT(m_f->deliveries(id), QStringList{QStringLiteral("iphone:failed:")}, 20000);
        QCOMPARE(int(m_apns->records().size()), before);
    }

    void lateDeadTokenVerdictSparesTheNewToken()
    {
        // The device re-registers with a new token while a push to its old one is out; the old
        // token's 410 then arrives. It is about the old token: the new one stays active, the push
        // goes to it instead (same apns-id), and the next event reaches APNs through it too.
        const QString oldToken = QString(QStringLiteral("cd")).repeated(32);
        const QString newToken = QString(QStringLiteral("ef")).repeated(32);
        QVERIFY(registerWith(oldToken));
        QCOMPARE(device().pushTokenState, PushTokenState::Active);
        ApnsStandin::Behaviour dead;
        dead.status = 410;
        dead.reason = QStringLiteral("Unregistered");
        m_apns->setBehaviour(oldToken, dead);
        m_apns->setHoldAnswers(true);
        QStringList sentTo;
        const QMetaObject::Connection watching = connect(
            m_apns.get(), &ApnsStandin::answered, this,
            [&sentTo](const ApnsStandin::Record &r) { sentTo << r.deviceToken; });
        const auto stopWatching = qScopeGuard([&] { disconnect(watching); });
        QString id;
        QCOMPARE(m_f->postEvent(QStringLiteral("apns-race-1"), &id), 202);
        QTRY_COMPARE_WITH_TIMEOUT(sentTo, QStringList{oldToken}, 20000);
        QCOMPARE(m_apns->heldCount(), 1);
        QVERIFY(registerWith(newToken)); // between the send and the verdict
        m_apns->releaseHeld();
        QTRY_COMPARE_WITH_TIMEOUT(m_f->deliveries(id), QStringList{QStringLiteral("iphone:delivered:push")}, 20000);
        QCOMPARE(sentTo, (QStringList{oldToken, newToken}));
        {
            QString error;
            const auto storage = TestDatabase::open(m_f->server().dataDir(), &error);
            QVERIFY2(storage, qPrintable(error));
            const DeliveryRecord d = storage->deliveriesOfNotification(id)->first();
            QCOMPARE(d.attempts, 2);
            QCOMPARE(m_apns->acceptedCount(d.id), 1); // the same apns-id, accepted once, for the new token
        }
        const DeviceRecord now = device();
        QCOMPARE(now.pushToken, newToken);
        QCOMPARE(now.pushTokenState, PushTokenState::Active);
        QCOMPARE(now.pushTokenRetiredReason, QString());
        QCOMPARE(m_f->postEvent(QStringLiteral("apns-race-2"), &id), 202);
        QTRY_COMPARE_WITH_TIMEOUT(m_f->deliveries(id), QStringList{QStringLiteral("iphone:delivered:push")}, 20000);
    }

private:
    bool registerWith(const QString &pushToken)
    {
        const QJsonObject body{{QStringLiteral("username"), QStringLiteral("alice")},
                               {QStringLiteral("password"), QString::fromLatin1(DeliveryFixture::Password)},
                               {QStringLiteral("device"), QJsonObject{{QStringLiteral("id"), QStringLiteral("iphone")},
                                                                      {QStringLiteral("platform"), QStringLiteral("ios")},
                                                                      {QStringLiteral("pushToken"), pushToken}}},
                               {QStringLiteral("apps"), QJsonArray{QStringLiteral("mail")}}};
        const auto reply = m_f->http().post(QStringLiteral("/v1/register"), body);
        if (reply.status != 200 && reply.status != 201) {
            qWarning() << "register:" << reply.status << reply.body;
            return false;
        }
        m_deviceToken = reply.json().object().value(QStringLiteral("deviceToken")).toString();
        return true;
    }
};

QTEST_GUILESS_MAIN(tst_PushFlow)
#include "tst_pushflow.moc"
