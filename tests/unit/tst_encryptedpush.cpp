// Privacy level `encrypted` (server/dispatch/EncryptedPush, server/push/SealedContent) and the
// client that opens it (client/SealedPush): what APNs and FCM payloads carry outside the blob,
// the budgets met by cutting content before sealing, and the fallback for devices without a key.
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "PushKeyPair.h"
#include "SealedPush.h"
#include "crypto/WebPushCrypto.h"
#include "dispatch/AppSettings.h"
#include "dispatch/EncryptedPush.h"
#include "dispatch/PushTranslator.h"
#include "push/ApnsPayload.h"
#include "push/FcmPayload.h"
#include "push/Provider.h"
#include "push/SealedContent.h"
#include "storage/Records.h"

using namespace herald;
using herald::client::PushKeyPair;
using herald::client::SealedPush;

namespace {

const QString Sender = QStringLiteral("Alice Confidential");
const QString Subject = QStringLiteral("Merger with Initech closes Friday");
const QString Body = QStringLiteral("Do not forward: the board approved the offer.");

NotificationRecord notification(const QString &subject = Subject)
{
    NotificationRecord n;
    n.id = QStringLiteral("4b1c9a52-3f0e-4d7e-9a51-6c2d8e0f1a23");
    n.app = QStringLiteral("mail");
    n.sender = Sender;
    n.subject = subject;
    n.body = Body;
    n.createdAt = QDateTime(QDate(2026, 12, 5), QTime(8, 0), Qt::UTC);
    return n;
}

AppSettings mailApp()
{
    AppSettings app;
    app.name = QStringLiteral("mail");
    app.kind = QStringLiteral("mail");
    app.privacy = QStringLiteral("encrypted");
    return app;
}

DeviceRecord device(const QString &platform, const PushKeyPair &key)
{
    DeviceRecord d;
    d.deviceId = QStringLiteral("phone-1");
    d.platform = platform;
    d.pushToken = QStringLiteral("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    d.locale = QStringLiteral("en");
    if (!key.isNull()) {
        d.pushKeyP256dh = key.p256dh();
        d.pushKeyAuth = key.auth();
    }
    return d;
}

PushMessage messageFor(const NotificationRecord &n, const DeviceRecord &d)
{
    static const PushTranslator translator;
    PushMessage m;
    m.deliveryId = QStringLiteral("7d3c1f6e-1111-4222-8333-944455556666");
    m.notificationId = n.id;
    m.platform = d.platform;
    m.pushToken = d.pushToken;
    m.title = n.sender; // what a lower level would have shown: apply() must replace it
    m.body = n.subject;
    m.uri = mailApp().uriFor(n.id);
    m.collapseId = n.id;
    EncryptedPush::apply(m, n, mailApp(), d, PushLanguages::forLocale(d.locale), translator);
    return m;
}

void verifyNoPlaintext(const QByteArray &wire)
{
    for (const QString &secret : {Sender, Subject, Body, QStringLiteral("Alice"), QStringLiteral("Merger"),
                                  QStringLiteral("herald://open/mail")})
        QVERIFY2(!wire.contains(secret.toUtf8()), qPrintable(QStringLiteral("%1 leaked").arg(secret)));
}

} // namespace

class tst_EncryptedPush : public QObject
{
    Q_OBJECT
private slots:
    void apnsCarriesOnlyTheBlobAndAGenericAlert()
    {
        const PushKeyPair key = PushKeyPair::generate();
        const NotificationRecord n = notification();
        const PushMessage m = messageFor(n, device(QStringLiteral("ios"), key));
        const QByteArray wire = ApnsPayload::build(m);
        QVERIFY(!wire.isEmpty());
        verifyNoPlaintext(wire);
        const QJsonObject o = QJsonDocument::fromJson(wire).object();
        const QJsonObject aps = o.value("aps").toObject();
        QCOMPARE(aps.value("mutable-content").toInt(), 1);
        QCOMPARE(aps.value("alert").toObject().value("body").toString(), QStringLiteral("You have a new message"));
        QVERIFY(!aps.contains("content-available"));
        QCOMPARE(o.value("nid").toString(), n.id);
        QCOMPARE(o.value("uri").toString(), AppSettings::opaqueUri(n.id));

        QString error;
        const auto opened = SealedPush::open(wire, key, &error);
        QVERIFY2(opened, qPrintable(error));
        QCOMPARE(opened->notificationId, n.id);
        QCOMPARE(opened->app, QStringLiteral("mail"));
        QCOMPARE(opened->sender, Sender);
        QCOMPARE(opened->subject, Subject);
        QCOMPARE(opened->excerpt, Body);
        QCOMPARE(opened->uri, mailApp().uriFor(n.id));
        QCOMPARE(opened->createdAt, n.createdAt);
    }

    void fcmIsDataOnly()
    {
        const PushKeyPair key = PushKeyPair::generate();
        const NotificationRecord n = notification();
        const QByteArray wire = FcmPayload::build(messageFor(n, device(QStringLiteral("android"), key)),
                                                  QDateTime::currentDateTimeUtc());
        verifyNoPlaintext(wire);
        const QJsonObject msg = QJsonDocument::fromJson(wire).object().value("message").toObject();
        QVERIFY(!msg.contains("notification"));
        QVERIFY(!msg.value("android").toObject().contains("notification"));
        const QJsonObject data = msg.value("data").toObject();
        QCOMPARE(data.keys(), (QStringList{"enc", "nid", "uri"}));
        QCOMPARE(msg.value("android").toObject().value("priority").toString(), QStringLiteral("HIGH"));
        QString error;
        const auto opened = SealedPush::open(wire, key, &error);
        QVERIFY2(opened, qPrintable(error));
        QCOMPARE(opened->subject, Subject);
        // The data object alone, as an Android app's onMessageReceived sees it, opens too.
        const auto fromData = SealedPush::open(QJsonDocument(data).toJson(), key, &error);
        QVERIFY2(fromData, qPrintable(error));
        QCOMPARE(fromData->sender, Sender);
    }

    void hugeSubjectIsCutBeforeSealing_data()
    {
        QTest::addColumn<QString>("platform");
        QTest::addColumn<QString>("unit");
        QTest::newRow("apns ascii") << "ios" << "x";
        QTest::newRow("apns cjk") << "ios" << QStringLiteral("邮");
        QTest::newRow("apns emoji") << "ios" << QStringLiteral("\U0001F600");
        QTest::newRow("apns quotes") << "ios" << "\"";
        QTest::newRow("fcm ascii") << "android" << "x";
        QTest::newRow("fcm cjk") << "android" << QStringLiteral("邮");
    }

    void hugeSubjectIsCutBeforeSealing()
    {
        QFETCH(QString, platform);
        QFETCH(QString, unit);
        const PushKeyPair key = PushKeyPair::generate();
        const QString huge = QStringLiteral("Re: ") + unit.repeated(20000);
        const NotificationRecord n = notification(huge);
        const PushMessage m = messageFor(n, device(platform, key));
        QVERIFY(!m.sealed.isEmpty());
        QVERIFY(m.sealed.size() <= SealedContent::kMobileMaxBlobBytes);
        QByteArray wire;
        if (platform == QLatin1String("ios")) {
            wire = ApnsPayload::build(m);
            QVERIFY(wire.size() <= ApnsPayload::kMaxBytes);
        } else {
            wire = FcmPayload::build(m, QDateTime::currentDateTimeUtc());
            // FCM's limit is on the message without the token.
            QJsonObject msg = QJsonDocument::fromJson(wire).object().value("message").toObject();
            msg.remove("token");
            QVERIFY(QJsonDocument(msg).toJson(QJsonDocument::Compact).size() <= FcmPayload::kMaxBytes);
        }
        QVERIFY(!wire.isEmpty());
        QString error;
        const auto opened = SealedPush::open(wire, key, &error);
        QVERIFY2(opened, qPrintable(error));
        QCOMPARE(opened->sender, Sender);                        // kept whole
        QVERIFY(opened->subject.startsWith(QStringLiteral("Re: ") + unit)); // cut, on whole characters
        QVERIFY(opened->subject.endsWith(QChar(0x2026)));
        QVERIFY(opened->subject.size() < huge.size());
        QVERIFY(!opened->subject.contains(QChar::ReplacementCharacter));
        QCOMPARE(opened->excerpt, QString()); // the excerpt yields first
        // Used nearly all of the budget, not a token amount of it.
        QVERIFY(m.sealed.size() > SealedContent::kMobileMaxBlobBytes - 16);
    }

    void webBudgetIsTheWholeBody()
    {
        const PushKeyPair key = PushKeyPair::generate();
        const PushMessage m = messageFor(notification(QString(10000, QLatin1Char('y'))), device(QStringLiteral("web"), key));
        QVERIFY(m.sealed.size() <= SealedContent::kWebMaxBlobBytes);
        QVERIFY(m.sealed.size() > SealedContent::kMobileMaxBlobBytes);
        QVERIFY(SealedPush::open(m.sealed, key));
    }

    void deviceWithoutKeyGetsTheContentFreePush()
    {
        const NotificationRecord n = notification();
        const PushMessage m = messageFor(n, device(QStringLiteral("ios"), PushKeyPair()));
        QVERIFY(m.sealed.isEmpty());
        QVERIFY(m.contentAvailable);
        QVERIFY(m.title.isEmpty() && m.body.isEmpty());
        QCOMPARE(m.uri, AppSettings::opaqueUri(n.id));
        const QByteArray wire = ApnsPayload::build(m);
        verifyNoPlaintext(wire);
        QVERIFY(!wire.contains("\"enc\""));
        QVERIFY(!wire.contains("\"alert\""));
        QString error;
        QVERIFY(!SealedPush::open(wire, PushKeyPair::generate(), &error));
        QVERIFY2(error.contains(QLatin1String("no sealed content")), qPrintable(error));
    }

    void anotherDevicesKeyCannotOpenIt()
    {
        const PushMessage m = messageFor(notification(), device(QStringLiteral("ios"), PushKeyPair::generate()));
        QString error;
        QVERIFY(!SealedPush::open(ApnsPayload::build(m), PushKeyPair::generate(), &error));
        QVERIFY2(error.contains(QLatin1String("authentication failed")), qPrintable(error));
    }

    void aWebPushBodyThatLooksLikeJsonStillOpens()
    {
        // The aes128gcm body starts with its random salt: once in about 256 pushes with '{'.
        const PushKeyPair key = PushKeyPair::generate();
        const QByteArray plain = R"({"v":1,"nid":"n-brace"})";
        std::optional<QByteArray> blob;
        for (int i = 0; i < 20000 && !(blob && blob->startsWith('{')); ++i)
            blob = WebPushCrypto::encrypt(plain, key.p256dh(), key.auth());
        QVERIFY(blob && blob->startsWith('{'));
        QString error;
        const auto opened = SealedPush::open(*blob, key, &error);
        QVERIFY2(opened, qPrintable(error));
        QCOMPARE(opened->notificationId, QStringLiteral("n-brace"));
    }

    void clientRefusesWhatIsNotHeralds()
    {
        const PushKeyPair key = PushKeyPair::generate();
        QString error;
        QVERIFY(!SealedPush::open("{\"enc\":\"***\"}", key, &error));
        QVERIFY2(error.contains(QLatin1String("not base64url")), qPrintable(error));
        QVERIFY(!SealedPush::open("{\"enc\":", key, &error));
        QVERIFY2(error.contains(QLatin1String("not a JSON object")), qPrintable(error));
        // Sealed properly for this key, but not Herald's content.
        const auto blob = WebPushCrypto::encrypt("[1,2,3]", key.p256dh(), key.auth());
        QVERIFY(!SealedPush::open(*blob, key, &error));
        QVERIFY2(error.contains(QLatin1String("not Herald's")), qPrintable(error));
        QVERIFY(!SealedPush::open(*blob, PushKeyPair(), &error));
        QVERIFY2(error.contains(QLatin1String("no push key")), qPrintable(error));
    }

    void keyPairSurvivesItsStateFile()
    {
        const PushKeyPair key = PushKeyPair::generate();
        QString error;
        const PushKeyPair again = PushKeyPair::fromJson(key.toJson(), &error);
        QVERIFY2(!again.isNull(), qPrintable(error));
        QCOMPARE(again.p256dh(), key.p256dh());
        QCOMPARE(again.auth(), key.auth());
        QJsonObject broken = key.toJson();
        broken.insert("auth", "AAAA");
        QVERIFY(PushKeyPair::fromJson(broken, &error).isNull());
        QVERIFY2(error.contains(QLatin1String("not 16 bytes")), qPrintable(error));
    }

    void plaintextCutsExcerptThenSubjectThenSender()
    {
        PushContent c;
        c.notificationId = QStringLiteral("n");
        c.app = QStringLiteral("mail");
        c.sender = QString(50, QLatin1Char('s'));
        c.subject = QString(50, QLatin1Char('t'));
        c.excerpt = QString(50, QLatin1Char('e'));
        const int full = SealedContent::plaintext(c, 100000).size();
        auto at = [&](int max) {
            return QJsonDocument::fromJson(SealedContent::plaintext(c, max)).object();
        };
        QCOMPARE(at(full).value("excerpt").toString(), c.excerpt);
        QVERIFY(at(full - 10).value("excerpt").toString().size() < 50);
        QCOMPARE(at(full - 10).value("subject").toString(), c.subject);
        QCOMPARE(at(full - 60).value("excerpt").toString(), QString());
        QVERIFY(at(full - 60).value("subject").toString().size() < 50);
        QCOMPARE(at(full - 60).value("sender").toString(), c.sender);
        QVERIFY(at(full - 140).value("sender").toString().size() < 50);
        for (int max = full; max > full - 200; --max)
            QVERIFY(SealedContent::plaintext(c, max).size() <= max);
        QVERIFY(SealedContent::plaintext(c, 20).isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_EncryptedPush)
#include "tst_encryptedpush.moc"
