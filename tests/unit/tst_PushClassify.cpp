// Mapping of raw provider answers onto PushResult outcomes, including hostile bodies.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "push/ApnsProvider.h"
#include "push/FcmProvider.h"

using namespace herald;
using O = PushResult::Outcome;

namespace {
Http2Response response(int status, const QByteArray &body, const QByteArray &retryAfter = {})
{
    Http2Response r;
    r.status = status;
    r.body = body;
    if (!retryAfter.isEmpty())
        r.headers.append(qMakePair(QByteArray("retry-after"), retryAfter));
    return r;
}
} // namespace

class tst_PushClassify : public QObject
{
    Q_OBJECT
private slots:
    void apns_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("outcome");
        QTest::addColumn<QString>("reason");
        QTest::newRow("410") << 410 << QByteArray("{\"reason\":\"Unregistered\",\"timestamp\":1700000000000}")
                             << int(O::TokenDead) << "Unregistered";
        QTest::newRow("expired token") << 403 << QByteArray("{\"reason\":\"ExpiredProviderToken\"}")
                                       << int(O::ProviderAuthFailed) << "ExpiredProviderToken";
        QTest::newRow("bad cert") << 403 << QByteArray("{\"reason\":\"BadCertificate\"}")
                                  << int(O::ProviderAuthFailed) << "BadCertificate";
        QTest::newRow("missing topic")
            << 400 << QByteArray("{\"reason\":\"MissingTopic\"}") << int(O::Rejected) << "MissingTopic";
        QTest::newRow("405") << 405 << QByteArray("{\"reason\":\"MethodNotAllowed\"}") << int(O::Rejected)
                             << "MethodNotAllowed";
        QTest::newRow("html 400") << 400 << QByteArray("<html>bad</html>") << int(O::Rejected) << "HTTP 400";
        QTest::newRow("html 503") << 503 << QByteArray("<html>busy</html>") << int(O::RetryLater)
                                  << "HTTP 503";
        QTest::newRow("json array") << 500 << QByteArray("[1,2]") << int(O::RetryLater) << "HTTP 500";
        QTest::newRow("reason not string")
            << 400 << QByteArray("{\"reason\":42}") << int(O::Rejected) << "HTTP 400";
        QTest::newRow("empty 429") << 429 << QByteArray() << int(O::RetryLater) << "HTTP 429";
        QTest::newRow("3xx") << 302 << QByteArray() << int(O::Rejected) << "HTTP 302";
    }
    void apns()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, outcome);
        QFETCH(QString, reason);
        const PushResult r = ApnsProvider::classify(response(status, body));
        QCOMPARE(int(r.outcome), outcome);
        QCOMPARE(r.reason, reason);
        QCOMPARE(r.httpStatus, status);
    }

    void apnsHugeReasonIsBounded()
    {
        const QByteArray body = "{\"reason\":\"" + QByteArray(100000, 'x') + "\"}";
        QVERIFY(ApnsProvider::classify(response(400, body)).reason.size() <= 100);
    }

    void retryAfterHeader()
    {
        QCOMPARE(ApnsProvider::classify(response(503, {}, "17")).retryAfterSecs, 17);
        QCOMPARE(ApnsProvider::classify(response(503, {}, "garbage")).retryAfterSecs, -1);
        QCOMPARE(FcmProvider::classify(response(429, {}, "30")).retryAfterSecs, 30);
    }

    void fcm_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("outcome");
        QTest::addColumn<QString>("reason");
        // Built with QJsonDocument: moc of Qt 6.4 mis-parses some raw string literals.
        auto err = [](int code, const char *status, const char *errorCode) {
            const QJsonObject detail{{"@type", "type.googleapis.com/google.firebase.fcm.v1.FcmError"},
                                     {"errorCode", errorCode}};
            const QJsonObject e{{"code", code}, {"status", status}, {"details", QJsonArray{detail}}};
            return QJsonDocument(QJsonObject{{"error", e}}).toJson(QJsonDocument::Compact);
        };
        QTest::newRow("ok") << 200 << QByteArray("{\"name\":\"projects/p/messages/1\"}") << int(O::Delivered)
                            << "";
        QTest::newRow("unregistered")
            << 404 << err(404, "NOT_FOUND", "UNREGISTERED") << int(O::TokenDead) << "UNREGISTERED";
        QTest::newRow("invalid") << 400 << err(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT")
                                 << int(O::Rejected) << "INVALID_ARGUMENT";
        QTest::newRow("quota") << 429 << err(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED")
                               << int(O::RetryLater) << "QUOTA_EXCEEDED";
        QTest::newRow("401") << 401 << QByteArray("{\"error\":{\"code\":401,\"status\":\"UNAUTHENTICATED\"}}")
                             << int(O::ProviderAuthFailed) << "UNAUTHENTICATED";
        QTest::newRow("html 502") << 502 << QByteArray("<html/>") << int(O::RetryLater) << "HTTP 502";
        QTest::newRow("details not array")
            << 400 << QByteArray("{\"error\":{\"details\":\"x\"}}") << int(O::Rejected) << "HTTP 400";
    }
    void fcm()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, outcome);
        QFETCH(QString, reason);
        const PushResult r = FcmProvider::classify(response(status, body));
        QCOMPARE(int(r.outcome), outcome);
        QCOMPARE(r.reason, reason);
    }
};

QTEST_GUILESS_MAIN(tst_PushClassify)
#include "tst_PushClassify.moc"
