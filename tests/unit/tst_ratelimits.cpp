// Token-bucket rate limits: RateLimit's configuration text, TokenBucketTable (the limit holds,
// tokens come back at the rate, keys are independent, memory stays bounded however many keys a
// client sprays) and RequestLimiter's keys and 429 answers.
#include "limits/RateLimit.h"
#include "limits/RequestLimiter.h"
#include "limits/TokenBucketTable.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QtTest>

using namespace herald;

class tst_RateLimits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<double>("rate");
        QTest::addColumn<double>("burst");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("per second") << "20/s burst 600" << 20.0 << 600.0 << "20/s burst 600";
        QTest::newRow("per minute") << "10/min" << 10.0 / 60 << 10.0 << "10/min";
        QTest::newRow("per hour, spaces") << "  3600 / h  " << 1.0 << 3600.0 << "3600/h";
        QTest::newRow("fraction") << "0.5/s burst 2" << 0.5 << 2.0 << "30/min burst 2";
        QTest::newRow("off") << "off" << 0.0 << 0.0 << "off";
    }

    void parse()
    {
        QFETCH(QString, text);
        QFETCH(double, rate);
        QFETCH(double, burst);
        QFETCH(QString, canonical);
        QString error;
        const auto limit = RateLimit::parse(text, &error);
        QVERIFY2(limit, qPrintable(error));
        QVERIFY(qAbs(limit->ratePerSec - rate) < 1e-9);
        QCOMPARE(limit->burst, burst);
        QCOMPARE(limit->toString(), canonical);
    }

    void parseRefuses_data()
    {
        QTest::addColumn<QString>("text");
        for (const char *bad : {"", "20", "20/day", "-1/s", "0/s", "20/s burst 0", "20/s burst", "x/s", "20/s burst 5 extra",
                                "99999999999/s", "20/s\n"})
            QTest::newRow(bad) << QString::fromLatin1(bad);
    }

    void parseRefuses()
    {
        QFETCH(QString, text);
        QString error;
        if (text == QLatin1String("20/s\n")) // trimmed, so a trailing newline is fine
            QVERIFY(RateLimit::parse(text, &error));
        else
            QVERIFY(!RateLimit::parse(text, &error) && !error.isEmpty());
    }

    void limitHoldsAndRefills()
    {
        qint64 now = 0;
        TokenBucketTable table(RateLimit{2, 5}, 100); // 2/s, burst 5
        table.setClock([&] { return now; });
        for (int i = 0; i < 5; ++i)
            QCOMPARE(table.take("alice"), 0);
        QCOMPARE(table.take("alice"), 1); // empty: one token is half a second away, rounded up
        QCOMPARE(table.take("bob"), 0);   // another key is unaffected
        now = 500;
        QCOMPARE(table.take("alice"), 0); // one token came back
        QCOMPARE(table.take("alice"), 1);
        now = 100'000; // long idle: full again, but never more than the burst
        for (int i = 0; i < 5; ++i)
            QCOMPARE(table.take("alice"), 0);
        QVERIFY(table.take("alice") > 0);
    }

    void retryAfterFollowsTheRate()
    {
        qint64 now = 0;
        TokenBucketTable table(RateLimit{10.0 / 60, 10}, 100); // 10/min
        table.setClock([&] { return now; });
        for (int i = 0; i < 10; ++i)
            QCOMPARE(table.take("k"), 0);
        QCOMPARE(table.take("k"), 6); // a token every 6 s
    }

    void refundGivesATokenBack()
    {
        qint64 now = 0;
        TokenBucketTable table(RateLimit{1.0 / 60, 2}, 100);
        table.setClock([&] { return now; });
        QCOMPARE(table.take("k"), 0);
        table.refund("k");
        QCOMPARE(table.take("k"), 0);
        QCOMPARE(table.take("k"), 0);
        QVERIFY(table.take("k") > 0);
        table.refund("k");
        table.refund("k");
        table.refund("k"); // never above the burst
        QCOMPARE(table.take("k"), 0);
        QCOMPARE(table.take("k"), 0);
        QVERIFY(table.take("k") > 0);
    }

    void sprayingKeysCannotGrowMemory()
    {
        qint64 now = 0;
        TokenBucketTable table(RateLimit{1, 10}, 1000);
        table.setClock([&] { return now; });
        for (int i = 0; i < 200'000; ++i) {
            table.take(QByteArray::number(i) + QByteArray(200, 'x')); // long keys too: stored as digests
            QVERIFY(table.size() <= 1000);
        }
        QCOMPARE(table.size(), 1000);
        QVERIFY(table.evictions() > 0);
    }

    void idleBucketsExpire()
    {
        qint64 now = 0;
        TokenBucketTable table(RateLimit{1, 10}, 100'000);
        table.setClock([&] { return now; });
        for (int i = 0; i < 5000; ++i)
            table.take(QByteArray::number(i));
        QCOMPARE(table.size(), 5000);
        now = 60'000; // every bucket is full again: each take drops idle ones, oldest first
        for (int i = 0; i < 3000; ++i)
            table.take("active");
        QCOMPARE(table.size(), 1);
        QCOMPARE(table.evictions(), 0);
    }

    void busyClientDoesNotLoseItsBucketToIdleOnes()
    {
        qint64 now = 0;
        TokenBucketTable table(RateLimit{1, 3}, 100);
        table.setClock([&] { return now; });
        for (int i = 0; i < 3; ++i)
            QCOMPARE(table.take("hot"), 0);
        QVERIFY(table.take("hot") > 0);
        for (int i = 0; i < 50; ++i)
            table.take(QByteArray::number(i)); // others come and go; "hot" stays empty
        QVERIFY(table.take("hot") > 0);
    }

    void disabledLimitTakesNothing()
    {
        TokenBucketTable table(RateLimit{}, 100);
        for (int i = 0; i < 1000; ++i)
            QCOMPARE(table.take("k"), 0);
        QCOMPARE(table.size(), 0);
    }

    void addressKeys()
    {
        LimitSettings settings;
        RequestLimiter limiter(settings);
        QVERIFY(limiter.addressKey(QHostAddress(QStringLiteral("127.0.0.1"))).isEmpty()); // exempt by default
        QVERIFY(limiter.addressKey(QHostAddress(QStringLiteral("::1"))).isEmpty());
        const QByteArray v4 = limiter.addressKey(QHostAddress(QStringLiteral("192.0.2.7")));
        QVERIFY(!v4.isEmpty());
        QCOMPARE(limiter.addressKey(QHostAddress(QStringLiteral("::ffff:192.0.2.7"))), v4); // mapped = the same client
        QVERIFY(limiter.addressKey(QHostAddress(QStringLiteral("192.0.2.8"))) != v4);
        // IPv6 clients by their /64: a host rotating through its own prefix is still one client.
        QCOMPARE(limiter.addressKey(QHostAddress(QStringLiteral("2001:db8:1:2::1"))),
                 limiter.addressKey(QHostAddress(QStringLiteral("2001:db8:1:2:ffff:1:2:3"))));
        QVERIFY(limiter.addressKey(QHostAddress(QStringLiteral("2001:db8:1:3::1"))) !=
                limiter.addressKey(QHostAddress(QStringLiteral("2001:db8:1:2::1"))));

        settings.exemptAddresses.clear();
        RequestLimiter strict(settings);
        QVERIFY(!strict.addressKey(QHostAddress(QStringLiteral("127.0.0.1"))).isEmpty());
    }

    void refusalIs429InTheErrorShape()
    {
        LimitSettings settings;
        settings.loginPerAccount = RateLimit{1.0 / 60, 2};
        RequestLimiter limiter(settings);
        QSignalSpy rejected(&limiter, &RequestLimiter::rejected);
        const QString route = QStringLiteral("/v1/login");
        QVERIFY(!limiter.check(RequestLimiter::Limit::LoginPerAccount, "a1", route));
        QVERIFY(!limiter.check(RequestLimiter::Limit::LoginPerAccount, "a1", route));
        const auto refused = limiter.check(RequestLimiter::Limit::LoginPerAccount, "a1", route);
        QVERIFY(refused);
        QCOMPARE(refused->status, 429);
        const QJsonObject body = QJsonDocument::fromJson(refused->body).object();
        QCOMPARE(body.value(QStringLiteral("error")).toString(), QStringLiteral("rate_limited"));
        QVERIFY(!body.value(QStringLiteral("message")).toString().isEmpty());
        QByteArray retryAfter;
        for (const auto &h : refused->headers) {
            if (h.first == "Retry-After")
                retryAfter = h.second;
        }
        QCOMPARE(retryAfter, QByteArray("60"));
        QCOMPARE(rejected.count(), 1);
        QCOMPARE(rejected.at(0).at(0).toString(), route);
        QCOMPARE(rejected.at(0).at(1).toString(), QStringLiteral("account"));
        QVERIFY(!limiter.check(RequestLimiter::Limit::LoginPerAccount, "a2", route)); // another account
        QVERIFY(!limiter.check(RequestLimiter::Limit::LoginPerAccount, QByteArray(), route)); // no key: no limit
    }
};

QTEST_GUILESS_MAIN(tst_RateLimits)
#include "tst_ratelimits.moc"
