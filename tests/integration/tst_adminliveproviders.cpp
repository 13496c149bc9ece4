// The live feed and stats when push goes wrong, against the APNs stand-in: APNs refusing our
// credentials puts the provider in alarm (a "provider" frame, and the stats say so) until a push
// goes through again; a 410 Unregistered retires the device's token (a "token-retired" frame) and
// the failed delivery is counted.
#include "AdminFixture.h"
#include "ApnsStandin.h"
#include "LiveFeedClient.h"
#include "TestPki.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace herald::test;
using namespace herald::standin;

namespace {

const QString Token = QString(QStringLiteral("cd")).repeated(32);

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

} // namespace

class tst_AdminLiveProviders : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_keys;
    std::unique_ptr<ApnsStandin> m_apns;
    std::unique_ptr<AdminFixture> m_fx;

    QJsonObject apnsStats()
    {
        const auto stats = m_fx->http().get(QStringLiteral("/admin/v1/stats"), m_fx->helpdesk()).json().object();
        for (const QJsonValue &v : stats.value(QStringLiteral("providers")).toArray())
            if (v.toObject().value(QStringLiteral("name")).toString() == QLatin1String("apns"))
                return v.toObject();
        return {};
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
        m_fx = std::make_unique<AdminFixture>(QStringList{}, ini);
        QVERIFY(m_fx->start());
        const QJsonObject body{{QStringLiteral("username"), QStringLiteral("alice")},
                               {QStringLiteral("password"), QString::fromLatin1(DeliveryFixture::Password)},
                               {QStringLiteral("device"), QJsonObject{{QStringLiteral("id"), QStringLiteral("iphone")},
                                                                      {QStringLiteral("platform"), QStringLiteral("ios")},
                                                                      {QStringLiteral("pushToken"), Token}}},
                               {QStringLiteral("apps"), QJsonArray{QStringLiteral("mail")}}};
        const auto reply = m_fx->http().post(QStringLiteral("/v1/register"), body);
        QCOMPARE(reply.status, 201);
        QVERIFY(m_fx->delivery().login(reply.json().object().value(QStringLiteral("deviceToken")).toString()));
        QCOMPARE(apnsStats().value(QStringLiteral("state")).toString(), QStringLiteral("ok"));
        QCOMPARE(apnsStats().value(QStringLiteral("platforms")).toArray(), QJsonArray{QStringLiteral("ios")});
    }

    void refusedCredentialsRaiseAnAlarmUntilAPushGoesThrough()
    {
        LiveFeedClient desk;
        QVERIFY(desk.open(m_fx->server(), m_fx->helpdesk(), false));
        // Refused twice: the provider's own retry with a fresh token is refused too.
        m_apns->failNext(2, 403, QStringLiteral("InvalidProviderToken"));
        QString id;
        QCOMPARE(m_fx->delivery().postEvent(QStringLiteral("alarm-1"), &id), 202);
        const QJsonObject alarm = desk.waitFor([](const QJsonObject &o) {
            return o.value(QStringLiteral("type")).toString() == QLatin1String("provider") &&
                   o.value(QStringLiteral("state")).toString() == QLatin1String("alarm");
        }, 0, 20000);
        QVERIFY2(!alarm.isEmpty(), "no provider alarm frame");
        QCOMPARE(alarm.value(QStringLiteral("name")).toString(), QStringLiteral("apns"));
        QVERIFY(alarm.value(QStringLiteral("reason")).toString().contains(QStringLiteral("InvalidProviderToken")));
        QCOMPARE(apnsStats().value(QStringLiteral("state")).toString(), QStringLiteral("alarm"));
        QVERIFY(apnsStats().value(QStringLiteral("reason")).toString().contains(QStringLiteral("InvalidProviderToken")));

        // The delivery waits and is retried (after about 5 s); once APNs takes it, the alarm is over.
        const QJsonObject ok = desk.waitFor([](const QJsonObject &o) {
            return o.value(QStringLiteral("type")).toString() == QLatin1String("provider") &&
                   o.value(QStringLiteral("state")).toString() == QLatin1String("ok");
        }, 0, 60000);
        QVERIFY2(!ok.isEmpty(), "no frame saying the provider works again");
        QVERIFY(ok.value(QStringLiteral("reason")).isNull());
        QCOMPARE(apnsStats().value(QStringLiteral("state")).toString(), QStringLiteral("ok"));
        QVERIFY(!desk.waitFor([&id](const QJsonObject &o) {
            return o.value(QStringLiteral("type")).toString() == QLatin1String("delivery") &&
                   o.value(QStringLiteral("notificationId")).toString() == id &&
                   o.value(QStringLiteral("state")).toString() == QLatin1String("delivered");
        }).isEmpty());
    }

    void deadTokenIsRetiredOnTheFeed()
    {
        LiveFeedClient desk;
        QVERIFY(desk.open(m_fx->server(), m_fx->admin(), true));
        ApnsStandin::Behaviour dead;
        dead.status = 410;
        dead.reason = QStringLiteral("Unregistered");
        m_apns->setBehaviour(Token, dead);
        QString id;
        QCOMPARE(m_fx->delivery().postEvent(QStringLiteral("dead-1"), &id), 202);
        const QJsonObject retired = desk.waitFor(LiveFeedClient::ofType(QStringLiteral("token-retired")), 0, 20000);
        QVERIFY2(!retired.isEmpty(), "no token-retired frame");
        QCOMPARE(retired.value(QStringLiteral("account")).toString(), QStringLiteral("alice"));
        QCOMPARE(retired.value(QStringLiteral("deviceId")).toString(), QStringLiteral("iphone"));
        QCOMPARE(retired.value(QStringLiteral("reason")).toString(), QStringLiteral("Unregistered"));
        const QJsonObject failed = desk.waitFor([&id](const QJsonObject &o) {
            return o.value(QStringLiteral("type")).toString() == QLatin1String("delivery") &&
                   o.value(QStringLiteral("notificationId")).toString() == id &&
                   o.value(QStringLiteral("state")).toString() == QLatin1String("failed");
        });
        QVERIFY2(!failed.isEmpty(), "no delivery frame for the failure");
        QCOMPARE(failed.value(QStringLiteral("channel")).toString(), QStringLiteral("push"));
        QVERIFY(failed.value(QStringLiteral("detail")).toString().contains(QStringLiteral("Unregistered")));
        // One device refusing is no provider alarm; the failure is counted.
        QCOMPARE(apnsStats().value(QStringLiteral("state")).toString(), QStringLiteral("ok"));
        const auto stats = m_fx->http().get(QStringLiteral("/admin/v1/stats"), m_fx->helpdesk()).json().object();
        QCOMPARE(stats.value(QStringLiteral("deliveries")).toObject().value(QStringLiteral("lastMinute")).toObject()
                     .value(QStringLiteral("failed")).toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_AdminLiveProviders)
#include "tst_adminliveproviders.moc"
