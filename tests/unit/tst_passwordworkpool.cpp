// PasswordWorkPool: Argon2id on worker threads with a bounded queue. The queue limit holds (jobs
// past it are refused at once, never run, and the refusal is signalled), results come back on
// the event loop's thread, and the loop keeps turning while hashes run.
#include "registry/PasswordHasher.h"
#include "registry/PasswordWorkPool.h"

#include <QSignalSpy>
#include <QThread>
#include <QTimer>
#include <QtTest>

using namespace herald;

namespace {
// Costly enough (tens of milliseconds) that a handful of submissions all land while the first runs.
const PasswordHasher SlowHasher(32 * 1024, 3);
} // namespace

class tst_PasswordWorkPool : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void queueLimitHolds()
    {
        const QString encoded = SlowHasher.hash(QStringLiteral("secret"));
        QVERIFY(!encoded.isEmpty());
        PasswordWorkPool pool(SlowHasher, 1, 2);
        QCOMPARE(pool.capacity(), 3);
        QSignalSpy refused(&pool, &PasswordWorkPool::refused);
        QList<bool> results;
        QList<bool> onLoopThread;
        int accepted = 0;
        for (int i = 0; i < 6; ++i) {
            const QString password = i % 2 ? QStringLiteral("wrong") : QStringLiteral("secret");
            accepted += pool.verify(password, encoded, this, [&](bool ok) {
                results.append(ok);
                onLoopThread.append(QThread::currentThread() == thread());
            }) ? 1 : 0;
        }
        QCOMPARE(accepted, 3);
        QCOMPARE(refused.count(), 3);
        QVERIFY(pool.pending() <= 3);
        QVERIFY(pool.retryAfterSecs() >= 1);

        // The event loop is free while the worker hashes: a zero timer fires before the first result.
        bool timerFired = false;
        int resultsWhenTimerFired = -1;
        QTimer::singleShot(0, this, [&] {
            timerFired = true;
            resultsWhenTimerFired = int(results.size());
        });
        QTRY_COMPARE_WITH_TIMEOUT(results.size(), 3, 20000);
        QVERIFY(timerFired);
        QCOMPARE(resultsWhenTimerFired, 0);
        QCOMPARE(results, (QList<bool>{true, false, true}));
        QCOMPARE(onLoopThread, (QList<bool>{true, true, true}));
        QTRY_COMPARE(pool.pending(), 0);

        // Drained, it takes work again; refused jobs never ran (exactly three results came).
        bool hashed = false;
        QVERIFY(pool.hash(QStringLiteral("new"), this, [&](const QString &e) { hashed = SlowHasher.verify(QStringLiteral("new"), e); }));
        QTRY_VERIFY_WITH_TIMEOUT(hashed, 20000);
        QCOMPARE(results.size(), 3);
    }

    void resultForAGoneContextIsDropped()
    {
        const PasswordHasher cheap(256, 1);
        PasswordWorkPool pool(cheap, 1, 4);
        auto *context = new QObject;
        bool called = false;
        QVERIFY(pool.hash(QStringLiteral("x"), context, [&](const QString &) { called = true; }));
        delete context;
        QTRY_COMPARE(pool.pending(), 0);
        QCoreApplication::processEvents(); // deliver the queued result, which must find no context
        QVERIFY(!called);
    }

    void defaultIsOneThreadPerCore()
    {
        const PasswordHasher cheap(256, 1);
        PasswordWorkPool pool(cheap, 0, 0);
        QCOMPARE(pool.threads(), std::max(1, QThread::idealThreadCount()));
        QCOMPARE(pool.capacity(), pool.threads());
    }
};

QTEST_GUILESS_MAIN(tst_PasswordWorkPool)
#include "tst_passwordworkpool.moc"
