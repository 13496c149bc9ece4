// GET /admin/v1/devices without a user filter (issue 13) against a real herald-server: every
// device with its account, live presence per app (a real session channel) and push token state;
// paging, each filter, and bad input on every parameter.
#include "AdminTokens.h"
#include "DeliveryFixture.h"
#include "SessionChannel.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

using namespace herald;
using namespace herald::test;
using protocol::UiState;

namespace {

QJsonObject deviceIn(const QJsonArray &devices, const QString &deviceId)
{
    for (const QJsonValue &v : devices) {
        if (v.toObject().value(QStringLiteral("deviceId")).toString() == deviceId)
            return v.toObject();
    }
    return {};
}

QStringList idsOf(const QJsonObject &page)
{
    QStringList ids;
    for (const QJsonValue &v : page.value(QStringLiteral("devices")).toArray())
        ids << v.toObject().value(QStringLiteral("deviceId")).toString();
    return ids;
}

} // namespace

class tst_AdminDevices : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DeliveryFixture> m_f;
    AdminTokens m_tokens;
    QString m_phoneToken;

    QJsonObject list(const QString &query, const QString &token = {})
    {
        const auto reply = m_f->http().get(QStringLiteral("/admin/v1/devices") + query,
                                           token.isEmpty() ? m_tokens.admin : token);
        if (reply.status != 200)
            qWarning() << query << reply.status << reply.body;
        return reply.status == 200 ? reply.json().object() : QJsonObject();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_f = std::make_unique<DeliveryFixture>();
        QVERIFY(m_f->start());
        m_tokens = AdminTokens::login(m_f->server(), m_f->http());
        QVERIFY(!m_tokens.admin.isEmpty());
        QVERIFY(!m_tokens.helpdesk.isEmpty());
        m_phoneToken = m_f->registerDevice(QStringLiteral("alice-phone"), {QStringLiteral("mail"), QStringLiteral("im")});
        QVERIFY(!m_f->registerDevice(QStringLiteral("alice-tablet")).isEmpty());
        // A second account with an iPhone, registered through the public API like any terminal.
        QCOMPARE(m_f->http()
                     .post(QStringLiteral("/admin/v1/users"),
                           {{QStringLiteral("username"), QStringLiteral("Bob")},
                            {QStringLiteral("password"), QStringLiteral("bob-password")}},
                           m_tokens.admin)
                     .status,
                 201);
        const QJsonObject bob{{QStringLiteral("username"), QStringLiteral("Bob")},
                              {QStringLiteral("password"), QStringLiteral("bob-password")},
                              {QStringLiteral("device"),
                               QJsonObject{{QStringLiteral("id"), QStringLiteral("bob-iphone")},
                                           {QStringLiteral("platform"), QStringLiteral("ios")},
                                           {QStringLiteral("pushToken"), QString(64, QLatin1Char('a'))},
                                           {QStringLiteral("name"), QStringLiteral("Bob's iPhone")}}},
                              {QStringLiteral("apps"), QJsonArray{QStringLiteral("mail")}}};
        QCOMPARE(m_f->http().post(QStringLiteral("/v1/register"), bob).status, 201);
    }

    void everyDeviceWithoutAUser()
    {
        const QJsonObject page = list(QString());
        QCOMPARE(page.value(QStringLiteral("total")).toInt(), 3);
        QCOMPARE(page.value(QStringLiteral("offset")).toInt(), 0);
        QCOMPARE(page.value(QStringLiteral("limit")).toInt(), 100);
        QVERIFY(!page.contains(QStringLiteral("user")));
        const QJsonArray devices = page.value(QStringLiteral("devices")).toArray();
        QCOMPARE(devices.size(), 3);
        const QJsonObject bob = deviceIn(devices, QStringLiteral("bob-iphone"));
        QCOMPARE(bob.value(QStringLiteral("account")).toString(), QStringLiteral("Bob"));
        QCOMPARE(bob.value(QStringLiteral("platform")).toString(), QStringLiteral("ios"));
        QCOMPARE(bob.value(QStringLiteral("online")).toBool(true), false);
        QVERIFY(bob.value(QStringLiteral("node")).isNull());
        QCOMPARE(bob.value(QStringLiteral("presence")).toObject(),
                 (QJsonObject{{QStringLiteral("mail"), QStringLiteral("offline")}}));
        QCOMPARE(bob.value(QStringLiteral("pushToken")).toObject(),
                 (QJsonObject{{QStringLiteral("state"), QStringLiteral("active")},
                              {QStringLiteral("reason"), QJsonValue()},
                              {QStringLiteral("at"), QJsonValue()}}));
        QCOMPARE(bob.value(QStringLiteral("pushTokenState")).toString(), QStringLiteral("active"));
        QVERIFY(!bob.contains(QStringLiteral("pushToken")) || bob.value(QStringLiteral("pushToken")).isObject());
        QVERIFY(!QJsonDocument(page).toJson().contains(QString(64, QLatin1Char('a')).toUtf8())); // never the token
        const QJsonObject phone = deviceIn(devices, QStringLiteral("alice-phone"));
        QCOMPARE(phone.value(QStringLiteral("account")).toString(), QStringLiteral("alice"));
        QCOMPARE(phone.value(QStringLiteral("apps")).toArray(), (QJsonArray{QStringLiteral("im"), QStringLiteral("mail")}));
        // Helpdesk reads the same list.
        QCOMPARE(list(QString(), m_tokens.helpdesk).value(QStringLiteral("total")).toInt(), 3);
        // With a user, the answer still names it.
        const QJsonObject alice = list(QStringLiteral("?user=alice"));
        QCOMPARE(alice.value(QStringLiteral("user")).toString(), QStringLiteral("alice"));
        QCOMPARE(alice.value(QStringLiteral("total")).toInt(), 2);
    }

    void livePresencePerApp()
    {
        const QDateTime beforeSession = QDateTime::currentDateTimeUtc();
        auto session = m_f->openSession(m_phoneToken);
        QVERIFY(session);
        // The session makes the device "seen": written in the background, shown in the list.
        auto lastSeen = [this] {
            return QDateTime::fromString(deviceIn(list(QString()).value(QStringLiteral("devices")).toArray(),
                                                  QStringLiteral("alice-phone"))
                                             .value(QStringLiteral("lastSeen"))
                                             .toString(),
                                         Qt::ISODateWithMs);
        };
        QTRY_VERIFY(lastSeen().isValid() && lastSeen() >= beforeSession);
        QTRY_COMPARE(idsOf(list(QStringLiteral("?presence=online"))), QStringList{QStringLiteral("alice-phone")});
        QVERIFY(session->setState(QStringLiteral("mail"), UiState::Foreground));
        QVERIFY(session->setState(QStringLiteral("im"), UiState::Background));
        QTRY_COMPARE(idsOf(list(QStringLiteral("?presence=foreground"))), QStringList{QStringLiteral("alice-phone")});
        const QJsonObject phone = deviceIn(list(QString()).value(QStringLiteral("devices")).toArray(),
                                           QStringLiteral("alice-phone"));
        QCOMPARE(phone.value(QStringLiteral("online")).toBool(), true);
        QVERIFY(!phone.value(QStringLiteral("node")).toString().isEmpty()); // the node holding the session: this one
        QCOMPARE(phone.value(QStringLiteral("presence")).toObject(),
                 (QJsonObject{{QStringLiteral("mail"), QStringLiteral("foreground")},
                              {QStringLiteral("im"), QStringLiteral("background")}}));
        QCOMPARE(idsOf(list(QStringLiteral("?presence=background"))), QStringList{QStringLiteral("alice-phone")});
        QCOMPARE(idsOf(list(QStringLiteral("?presence=closed"))), QStringList());
        const QJsonObject offline = list(QStringLiteral("?presence=offline"));
        QCOMPARE(offline.value(QStringLiteral("total")).toInt(), 2);
        QVERIFY(!idsOf(offline).contains(QStringLiteral("alice-phone")));
        // Paged after the in-memory filter too.
        const QJsonObject second = list(QStringLiteral("?presence=offline&offset=1&limit=1"));
        QCOMPARE(second.value(QStringLiteral("total")).toInt(), 2);
        QCOMPARE(idsOf(second).size(), 1);
        QVERIFY(idsOf(second) != idsOf(list(QStringLiteral("?presence=offline&limit=1"))));
        session->close();
        QTRY_COMPARE(list(QStringLiteral("?presence=online")).value(QStringLiteral("total")).toInt(), 0);
        QCOMPARE(deviceIn(list(QString()).value(QStringLiteral("devices")).toArray(), QStringLiteral("alice-phone"))
                     .value(QStringLiteral("presence"))
                     .toObject(),
                 (QJsonObject{{QStringLiteral("mail"), QStringLiteral("offline")},
                              {QStringLiteral("im"), QStringLiteral("offline")}}));
    }

    void paging()
    {
        const QStringList all = idsOf(list(QString()));
        QCOMPARE(all.size(), 3);
        QStringList walked;
        for (int offset = 0; offset < 3; ++offset) {
            const QJsonObject page = list(QStringLiteral("?limit=1&offset=%1").arg(offset));
            QCOMPARE(page.value(QStringLiteral("total")).toInt(), 3);
            QCOMPARE(page.value(QStringLiteral("limit")).toInt(), 1);
            QCOMPARE(page.value(QStringLiteral("offset")).toInt(), offset);
            walked << idsOf(page);
        }
        QCOMPARE(walked, all);
        const QJsonObject past = list(QStringLiteral("?offset=50"));
        QCOMPARE(past.value(QStringLiteral("total")).toInt(), 3);
        QVERIFY(past.value(QStringLiteral("devices")).toArray().isEmpty());
        QCOMPARE(idsOf(list(QStringLiteral("?limit=500"))), all);
    }

    void filters_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QStringList>("ids");
        const QString phone = QStringLiteral("alice-phone"), tablet = QStringLiteral("alice-tablet"),
                      bob = QStringLiteral("bob-iphone");
        QTest::newRow("q account, any case") << QStringLiteral("?q=BOB") << QStringList{bob};
        QTest::newRow("q device id") << QStringLiteral("?q=tablet") << QStringList{tablet};
        QTest::newRow("q device name") << QStringLiteral("?q=s%20iphone") << QStringList{bob};
        QTest::newRow("q nothing") << QStringLiteral("?q=zzz") << QStringList{};
        QTest::newRow("q percent is literal") << QStringLiteral("?q=%25") << QStringList{};
        QTest::newRow("platform ios") << QStringLiteral("?platform=ios") << QStringList{bob};
        QTest::newRow("platform android") << QStringLiteral("?platform=android") << QStringList{phone, tablet};
        QTest::newRow("platform web") << QStringLiteral("?platform=web") << QStringList{};
        QTest::newRow("token active") << QStringLiteral("?token=active") << QStringList{phone, tablet, bob};
        QTest::newRow("token retired") << QStringLiteral("?token=retired") << QStringList{};
        QTest::newRow("user and q") << QStringLiteral("?user=alice&q=phone") << QStringList{phone};
        QTest::newRow("all together") << QStringLiteral("?q=alice&platform=android&token=active&presence=offline")
                                      << QStringList{phone, tablet};
    }
    void filters()
    {
        QFETCH(QString, query);
        QFETCH(QStringList, ids);
        const QJsonObject page = list(query);
        QStringList got = idsOf(page);
        got.sort();
        ids.sort();
        QCOMPARE(got, ids);
        QCOMPARE(page.value(QStringLiteral("total")).toInt(), ids.size());
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("limit 0") << QStringLiteral("?limit=0") << 400 << QStringLiteral("invalid_value");
        QTest::newRow("limit 501") << QStringLiteral("?limit=501") << 400 << QStringLiteral("invalid_value");
        QTest::newRow("limit word") << QStringLiteral("?limit=ten") << 400 << QStringLiteral("invalid_value");
        QTest::newRow("limit plus") << QStringLiteral("?limit=%2B5") << 400 << QStringLiteral("invalid_value");
        QTest::newRow("limit empty") << QStringLiteral("?limit=") << 400 << QStringLiteral("invalid_value");
        QTest::newRow("limit huge") << QStringLiteral("?limit=99999999999999999999") << 400 << QStringLiteral("invalid_value");
        QTest::newRow("offset negative") << QStringLiteral("?offset=-1") << 400 << QStringLiteral("invalid_value");
        QTest::newRow("offset fraction") << QStringLiteral("?offset=1.5") << 400 << QStringLiteral("invalid_value");
        QTest::newRow("offset twice") << QStringLiteral("?offset=1&offset=2") << 400 << QStringLiteral("invalid_value");
        QTest::newRow("unknown filter") << QStringLiteral("?color=red") << 400 << QStringLiteral("invalid_value");
        QTest::newRow("platform unknown") << QStringLiteral("?platform=windows") << 400 << QStringLiteral("invalid_value");
        QTest::newRow("platform case") << QStringLiteral("?platform=IOS") << 400 << QStringLiteral("invalid_value");
        QTest::newRow("presence unknown") << QStringLiteral("?presence=asleep") << 400 << QStringLiteral("invalid_value");
        QTest::newRow("token unknown") << QStringLiteral("?token=dead") << 400 << QStringLiteral("invalid_value");
        QTest::newRow("q too long") << QStringLiteral("?q=") + QString(129, QLatin1Char('x')) << 400
                                    << QStringLiteral("invalid_value");
        QTest::newRow("user invalid") << QStringLiteral("?user=%3Cscript%3E") << 400 << QStringLiteral("invalid_value");
        QTest::newRow("user empty") << QStringLiteral("?user=") << 400 << QStringLiteral("invalid_value");
        QTest::newRow("user unknown") << QStringLiteral("?user=nobody") << 404 << QStringLiteral("not_found");
    }
    void badInput()
    {
        QFETCH(QString, query);
        QFETCH(int, status);
        QFETCH(QString, code);
        const auto reply = m_f->http().get(QStringLiteral("/admin/v1/devices") + query, m_tokens.helpdesk);
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), code);
        QVERIFY(!reply.json().object().value(QStringLiteral("message")).toString().isEmpty());
    }

    void needsAnOperator()
    {
        QCOMPARE(m_f->http().get(QStringLiteral("/admin/v1/devices")).status, 401);
        QCOMPARE(m_f->http().get(QStringLiteral("/admin/v1/devices"), QStringLiteral("not-a-token")).status, 401);
        // A terminal's device token is no operator token.
        QCOMPARE(m_f->http().get(QStringLiteral("/admin/v1/devices"), m_phoneToken).status, 401);
    }
};

QTEST_MAIN(tst_AdminDevices)
#include "tst_admindevices.moc"
