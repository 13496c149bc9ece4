// LastSeenCoalescer: at most one last-seen write per device per interval; the latest touch of an
// interval is written when it ends; devices are independent; quiet devices are forgotten; what a
// sweep finds due is handed over in bounded lists, not one write per device.
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

    // Flattens the lists handed over; `calls` counts the hand-overs.
    static LastSeenCoalescer::Write recorder(QList<Write> *writes, int *calls = nullptr)
    {
        return [writes, calls](const QList<LastSeenCoalescer::Seen> &seen) {
            if (calls)
                ++*calls;
            for (const auto &[device, at] : seen)
                writes->append({device, at});
        };
    }

private Q_SLOTS:
    void oneWritePerDevicePerInterval()
    {
        QList<Write> writes;
        qint64 now = 0;
        LastSeenCoalescer c(30'000, recorder(&writes));
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
        LastSeenCoalescer c(1'000, recorder(&writes));
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
        LastSeenCoalescer c(60'000, recorder(&writes));
        c.touch(1, t(0));
        c.touch(1, t(1));
        QCOMPARE(writes.size(), 1);
        c.flushAll();
        QCOMPARE(writes.size(), 2);
        QCOMPARE(writes.at(1).at, t(1));
    }

    void aSweepHandsOverBoundedLists()
    {
        // Devices that connected together fall due together: 2 500 of them must not become 2 500
        // writes (on PostgreSQL, 2 500 round trips queued before the next event's rows).
        QList<Write> writes;
        int calls = 0;
        qint64 now = 0;
        LastSeenCoalescer c(30'000, recorder(&writes, &calls));
        c.setClock([&] { return now; });
        c.setMaxBatch(1'000);
        const int n = 2'500;
        for (int d = 0; d < n; ++d)
            c.touch(d, t(0)); // written at once, one each: connections arrive one by one
        QCOMPARE(calls, n);
        now = 1'000;
        for (int d = 0; d < n; ++d)
            c.touch(d, t(d + 1)); // each its own time
        writes.clear();
        calls = 0;
        c.sweep();
        QCOMPARE(calls, 0); // nothing due yet
        now = 30'000;
        QSignalSpy handedOver(&c, &LastSeenCoalescer::listsHandedOver);
        c.sweep();
        QCOMPARE(calls, 1); // the first list at once, the others spaced out behind it
        QCOMPARE(c.waitingLists(), 2);
        QVERIFY(handedOver.wait());
        QCOMPARE(calls, 3); // 1 000 + 1 000 + 500
        QCOMPARE(writes.size(), n);
        QSet<qint64> devices;
        for (const Write &w : writes) {
            QCOMPARE(w.at, t(int(w.device) + 1));
            devices.insert(w.device);
        }
        QCOMPARE(devices.size(), n); // each once
        c.sweep(); // and not again
        QCOMPARE(calls, 3);
    }

    void anEmptySweepWritesNothing()
    {
        int calls = 0;
        QList<Write> writes;
        qint64 now = 0;
        LastSeenCoalescer c(1'000, recorder(&writes, &calls));
        c.setClock([&] { return now; });
        c.sweep();
        c.flushAll();
        QCOMPARE(calls, 0);
        c.touch(1, t(0));
        now = 5'000;
        c.sweep(); // due but nothing pending: forgotten, not written
        c.flushAll();
        QCOMPARE(calls, 1);
    }

    void shutdownFlushesInBoundedLists()
    {
        QList<Write> writes;
        int calls = 0;
        LastSeenCoalescer c(60'000, recorder(&writes, &calls));
        c.setMaxBatch(100);
        for (int d = 0; d < 250; ++d) {
            c.touch(d, t(0));
            c.touch(d, t(d + 1)); // held
        }
        writes.clear();
        calls = 0;
        c.flushAll();
        QCOMPARE(calls, 3);
        QCOMPARE(writes.size(), 250);
        for (const Write &w : writes)
            QCOMPARE(w.at, t(int(w.device) + 1));
        c.flushAll(); // flushed is flushed
        QCOMPARE(calls, 3);
    }

    void shutdownWritesWhatASweepStillHolds()
    {
        // The lists of a sweep not yet handed over are due writes: a clean stop must not lose them.
        QList<Write> writes;
        int calls = 0;
        qint64 now = 0;
        LastSeenCoalescer c(1'000, recorder(&writes, &calls));
        c.setClock([&] { return now; });
        c.setMaxBatch(100);
        c.setSpacing(3'600'000); // the timer never gets there
        for (int d = 0; d < 250; ++d)
            c.touch(d, t(0));
        for (int d = 0; d < 250; ++d)
            c.touch(d, t(d + 1));
        now = 500;
        c.touch(1'000, t(0)); // not due at the sweep below, pending at the stop
        c.touch(1'000, t(7));
        writes.clear();
        calls = 0;
        now = 1'000;
        c.sweep();
        QCOMPARE(calls, 1);
        QCOMPARE(c.waitingLists(), 2);
        c.flushAll();
        QCOMPARE(c.waitingLists(), 0);
        QCOMPARE(calls, 4); // the two waiting lists, then the pending touch
        QCOMPARE(writes.size(), 251);
        QCOMPARE(writes.constLast().device, 1'000);
        QCOMPARE(writes.constLast().at, t(7));
    }

    void zeroSpacingHandsAllOverAtOnce()
    {
        QList<Write> writes;
        int calls = 0;
        qint64 now = 0;
        LastSeenCoalescer c(1'000, recorder(&writes, &calls));
        c.setClock([&] { return now; });
        c.setMaxBatch(10);
        c.setSpacing(0);
        for (int d = 0; d < 35; ++d) {
            c.touch(d, t(0));
            c.touch(d, t(1));
        }
        calls = 0;
        now = 1'000;
        c.sweep();
        QCOMPARE(calls, 4);
        QCOMPARE(c.waitingLists(), 0);
    }

    void zeroIntervalWritesEveryTouch()
    {
        int writes = 0;
        LastSeenCoalescer c(0, [&](const QList<LastSeenCoalescer::Seen> &seen) { writes += int(seen.size()); });
        c.touch(1, t(0));
        c.touch(1, t(1));
        QCOMPARE(writes, 2);
    }

    void timerWritesWithoutHelp()
    {
        QList<Write> writes;
        LastSeenCoalescer c(200, recorder(&writes));
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
