// APNs and FCM payload building: nid/uri, privacy "none", and cutting text to fit the size limit.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "push/ApnsPayload.h"
#include "push/FcmPayload.h"
#include "push/PushText.h"

using namespace herald;

namespace {
PushMessage message(const QString &title, const QString &body)
{
    PushMessage m;
    m.deliveryId = QStringLiteral("d1");
    m.notificationId = QStringLiteral("n-123");
    m.pushToken = QStringLiteral("abc");
    m.title = title;
    m.body = body;
    m.uri = QStringLiteral("herald://open/n-123");
    return m;
}
} // namespace

class tst_PushPayload : public QObject
{
    Q_OBJECT
private slots:
    void apnsCarriesNidAndUri()
    {
        const QJsonObject o = QJsonDocument::fromJson(ApnsPayload::build(message("Alice", "Hi"))).object();
        QCOMPARE(o.value("nid").toString(), QStringLiteral("n-123"));
        QCOMPARE(o.value("uri").toString(), QStringLiteral("herald://open/n-123"));
        const QJsonObject alert = o.value("aps").toObject().value("alert").toObject();
        QCOMPARE(alert.value("title").toString(), QStringLiteral("Alice"));
        QCOMPARE(alert.value("body").toString(), QStringLiteral("Hi"));
    }

    void apnsContentFreePush()
    {
        PushMessage m = message(QString(), QString());
        m.contentAvailable = true;
        const QJsonObject o = QJsonDocument::fromJson(ApnsPayload::build(m)).object();
        QCOMPARE(o.value("aps").toObject().value("content-available").toInt(), 1);
        QVERIFY(!o.value("aps").toObject().contains("alert"));
        QCOMPARE(o.value("nid").toString(), QStringLiteral("n-123"));
    }

    void apnsCutsAtCharacterBoundary_data()
    {
        QTest::addColumn<QString>("body");
        QTest::newRow("ascii") << QString(6000, QLatin1Char('a'));
        QTest::newRow("cjk 3-byte") << QString(3000, QChar(0x4E2D));
        QTest::newRow("emoji surrogates") << QString::fromUtf8("\xF0\x9F\x98\x80").repeated(2000);
        QTest::newRow("escapes") << QString(5000, QLatin1Char('"'));
        QTest::newRow("control chars") << QString(5000, QChar(0x01));
    }
    void apnsCutsAtCharacterBoundary()
    {
        QFETCH(QString, body);
        const QByteArray payload = ApnsPayload::build(message("Subject", body));
        QVERIFY(!payload.isEmpty());
        QVERIFY(payload.size() <= 4096);
        QVERIFY(payload.size() > 3900); // it uses the room it has
        QJsonParseError pe{};
        const QJsonObject o = QJsonDocument::fromJson(payload, &pe).object();
        QCOMPARE(pe.error, QJsonParseError::NoError);
        const QString cut = o.value("aps").toObject().value("alert").toObject().value("body").toString();
        QVERIFY(cut.endsWith(QChar(0x2026)));
        const QString kept = cut.chopped(1);
        QVERIFY(body.startsWith(kept));
        QVERIFY(!kept.isEmpty() && !kept.back().isHighSurrogate());
        QCOMPARE(QString::fromUtf8(kept.toUtf8()), kept); // valid UTF-8 round trip
        QCOMPARE(o.value("nid").toString(), QStringLiteral("n-123"));
    }

    void jsonStringsRoundTrip_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("plain") << QStringLiteral("Quarterly report");
        QTest::newRow("escape first and last") << QStringLiteral("\"quoted\"");
        QTest::newRow("every escape between runs")
            << QStringLiteral("a\"b\\c\nd\re\tf\bg\fh") + QChar(0x01) + QStringLiteral("i") + QChar(0x1f) + QChar(0x7f);
        QTest::newRow("only escapes") << QStringLiteral("\n\n\\\"");
        QTest::newRow("non-ascii") << QString::fromUtf8("Gr\xC3\xBC\xC3\x9F \xE4\xB8\xAD \xF0\x9F\x98\x80 \"x\"");
    }
    void jsonStringsRoundTrip()
    {
        QFETCH(QString, text);
        QByteArray out("[");
        PushText::appendJsonString(out, text);
        out.append(']');
        QJsonParseError pe{};
        const QJsonDocument doc = QJsonDocument::fromJson(out, &pe);
        QCOMPARE(pe.error, QJsonParseError::NoError);
        QCOMPARE(doc.array().at(0).toString(), text);
        for (char c : out)
            QVERIFY(uchar(c) >= 0x20); // control characters never raw
    }

    void titleIsCutWhenBodyIsNotEnough()
    {
        const QByteArray payload = ApnsPayload::build(message(QString(5000, 'T'), QString(5000, 'b')));
        QVERIFY(payload.size() <= 4096);
        const QJsonObject alert =
            QJsonDocument::fromJson(payload).object().value("aps").toObject().value("alert").toObject();
        QVERIFY(!alert.contains("body"));
        QVERIFY(alert.value("title").toString().endsWith(QChar(0x2026)));
    }

    void impossibleFitIsEmpty()
    {
        PushMessage m = message("t", "b");
        m.uri = QString(5000, 'u');
        QVERIFY(ApnsPayload::build(m).isEmpty());
    }

    void shortTextIsUntouched()
    {
        QCOMPARE(PushText::cut(QStringLiteral("abc"), 10), QStringLiteral("abc"));
        const QString emoji = QString::fromUtf8("a\xF0\x9F\x98\x80");
        QCOMPARE(PushText::cut(emoji, 2), QStringLiteral("a")); // never half a surrogate pair
    }

    void fcmMessage()
    {
        PushMessage m = message("Alice", "Hi");
        m.collapseId = QStringLiteral("mail");
        m.highPriority = false;
        const QDateTime now = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);
        m.expiresAt = now.addSecs(86400);
        const QJsonObject msg =
            QJsonDocument::fromJson(FcmPayload::build(m, now)).object().value("message").toObject();
        QCOMPARE(msg.value("token").toString(), QStringLiteral("abc"));
        QCOMPARE(msg.value("data").toObject().value("nid").toString(), QStringLiteral("n-123"));
        QVERIFY(msg.value("data").toObject().value("uri").isString());
        QCOMPARE(msg.value("android").toObject().value("priority").toString(), QStringLiteral("NORMAL"));
        QCOMPARE(msg.value("android").toObject().value("ttl").toString(), QStringLiteral("86400s"));
        QCOMPARE(msg.value("android").toObject().value("collapse_key").toString(), QStringLiteral("mail"));
        QCOMPARE(msg.value("notification").toObject().value("title").toString(), QStringLiteral("Alice"));
    }

    void fcmContentFree()
    {
        PushMessage m = message(QString(), QString());
        m.contentAvailable = true;
        const QJsonObject msg = QJsonDocument::fromJson(FcmPayload::build(m, QDateTime::currentDateTimeUtc()))
                                    .object()
                                    .value("message")
                                    .toObject();
        QVERIFY(!msg.contains("notification"));
        QCOMPARE(msg.value("data").toObject().value("nid").toString(), QStringLiteral("n-123"));
    }

    void badge()
    {
        // The account's unread count: aps.badge, FCM notification_count (and data.badge, a string,
        // for data-only messages); absent when the dispatcher has none to give.
        PushMessage m = message("Alice", "Hi");
        m.badge = 7;
        QJsonObject aps = QJsonDocument::fromJson(ApnsPayload::build(m)).object().value("aps").toObject();
        QCOMPARE(aps.value("badge").toInt(-1), 7);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QJsonObject msg = QJsonDocument::fromJson(FcmPayload::build(m, now)).object().value("message").toObject();
        QCOMPARE(msg.value("android").toObject().value("notification").toObject().value("notification_count").toInt(-1), 7);
        QCOMPARE(msg.value("data").toObject().value("badge").toString(), QStringLiteral("7"));

        m.badge = 0; // everything read: the badge goes away
        aps = QJsonDocument::fromJson(ApnsPayload::build(m)).object().value("aps").toObject();
        QCOMPARE(aps.value("badge").toInt(-1), 0);

        m.contentAvailable = true;
        m.badge = 3;
        aps = QJsonDocument::fromJson(ApnsPayload::build(m)).object().value("aps").toObject();
        QCOMPARE(aps.value("badge").toInt(-1), 3);
        QCOMPARE(aps.value("content-available").toInt(), 1);
        msg = QJsonDocument::fromJson(FcmPayload::build(m, now)).object().value("message").toObject();
        QVERIFY(!msg.value("android").toObject().contains("notification")); // data-only stays data-only
        QCOMPARE(msg.value("data").toObject().value("badge").toString(), QStringLiteral("3"));

        m.badge = -1;
        QVERIFY(!QJsonDocument::fromJson(ApnsPayload::build(m)).object().value("aps").toObject().contains("badge"));
        msg = QJsonDocument::fromJson(FcmPayload::build(m, now)).object().value("message").toObject();
        QVERIFY(!msg.value("data").toObject().contains("badge"));
    }

    void groupedPush()
    {
        // A push of a group: the group's collapse id is the tray entry (apns-collapse-id travels as
        // a header; FCM collapse_key and android.notification.tag), thread-id the app; an update
        // of a notification already shown makes no sound.
        PushMessage m = message("3 new mails", "Alice, Bob and 1 other");
        m.collapseId = QStringLiteral("n-100");
        m.threadId = QStringLiteral("mail");
        QJsonObject aps = QJsonDocument::fromJson(ApnsPayload::build(m)).object().value("aps").toObject();
        QCOMPARE(aps.value("thread-id").toString(), QStringLiteral("mail"));
        QCOMPARE(aps.value("sound").toString(), QStringLiteral("default"));
        m.quiet = true;
        aps = QJsonDocument::fromJson(ApnsPayload::build(m)).object().value("aps").toObject();
        QVERIFY(!aps.contains("sound"));
        QVERIFY(aps.contains("alert"));
        const QJsonObject msg = QJsonDocument::fromJson(FcmPayload::build(m, QDateTime::currentDateTimeUtc()))
                                    .object().value("message").toObject();
        const QJsonObject android = msg.value("android").toObject();
        QCOMPARE(android.value("collapse_key").toString(), QStringLiteral("n-100"));
        QCOMPARE(android.value("notification").toObject().value("tag").toString(), QStringLiteral("n-100"));

        m.threadId.clear(); // privacy none / encrypted: no thread-id, which would name the app
        aps = QJsonDocument::fromJson(ApnsPayload::build(m)).object().value("aps").toObject();
        QVERIFY(!aps.contains("thread-id"));
    }

    void clearPush()
    {
        // The silent update after an open on another device: nothing but the ids and the badge.
        PushMessage m = message("must not", "appear");
        m.clearIds = QStringList{QStringLiteral("n-123"), QStringLiteral("n-100")};
        m.badge = 2;
        m.contentAvailable = true;
        m.highPriority = false;
        const QByteArray apns = ApnsPayload::build(m);
        QCOMPARE(QJsonDocument::fromJson(apns).object(),
                 (QJsonObject{{"aps", QJsonObject{{"content-available", 1}, {"badge", 2}}},
                              {"clear", QJsonArray{"n-123", "n-100"}}}));
        const QJsonObject msg = QJsonDocument::fromJson(FcmPayload::build(m, QDateTime::currentDateTimeUtc()))
                                    .object().value("message").toObject();
        QCOMPARE(msg.value("data").toObject(), (QJsonObject{{"clear", "n-123,n-100"}, {"badge", "2"}}));
        QVERIFY(!msg.contains("notification"));
        QCOMPARE(msg.value("android").toObject().value("priority").toString(), QStringLiteral("NORMAL"));
        QVERIFY(!msg.value("android").toObject().contains("notification"));
        for (const QByteArray &bytes : {apns, FcmPayload::build(m, QDateTime::currentDateTimeUtc())})
            QVERIFY(!bytes.contains("must not") && !bytes.contains("appear") && !bytes.contains("herald://"));

        m.clearIds = QStringList(200, QString(60, QLatin1Char('x'))); // cannot fit: nothing rather than a cut list
        QVERIFY(ApnsPayload::build(m).isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_PushPayload)
#include "tst_PushPayload.moc"
