// RetryPolicy: back-off growth, jitter bounds, Retry-After, attempt cap, expiry.
#include <QTest>

#include "push/RetryPolicy.h"

using namespace herald;

namespace {
PushResult result(PushResult::Outcome o, int retryAfter = -1)
{
    PushResult r;
    r.outcome = o;
    r.retryAfterSecs = retryAfter;
    return r;
}
const QDateTime kNow = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);
} // namespace

class tst_RetryPolicy : public QObject
{
    Q_OBJECT
private slots:
    void growsExponentiallyWithoutJitter()
    {
        RetryPolicy::Options o;
        o.jitter = 0;
        o.baseDelaySecs = 5;
        o.maxDelaySecs = 60;
        const RetryPolicy p(o);
        const auto r = result(PushResult::Outcome::RetryLater);
        QCOMPARE(kNow.secsTo(*p.nextAttempt(1, r, kNow, {})), 5);
        QCOMPARE(kNow.secsTo(*p.nextAttempt(2, r, kNow, {})), 10);
        QCOMPARE(kNow.secsTo(*p.nextAttempt(3, r, kNow, {})), 20);
        QCOMPARE(kNow.secsTo(*p.nextAttempt(5, r, kNow, {})), 60); // capped
    }

    void jitterStaysInBounds()
    {
        RetryPolicy::Options o;
        o.jitter = 0.2;
        o.baseDelaySecs = 100;
        const RetryPolicy low(o, [] { return 0.0; });
        const RetryPolicy high(o, [] { return 0.999999; });
        const auto r = result(PushResult::Outcome::RetryLater);
        QCOMPARE(kNow.secsTo(*low.nextAttempt(1, r, kNow, {})), 80);
        QVERIFY(qAbs(kNow.secsTo(*high.nextAttempt(1, r, kNow, {})) - 120) <= 1);
        const RetryPolicy random(o);
        for (int i = 0; i < 100; ++i) {
            const qint64 d = kNow.secsTo(*random.nextAttempt(1, r, kNow, {}));
            QVERIFY(d >= 80 && d <= 120);
        }
    }

    void honoursRetryAfter()
    {
        RetryPolicy::Options o;
        o.jitter = 0;
        const RetryPolicy p(o);
        QCOMPARE(kNow.secsTo(*p.nextAttempt(1, result(PushResult::Outcome::RetryLater, 600), kNow, {})), 600);
        // A shorter Retry-After does not shorten our own back-off.
        QCOMPARE(kNow.secsTo(*p.nextAttempt(3, result(PushResult::Outcome::RetryLater, 1), kNow, {})), 20);
    }

    void stopsForPermanentOutcomes()
    {
        const RetryPolicy p;
        for (auto o : {PushResult::Outcome::Delivered, PushResult::Outcome::TokenDead,
                       PushResult::Outcome::Rejected, PushResult::Outcome::ProviderAuthFailed})
            QVERIFY(!p.nextAttempt(1, result(o), kNow, {}).has_value());
    }

    void stopsAfterMaxAttempts()
    {
        RetryPolicy::Options o;
        o.maxAttempts = 3;
        const RetryPolicy p(o);
        const auto r = result(PushResult::Outcome::RetryLater);
        QVERIFY(p.nextAttempt(2, r, kNow, {}).has_value());
        QVERIFY(!p.nextAttempt(3, r, kNow, {}).has_value());
    }

    void neverPastExpiry()
    {
        RetryPolicy::Options o;
        o.jitter = 0;
        const RetryPolicy p(o);
        const auto r = result(PushResult::Outcome::RetryLater, 120);
        QVERIFY(!p.nextAttempt(1, r, kNow, kNow.addSecs(60)).has_value());
        QVERIFY(p.nextAttempt(1, r, kNow, kNow.addSecs(600)).has_value());
        QVERIFY(
            !p.nextAttempt(1, result(PushResult::Outcome::RetryLater), kNow, kNow.addSecs(-1)).has_value());
    }

    void parsesRetryAfter()
    {
        QCOMPARE(RetryPolicy::parseRetryAfter("120", kNow), 120);
        QCOMPARE(RetryPolicy::parseRetryAfter(" 0 ", kNow), 0);
        QCOMPARE(RetryPolicy::parseRetryAfter("", kNow), -1);
        QCOMPARE(RetryPolicy::parseRetryAfter("soon", kNow), -1);
        QCOMPARE(RetryPolicy::parseRetryAfter("-5", kNow), -1);
        const QByteArray date =
            QLocale::c().toString(kNow.addSecs(90), "ddd, dd MMM yyyy HH:mm:ss 'GMT'").toLatin1();
        QCOMPARE(RetryPolicy::parseRetryAfter(date, kNow), 90);
    }
};

QTEST_GUILESS_MAIN(tst_RetryPolicy)
#include "tst_RetryPolicy.moc"
