// The client's side of a push: finding the notification id in a push uri (both forms, and
// hostile ones refused), and reading what a push asks (a notification, or a clear after an open
// elsewhere) from APNs and FCM payloads, with malformed and hostile ones refused.
#include <QTest>

#include "PushLink.h"
#include "PushNotice.h"

using herald::client::PushNotice;

using namespace herald;

class tst_ClientPush : public QObject
{
    Q_OBJECT
private slots:
    void notificationIdFromUri_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("id");
        const QString id = QStringLiteral("0190f3a2-7c1e-7d2b-9a51-3e0c6f1b2a4d");
        QTest::newRow("opaque") << QStringLiteral("herald://n/") + id << id;
        QTest::newRow("named app") << QStringLiteral("herald://open/mail/") + id << id;
        QTest::newRow("dotted app") << QStringLiteral("herald://open/corp.mail-2/") + id << id;
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("other scheme") << QStringLiteral("https://n/") + id << QString();
        QTest::newRow("custom launch template") << QStringLiteral("outlook://open?id=") + id << QString();
        QTest::newRow("no id") << QStringLiteral("herald://n/") << QString();
        QTest::newRow("path traversal") << QStringLiteral("herald://n/../admin/v1/users") << QString();
        QTest::newRow("extra segment") << QStringLiteral("herald://n/") + id + QStringLiteral("/x") << QString();
        QTest::newRow("query") << QStringLiteral("herald://n/") + id + QStringLiteral("?a=b") << QString();
        QTest::newRow("percent") << QStringLiteral("herald://n/%2e%2e") << QString();
        QTest::newRow("trailing newline") << QStringLiteral("herald://n/") + id + QLatin1Char('\n') << QString();
        QTest::newRow("upper-case app") << QStringLiteral("herald://open/Mail/") + id << QString();
        QTest::newRow("too long") << QStringLiteral("herald://n/") + QString(5000, QLatin1Char('a')) << QString();
        QTest::newRow("nul") << QStringLiteral("herald://n/ab") + QChar(0) + QStringLiteral("cd") << QString();
    }
    void notificationIdFromUri()
    {
        QFETCH(QString, uri);
        QFETCH(QString, id);
        QCOMPARE(PushLink::notificationId(uri), id);
    }

    void clearFromApnsAndFcm()
    {
        const auto apns = PushNotice::read("{\"aps\":{\"content-available\":1,\"badge\":2},\"clear\":[\"n-1\",\"n-0\"]}");
        QVERIFY(apns);
        QCOMPARE(apns->kind, PushNotice::Kind::Clear);
        QCOMPARE(apns->clearIds, (QStringList{"n-1", "n-0"}));
        QCOMPARE(apns->badge, 2);
        // FCM hands the app the data object; a test harness may hold the whole message.
        for (const QByteArray &fcm : {QByteArray("{\"clear\":\"n-1,n-0\",\"badge\":\"0\"}"),
                                      QByteArray("{\"message\":{\"data\":{\"clear\":\"n-1,n-0\",\"badge\":\"0\"},\"android\":{\"priority\":\"NORMAL\"}}}")}) {
            const auto notice = PushNotice::read(fcm);
            QVERIFY2(notice, fcm.constData());
            QCOMPARE(notice->kind, PushNotice::Kind::Clear);
            QCOMPARE(notice->clearIds, (QStringList{"n-1", "n-0"}));
            QCOMPARE(notice->badge, 0);
        }
    }

    void notificationFromApnsAndFcm()
    {
        const auto apns = PushNotice::read(
            "{\"aps\":{\"alert\":{\"title\":\"Alice\",\"body\":\"Lunch?\"},\"badge\":3,\"thread-id\":\"mail\"},\"nid\":\"n-7\",\"uri\":\"herald://open/mail/n-7\"}");
        QVERIFY(apns);
        QCOMPARE(apns->kind, PushNotice::Kind::Notification);
        QCOMPARE(apns->notificationId, QStringLiteral("n-7"));
        QCOMPARE(apns->title, QStringLiteral("Alice"));
        QCOMPARE(apns->body, QStringLiteral("Lunch?"));
        QCOMPARE(apns->badge, 3);
        QVERIFY(!apns->sealed);
        const auto fcm = PushNotice::read(
            "{\"message\":{\"notification\":{\"body\":\"New mail\"},\"data\":{\"nid\":\"n-8\",\"uri\":\"herald://n/n-8\",\"badge\":\"4\",\"enc\":\"AAAA\"}}}");
        QVERIFY(fcm);
        QCOMPARE(fcm->notificationId, QStringLiteral("n-8"));
        QCOMPARE(fcm->body, QStringLiteral("New mail"));
        QCOMPARE(fcm->badge, 4);
        QVERIFY(fcm->sealed);
    }

    void hostilePushesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("push");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("not json") << QByteArray("clear n-1");
        QTest::newRow("array") << QByteArray("[\"n-1\"]");
        QTest::newRow("no nid nor clear") << QByteArray("{\"aps\":{\"alert\":\"hi\"}}");
        QTest::newRow("empty clear") << QByteArray("{\"clear\":[]}");
        QTest::newRow("empty id in clear") << QByteArray("{\"clear\":\"n-1,,n-2\"}");
        QTest::newRow("non-string in clear") << QByteArray("{\"clear\":[\"n-1\",5]}");
        QTest::newRow("control char in id") << QByteArray("{\"clear\":[\"n\\u0000x\"]}");
        QTest::newRow("too many ids") << (QByteArray("{\"clear\":\"") + QByteArray("n,").repeated(40) + "n\"}");
        QTest::newRow("long id") << (QByteArray("{\"nid\":\"") + QByteArray(200, 'x') + "\"}");
        QTest::newRow("oversized") << (QByteArray("{\"nid\":\"n-1\",\"pad\":\"") + QByteArray(70000, 'x') + "\"}");
    }

    void hostilePushesAreRefused()
    {
        QFETCH(QByteArray, push);
        QString error;
        QVERIFY(!PushNotice::read(push, &error));
        QVERIFY(!error.isEmpty());
    }

    void badBadgeIsNoBadge()
    {
        for (const QByteArray &push : {QByteArray("{\"nid\":\"n\",\"badge\":\"-3\"}"), QByteArray("{\"nid\":\"n\",\"badge\":\"x\"}"),
                                       QByteArray("{\"aps\":{\"badge\":1e12},\"nid\":\"n\"}")}) {
            const auto notice = PushNotice::read(push);
            QVERIFY(notice);
            QCOMPARE(notice->badge, -1);
        }
    }
};

QTEST_GUILESS_MAIN(tst_ClientPush)
#include "tst_clientpush.moc"
