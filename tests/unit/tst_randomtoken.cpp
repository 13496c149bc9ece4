// RandomToken: version 7 (time-ordered) UUIDs for notification and delivery ids, version 4 UUIDs,
// and url-safe tokens. The v7 ids key B-tree indexes, so their layout and order are checked bit by bit.
#include "crypto/RandomToken.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QSet>
#include <QThread>
#include <QUuid>
#include <QtTest>

#include <array>

using namespace herald;

namespace {

// The 48-bit millisecond prefix of a v7 UUID in its text form.
qint64 millisecondsOf(const QString &id)
{
    return QStringView(id).left(8).toLongLong(nullptr, 16) << 16 | QStringView(id).mid(9, 4).toLongLong(nullptr, 16);
}

const QRegularExpression &v7Layout()
{
    // Lower-case hex, 8-4-4-4-12; version nibble 7; variant bits 10 (first nibble of the 4th group 8-b).
    static const QRegularExpression re(QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
    return re;
}

} // namespace

class tst_RandomToken : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void timeOrderedUuidLayout()
    {
        for (int i = 0; i < 1000; ++i) {
            const QString id = RandomToken::timeOrderedUuid();
            QVERIFY2(v7Layout().match(id).hasMatch(), qPrintable(id));
            const QUuid uuid = QUuid::fromString(id);
            QVERIFY(!uuid.isNull());
            QCOMPARE(uuid.variant(), QUuid::DCE); // RFC 4122 / 9562
            QCOMPARE(uuid.toString(QUuid::WithoutBraces), id);
        }
    }

    void timeOrderedUuidCarriesTheCurrentMillisecond()
    {
        for (int i = 0; i < 1000; ++i) {
            const qint64 before = QDateTime::currentMSecsSinceEpoch();
            const QString id = RandomToken::timeOrderedUuid();
            const qint64 after = QDateTime::currentMSecsSinceEpoch();
            const qint64 ms = millisecondsOf(id);
            QVERIFY2(ms >= before && ms <= after, qPrintable(QStringLiteral("%1 not in [%2, %3]").arg(id).arg(before).arg(after)));
        }
    }

    void timeOrderedUuidsAreDistinct()
    {
        // 10000 ids span many refills of the generator's random pool.
        QSet<QString> seen;
        for (int i = 0; i < 10000; ++i)
            seen.insert(RandomToken::timeOrderedUuid());
        QCOMPARE(seen.size(), 10000);
    }

    void oneThreadsIdsSortInTheOrderItMadeThem()
    {
        // Thousands within each millisecond: the counter, not chance, keeps them in order.
        QString previous = RandomToken::timeOrderedUuid();
        for (int i = 0; i < 20000; ++i) {
            const QString id = RandomToken::timeOrderedUuid();
            QVERIFY2(previous < id, qPrintable(previous + QLatin1String(" !< ") + id));
            previous = id;
        }
    }

    void laterMillisecondsSortLater()
    {
        // Text order is time order across milliseconds.
        QString previous = RandomToken::timeOrderedUuid();
        int crossings = 0;
        QDeadlineTimer deadline(2000);
        while (crossings < 20 && !deadline.hasExpired()) {
            const QString id = RandomToken::timeOrderedUuid();
            const qint64 a = millisecondsOf(previous), b = millisecondsOf(id);
            QVERIFY(b >= a);
            if (b > a) {
                QVERIFY2(previous < id, qPrintable(previous + QLatin1String(" !< ") + id));
                ++crossings;
            }
            previous = id;
        }
        QCOMPARE(crossings, 20);
        // Across a tick of the millisecond clock, and as sorting would see it.
        const QString early = RandomToken::timeOrderedUuid();
        const qint64 earlyMs = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(QTest::qWaitFor([earlyMs] { return QDateTime::currentMSecsSinceEpoch() > earlyMs + 1; }));
        const QString late = RandomToken::timeOrderedUuid();
        QVERIFY(early < late);
        QVERIFY(QUuid::fromString(early) < QUuid::fromString(late));
    }

    void timeOrderedUuidRandomBitsAreRandom()
    {
        // Each of the 62 bits after the time, version, counter and variant is set in about half of the ids:
        // a lost bit (masked, constant, or copied from the clock) is set in none or all of them.
        // 10000 draws: mean 5000, standard deviation 50; 4000..6000 is 20 deviations either way.
        constexpr int Count = 10000;
        std::array<int, 128> ones{};
        for (int i = 0; i < Count; ++i) {
            const QByteArray raw = QUuid::fromString(RandomToken::timeOrderedUuid()).toRfc4122();
            QCOMPARE(raw.size(), 16);
            for (int bit = 0; bit < 128; ++bit)
                ones[bit] += (quint8(raw[bit / 8]) >> (7 - bit % 8)) & 1;
        }
        int randomBits = 0;
        for (int bit = 48; bit < 128; ++bit) {
            if ((bit >= 48 && bit < 52) || bit == 64 || bit == 65) {
                // version 0111, variant 10
                const int expected = (bit == 49 || bit == 50 || bit == 51 || bit == 64) ? Count : 0;
                QCOMPARE(ones[bit], expected);
                continue;
            }
            if (bit >= 52 && bit < 64)
                continue; // the counter within a millisecond (oneThreadsIdsSortInTheOrderItMadeThem)
            ++randomBits;
            QVERIFY2(ones[bit] > 4000 && ones[bit] < 6000, qPrintable(QStringLiteral("bit %1 set %2 times").arg(bit).arg(ones[bit])));
        }
        QCOMPARE(randomBits, 62);
    }

    void timeOrderedUuidsFromTwoThreadsDiffer()
    {
        // The random pool is per thread; the threads' ids must not repeat each other.
        QStringList theirs;
        QThread *thread = QThread::create([&theirs] {
            for (int i = 0; i < 2000; ++i)
                theirs << RandomToken::timeOrderedUuid();
        });
        thread->start();
        QStringList ours;
        for (int i = 0; i < 2000; ++i)
            ours << RandomToken::timeOrderedUuid();
        QVERIFY(thread->wait(10000));
        delete thread;
        QSet<QString> all(ours.cbegin(), ours.cend());
        all.unite(QSet<QString>(theirs.cbegin(), theirs.cend()));
        QCOMPARE(all.size(), 4000);
        for (const QString &id : std::as_const(theirs))
            QVERIFY2(v7Layout().match(id).hasMatch(), qPrintable(id));
    }

    void randomUuidIsVersion4()
    {
        QSet<QString> seen;
        for (int i = 0; i < 1000; ++i) {
            const QString id = RandomToken::uuid();
            const QUuid uuid = QUuid::fromString(id);
            QCOMPARE(uuid.toString(QUuid::WithoutBraces), id);
            QCOMPARE(uuid.version(), QUuid::Random);
            QCOMPARE(uuid.variant(), QUuid::DCE);
            seen.insert(id);
        }
        QCOMPARE(seen.size(), 1000);
    }

    void urlSafeTokens()
    {
        const QString token = RandomToken::urlSafe();
        QCOMPARE(token.size(), 43); // 32 bytes, base64 without padding
        QVERIFY(QRegularExpression(QStringLiteral("^[A-Za-z0-9_-]+$")).match(token).hasMatch());
        QCOMPARE(RandomToken::urlSafe(8).size(), 11);
        QVERIFY(RandomToken::urlSafe() != token);
    }
};

QTEST_GUILESS_MAIN(tst_RandomToken)
#include "tst_randomtoken.moc"
