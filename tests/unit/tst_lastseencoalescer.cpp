// LastSeenCoalescer: at most one last-seen write per device per interval; the latest touch of an
// interval is written when it ends; devices are independent; quiet devices are forgotten.
#include "registry/LastSeenCoalescer.h"

#include <QtTest>

using namespace herald;

class tst_LastSeenCoalescer : public QObject
{
    Q_OBJECT

    struct Write
    {
        qint64 device;
        QDateTime at;
    };

    static QDateTime t(int s) { return QDateTime::fromSecsSinceEpoch(1'700'000'000 + s, Qt::UTC); }

private Q_SLOTS:
    void oneWritePerDevicePerInterval()
    {
        QList<Write> writes;
        qint64 now = 0;
        LastSeenCoalescer c(30'000, [&](qint64 d, const QDateTime &at) { writes.append({d, at}); });
        c.setClock([&] { return now; });

        c.touch(1, t(0)); // the first touch is written at once
        QCOMPARE(writes.size(), 1);
        for (int i = 1; i <= 100; ++i) { // a chatty device: 100 touches within the interval
            now = i * 100;
            c.touch(1, t(i));
        }
        c.touch(2, t(5)); // another device is not held back by the first
        QCOMPARE(writes.size(), 2);
        QCOMPARE(writes.at(1).device, 2);
        c.sweep();
        QCOMPARE(writes.size(), 2); // nothing is due within the interval

        now = 30'000;
        c.sweep(); // the interval ended: the latest touch of device 1 is written, once
        QCOMPARE(writes.size(), 3);
        QCOMPARE(writes.at(2).device, 1);
        QCOMPARE(writes.at(2).at, t(100));
        c.sweep();
        QCOMPARE(writes.size(), 3);

        now = 30'500; // right after that write, a touch waits again
        c.touch(1, t(200));
        QCOMPARE(writes.size(), 3);
        now = 60'000;
        c.sweep();
        QCOMPARE(writes.size(), 4);
        QCOMPARE(writes.at(3).at, t(200));
    }

    void quietDevicesAreForgotten()
    {
        QList<Write> writes;
        qint64 now = 0;
        LastSeenCoalescer c(1'000, [&](qint64 d, const QDateTime &at) { writes.append({d, at}); });
        c.setClock([&] { return now; });
        for (int d = 0; d < 10'000; ++d)
            c.touch(d, t(0));
        QCOMPARE(c.tracked(), 10'000);
        now = 1'000;
        c.sweep();
        QCOMPARE(c.tracked(), 0);
        QCOMPARE(writes.size(), 10'000);
        c.touch(7, t(3)); // forgotten means a new touch writes at once
        QCOMPARE(writes.size(), 10'001);
    }

    void pendingTouchesAreFlushedAtShutdown()
    {
        QList<Write> writes;
        LastSeenCoalescer c(60'000, [&](qint64 d, const QDateTime &at) { writes.append({d, at}); });
        c.touch(1, t(0));
        c.touch(1, t(1));
        QCOMPARE(writes.size(), 1);
        c.flushAll();
        QCOMPARE(writes.size(), 2);
        QCOMPARE(writes.at(1).at, t(1));
    }

    void zeroIntervalWritesEveryTouch()
    {
        int writes = 0;
        LastSeenCoalescer c(0, [&](qint64, const QDateTime &) { ++writes; });
        c.touch(1, t(0));
        c.touch(1, t(1));
        QCOMPARE(writes, 2);
    }

    void timerWritesWithoutHelp()
    {
        QList<Write> writes;
        LastSeenCoalescer c(200, [&](qint64 d, const QDateTime &at) { writes.append({d, at}); });
        c.startTimer();
        c.touch(1, t(0));
        c.touch(1, t(1));
        QCOMPARE(writes.size(), 1);
        QTRY_COMPARE(writes.size(), 2); // the sweep timer writes the held touch
        QCOMPARE(writes.at(1).at, t(1));
    }
};

QTEST_GUILESS_MAIN(tst_LastSeenCoalescer)
#include "tst_lastseencoalescer.moc"
