// PushVerdictText: every provider answer a test push can get, in words that tell a helpdesk agent
// who can fix it — the user (reopen the app), the server's administrator, or nobody (wait).
#include "admin/PushVerdictText.h"

#include <QtTest>

using namespace herald;

class tst_PushVerdictText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void describe_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<bool>("delivered");
        QTest::addColumn<QString>("words");
        const QString apns = QStringLiteral("push.apns"), fcm = QStringLiteral("push.fcm");
        QTest::newRow("apns accepted") << apns << 200 << QString() << true << "APNs accepted it";
        QTest::newRow("fcm accepted") << fcm << 200 << QString() << true << "FCM accepted it";
        QTest::newRow("apns unregistered") << apns << 410 << "Unregistered" << false
                                           << "The phone's push token is no longer valid (Unregistered) — ask the user to open the app";
        QTest::newRow("apns 410 without reason") << apns << 410 << QString() << false << "no longer valid (HTTP 410)";
        QTest::newRow("fcm unregistered") << fcm << 404 << "UNREGISTERED" << false << "no longer valid (UNREGISTERED)";
        QTest::newRow("bad device token") << apns << 400 << "BadDeviceToken" << false << "ask the user to open the app";
        QTest::newRow("not for topic") << apns << 400 << "DeviceTokenNotForTopic" << false << "tell the server administrator";
        QTest::newRow("sender id mismatch") << fcm << 403 << "SENDER_ID_MISMATCH" << false << "another app or project";
        QTest::newRow("invalid provider token") << apns << 403 << "InvalidProviderToken" << false
                                                << "APNs refused the server's own credentials (InvalidProviderToken)";
        QTest::newRow("expired provider token") << apns << 403 << "ExpiredProviderToken" << false << "server's own credentials";
        QTest::newRow("fcm auth") << fcm << 401 << "THIRD_PARTY_AUTH_ERROR" << false << "FCM refused the server's own credentials";
        QTest::newRow("plain 403") << fcm << 403 << QString() << false << "credentials (HTTP 403)";
        QTest::newRow("apns 429") << apns << 429 << "TooManyRequests" << false << "try again in a few minutes";
        QTest::newRow("fcm quota") << fcm << 429 << "QUOTA_EXCEEDED" << false << "limiting how fast";
        QTest::newRow("apns 503") << apns << 503 << "ServiceUnavailable" << false << "the phone is not at fault";
        QTest::newRow("fcm 500") << fcm << 500 << "INTERNAL" << false << "FCM is having trouble right now (INTERNAL)";
        QTest::newRow("no answer") << apns << 0 << "connection refused" << false << "could not reach APNs";
        QTest::newRow("other refusal") << apns << 400 << "PayloadTooLarge" << false << "APNs refused this push (PayloadTooLarge)";
        QTest::newRow("unknown provider") << QStringLiteral("push.other") << 400 << "Weird" << false << "The push provider (push.other)";
    }
    void describe()
    {
        QFETCH(QString, provider);
        QFETCH(int, status);
        QFETCH(QString, reason);
        QFETCH(bool, delivered);
        QFETCH(QString, words);
        const QString text = PushVerdictText::describe(provider, status, reason, delivered);
        QVERIFY2(text.contains(words), qPrintable(text));
    }
};

QTEST_GUILESS_MAIN(tst_PushVerdictText)
#include "tst_pushverdicttext.moc"
