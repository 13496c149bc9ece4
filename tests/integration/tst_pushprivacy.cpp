// Every privacy level on the wire: a real herald-server pushes one mail per level to iOS and
// Android devices in English, Simplified and Traditional Chinese, through its real APNs and FCM
// providers, to the local stand-ins. Each test row takes what a stand-in received — every header
// that carries content, the whole APNs payload, the whole FCM message — compares it with exactly
// what the level allows, and scans the raw bytes for anything that must not be there: the subject
// and body above `full`, the sender above `summary`, and at `none` even the app's name.
#include "DeliveryFixture.h"
#include "ProviderStandins.h"
#include "PushLink.h"

#include <QJsonArray>

#include <algorithm>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QtTest>

using namespace herald;
using namespace herald::test;
using namespace herald::standin;

namespace {

const QString Sender = QStringLiteral("Alice Sender");
const QString Subject = QStringLiteral("Secret subject 7f3");
const QString Body = QStringLiteral("Secret body text 9c1");

struct Level
{
    QString privacy;
    QString app; // named so a leak of it is unmistakable
};
const QList<Level> Levels{{QStringLiteral("full"), QStringLiteral("fullmail")},
                          {QStringLiteral("summary"), QStringLiteral("summarymail")},
                          {QStringLiteral("generic"), QStringLiteral("genericmail")},
                          {QStringLiteral("none"), QStringLiteral("ledgerbox")}};
const QStringList Locales{QStringLiteral("en_US"), QStringLiteral("zh_CN"), QStringLiteral("zh-Hant-TW")};

QString iosToken(int i)
{
    return QString(QStringLiteral("a%1").arg(i)).repeated(32);
}

QString androidToken(int i)
{
    return QStringLiteral("fcm-token-%1").arg(i);
}

// What each level may show, in each language (written out here, not taken from the server's files).
QString visibleBody(const QString &privacy, const QString &locale)
{
    const int lang = Locales.indexOf(locale);
    if (privacy == QLatin1String("full"))
        return Subject;
    if (privacy == QLatin1String("summary"))
        return QStringList{QStringLiteral("New mail from ") + Sender, QString::fromUtf8("收到来自 %1 的新邮件").arg(Sender),
                           QString::fromUtf8("收到來自 %1 的新郵件").arg(Sender)}[lang];
    if (privacy == QLatin1String("generic"))
        return QStringList{QStringLiteral("You have a new message"), QString::fromUtf8("您有一条新信息"),
                           QString::fromUtf8("您有一則新訊息")}[lang];
    return {};
}

QString visibleTitle(const QString &privacy)
{
    return privacy == QLatin1String("full") ? Sender : QString();
}

} // namespace

class tst_PushPrivacy : public QObject
{
    Q_OBJECT

    ProviderStandins m_standins;
    std::unique_ptr<DeliveryFixture> m_f;
    QHash<QString, QString> m_ids; // app -> notification id
    QString m_deviceToken;         // of the first device, to open with

private slots:
    void initTestCase()
    {
        QVERIFY(m_standins.start());
        QByteArray ini = m_standins.configIni() + "[dispatch]\ntarget_policy = all\n\n"; // every device gets each
        for (const Level &l : Levels)
            ini += QStringLiteral("[app.%1]\nprivacy = %2\nkind = mail\n\n").arg(l.app, l.privacy).toUtf8();
        m_f = std::make_unique<DeliveryFixture>(QStringList{}, ini);
        QVERIFY(m_f->start());
        QStringList apps;
        for (const Level &l : Levels)
            apps << l.app;
        for (int i = 0; i < Locales.size(); ++i) {
            for (const bool ios : {true, false}) {
                const QJsonObject body{
                    {QStringLiteral("username"), QStringLiteral("alice")},
                    {QStringLiteral("password"), QString::fromLatin1(DeliveryFixture::Password)},
                    {QStringLiteral("device"),
                     QJsonObject{{QStringLiteral("id"), QStringLiteral("%1-%2").arg(ios ? "ios" : "android").arg(i)},
                                 {QStringLiteral("platform"), ios ? QStringLiteral("ios") : QStringLiteral("android")},
                                 {QStringLiteral("pushToken"), ios ? iosToken(i) : androidToken(i)},
                                 {QStringLiteral("locale"), Locales[i]}}},
                    {QStringLiteral("apps"), QJsonArray::fromStringList(apps)}};
                const auto reply = m_f->http().post(QStringLiteral("/v1/register"), body);
                QCOMPARE(reply.status, 201);
                if (m_deviceToken.isEmpty())
                    m_deviceToken = reply.json().object().value(QStringLiteral("deviceToken")).toString();
            }
        }
        QVERIFY(m_f->login(m_deviceToken, apps)); // the login trigger: events for these apps notify
        for (const Level &l : Levels) {
            const QJsonObject event{{QStringLiteral("account"), QStringLiteral("alice")},
                                    {QStringLiteral("app"), l.app},
                                    {QStringLiteral("eventId"), QStringLiteral("privacy-") + l.privacy},
                                    {QStringLiteral("sender"), Sender},
                                    {QStringLiteral("subject"), Subject},
                                    {QStringLiteral("body"), Body}};
            const auto reply = m_f->http().post(QStringLiteral("/v1/events"), event, m_f->sourceToken());
            QCOMPARE(reply.status, 202);
            m_ids.insert(l.app, reply.json().object().value(QStringLiteral("id")).toString());
        }
        const int expected = int(Levels.size() * Locales.size());
        const auto log = qScopeGuard([this] {
            if (QTest::currentTestFailed())
                qWarning().noquote() << m_f->server().output();
        });
        QTRY_COMPARE_WITH_TIMEOUT(int(m_standins.apns().records().size()), expected, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(int(m_standins.fcm().records().size()), expected, 30000);
    }

    void wire_data()
    {
        QTest::addColumn<QString>("privacy");
        QTest::addColumn<QString>("app");
        QTest::addColumn<int>("device");
        for (const Level &l : Levels) {
            for (int i = 0; i < Locales.size(); ++i)
                QTest::addRow("%s %s", qPrintable(l.privacy), qPrintable(Locales[i])) << l.privacy << l.app << i;
        }
    }

    void wire()
    {
        QFETCH(QString, privacy);
        QFETCH(QString, app);
        QFETCH(int, device);
        const QString locale = Locales[device];
        const QString nid = m_ids.value(app);
        QVERIFY(!nid.isEmpty());
        const bool none = privacy == QLatin1String("none");
        const QString uri = none ? QStringLiteral("herald://n/") + nid : QStringLiteral("herald://open/%1/%2").arg(app, nid);
        const QString title = visibleTitle(privacy), body = visibleBody(privacy, locale);

        // APNs: the one request for this device and notification, every field of it.
        QList<ApnsStandin::Record> apns;
        for (const ApnsStandin::Record &r : m_standins.apns().records()) {
            if (r.deviceToken == iosToken(device) && QJsonDocument::fromJson(r.payload).object().value("nid") == nid)
                apns << r;
        }
        QCOMPARE(apns.size(), 1);
        const ApnsStandin::Record &a = apns.first();
        QCOMPARE(a.status, 200);
        QCOMPARE(a.topic, QString::fromLatin1(ProviderStandins::Topic));
        QCOMPARE(a.pushType, none ? QStringLiteral("background") : QStringLiteral("alert"));
        QCOMPARE(a.priority, none ? QStringLiteral("5") : QStringLiteral("10"));
        QCOMPARE(a.collapseId, nid);
        QJsonObject aps;
        if (none) {
            aps.insert("content-available", 1);
        } else {
            QJsonObject alert{{"body", body}};
            if (!title.isEmpty())
                alert.insert("title", title);
            aps.insert("alert", alert);
            aps.insert("sound", "default");
            aps.insert("mutable-content", 1);
        }
        if (!none)
            aps.insert("thread-id", app); // threaded per app where the level may name the app
        // The account's unread count when its push went out. The mails were posted one after the
        // other, and the count is read off the event loop once the push is ready (one read per
        // account per pass), so the n-th mail's badge is at least n and at most the mails posted.
        const int position = int(std::find_if(Levels.cbegin(), Levels.cend(), [&](const Level &l) { return l.app == app; }) -
                                 Levels.cbegin()) + 1;
        const int badge = QJsonDocument::fromJson(a.payload).object().value("aps").toObject().value("badge").toInt(-1);
        QVERIFY2(badge >= position && badge <= int(Levels.size()), qPrintable(QString::number(badge)));
        aps.insert("badge", badge);
        const QJsonObject expectedApns{{"aps", aps}, {"nid", nid}, {"uri", uri}};
        QCOMPARE(QJsonDocument::fromJson(a.payload).object(), expectedApns);
        QByteArray apnsBytes = a.payload + a.collapseId.toUtf8() + a.topic.toUtf8() + a.pushType.toUtf8();

        // FCM: the whole message (the token aside), with the ttl checked for form only.
        QList<FcmStandin::Record> fcm;
        for (const FcmStandin::Record &r : m_standins.fcm().records()) {
            if (r.token == androidToken(device) &&
                r.message.value("data").toObject().value("nid").toString() == nid)
                fcm << r;
        }
        QCOMPARE(fcm.size(), 1);
        const FcmStandin::Record &f = fcm.first();
        QCOMPARE(f.status, 200);
        QJsonObject message = f.message;
        message.remove("token");
        QJsonObject android = message.value("android").toObject();
        QVERIFY(QRegularExpression(QStringLiteral("^\\d+s$")).match(android.value("ttl").toString()).hasMatch());
        android.remove("ttl");
        message.insert("android", android);
        const int fcmBadge = message.value("data").toObject().value("badge").toString().toInt();
        QVERIFY2(fcmBadge >= position && fcmBadge <= int(Levels.size()), qPrintable(QString::number(fcmBadge)));
        QJsonObject expectedAndroid{{"priority", none ? "NORMAL" : "HIGH"}, {"collapse_key", nid}};
        if (!none)
            expectedAndroid.insert("notification", QJsonObject{{"notification_count", fcmBadge}, {"tag", nid}});
        QJsonObject expectedFcm{{"data", QJsonObject{{"nid", nid}, {"uri", uri}, {"badge", QString::number(fcmBadge)}}},
                                {"android", expectedAndroid}};
        if (!none) {
            QJsonObject n{{"body", body}};
            if (!title.isEmpty())
                n.insert("title", title);
            expectedFcm.insert("notification", n);
        }
        QCOMPARE(message, expectedFcm);

        // And the raw bytes, escaped or not: nothing above the level, whatever the structure.
        for (const QByteArray &bytes : {apnsBytes, f.body}) {
            QVERIFY(!bytes.contains(Body.toUtf8()));
            if (privacy != QLatin1String("full"))
                QVERIFY(!bytes.contains(Subject.toUtf8()));
            if (privacy != QLatin1String("full") && privacy != QLatin1String("summary"))
                QVERIFY(!bytes.contains(Sender.toUtf8()));
            if (none) {
                QVERIFY2(!bytes.contains(app.toUtf8()), bytes.constData());
                QVERIFY(!bytes.contains("mail")); // not even the kind of app
                QVERIFY(!bytes.contains("\"title\""));
                QVERIFY(!bytes.contains("\"body\""));
            }
        }
    }

    void opaqueUriOpensTheNotification()
    {
        // The open flow from a push at `none`: the client finds the id in the opaque uri and learns
        // the app and its launch uri only over its authenticated channel.
        const QString nid = m_ids.value(QStringLiteral("ledgerbox"));
        const QString id = PushLink::notificationId(QStringLiteral("herald://n/") + nid);
        QCOMPARE(id, nid);
        const auto reply = m_f->http().post(QStringLiteral("/v1/notifications/%1/open").arg(id), QJsonObject(), m_deviceToken);
        QCOMPARE(reply.status, 200);
        const QJsonObject launch = reply.json().object().value("launch").toObject();
        QCOMPARE(launch.value("app").toString(), QStringLiteral("ledgerbox"));
        QCOMPARE(launch.value("uri").toString(), QStringLiteral("herald://open/ledgerbox/") + nid);
        QCOMPARE(reply.json().object().value("notification").toObject().value("sender").toString(), Sender);
    }

    void badgeIsLoweredByOpening()
    {
        // Four mails went out (above); one was opened since. The next push tells
        // every device 4 again (three unread and the new one), not 5.
        const QJsonObject event{{QStringLiteral("account"), QStringLiteral("alice")},
                                {QStringLiteral("app"), QStringLiteral("summarymail")},
                                {QStringLiteral("eventId"), QStringLiteral("after-open")},
                                {QStringLiteral("sender"), Sender}};
        const auto reply = m_f->http().post(QStringLiteral("/v1/events"), event, m_f->sourceToken());
        QCOMPARE(reply.status, 202);
        const QString nid = reply.json().object().value(QStringLiteral("id")).toString();
        auto apnsBadges = [&] {
            QList<int> badges;
            for (const ApnsStandin::Record &r : m_standins.apns().records()) {
                const QJsonObject o = QJsonDocument::fromJson(r.payload).object();
                if (o.value("nid").toString() == nid)
                    badges << o.value("aps").toObject().value("badge").toInt(-1);
            }
            return badges;
        };
        auto fcmBadges = [&] {
            QList<int> badges;
            for (const FcmStandin::Record &r : m_standins.fcm().records()) {
                if (r.message.value("data").toObject().value("nid").toString() == nid)
                    badges << r.message.value("android").toObject().value("notification").toObject()
                                  .value("notification_count").toInt(-1);
            }
            return badges;
        };
        QTRY_COMPARE_WITH_TIMEOUT(apnsBadges(), (QList<int>{4, 4, 4}), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(fcmBadges(), (QList<int>{4, 4, 4}), 30000);
    }
};

QTEST_GUILESS_MAIN(tst_PushPrivacy)
#include "tst_pushprivacy.moc"
