// TimerWheel / WheelTimer: timers fire no earlier than asked and at most one tick later; restart,
// stop and destruction from inside callbacks; delays past one revolution; time jumps. Driven by an
// injected clock (no sleeps), except one test of the self-driving wheel on the event loop.
#include <QElapsedTimer>
#include <QTest>

#include "timing/TimerWheel.h"
#include "timing/WheelTimer.h"

#include <memory>
#include <vector>

using namespace herald;

namespace {

struct FakeClock
{
    qint64 ms = 1'000'000; // not zero, so tick arithmetic starts off a round number
    TimerWheel::Clock fn()
    {
        return [this] { return ms; };
    }
};

} // namespace

class tst_TimerWheel : public QObject
{
    Q_OBJECT
private slots:
    void firesNotEarlyAndAtMostOneTickLate()
    {
        FakeClock clock;
        clock.ms += 37; // off the tick boundary
        TimerWheel wheel(100, 16, clock.fn());
        int fired = 0;
        WheelTimer timer(wheel, [&] { ++fired; });
        const qint64 due = clock.ms + 250;
        timer.start(250);
        QVERIFY(timer.isActive());
        QCOMPARE(wheel.armedCount(), 1);
        for (qint64 t = clock.ms; t < due; t += 10) {
            clock.ms = t;
            wheel.advance();
            QCOMPARE(fired, 0);
        }
        QCOMPARE(timer.remainingTimeMs(), due - clock.ms);
        while (fired == 0 && clock.ms < due + 200) {
            clock.ms += 10;
            wheel.advance();
        }
        QCOMPARE(fired, 1);
        QVERIFY(clock.ms >= due);
        QVERIFY(clock.ms <= due + wheel.tickMs());
        QVERIFY(!timer.isActive());
        QCOMPARE(timer.remainingTimeMs(), -1);
        QCOMPARE(wheel.armedCount(), 0);
        clock.ms += 10'000;
        wheel.advance();
        QCOMPARE(fired, 1); // single shot
    }

    void restartPostponesAndStopCancels()
    {
        FakeClock clock;
        TimerWheel wheel(100, 16, clock.fn());
        int fired = 0;
        WheelTimer timer(wheel, [&] { ++fired; });
        timer.start(1000);
        for (int i = 0; i < 20; ++i) { // a ping every 500 ms keeps a 1 s silence timer quiet
            clock.ms += 500;
            wheel.advance();
            timer.start(1000);
        }
        QCOMPARE(fired, 0);
        QCOMPARE(wheel.armedCount(), 1);
        timer.stop();
        QCOMPARE(wheel.armedCount(), 0);
        clock.ms += 5000;
        wheel.advance();
        QCOMPARE(fired, 0);
        timer.start(0); // zero: the next tick, never inside start()
        QCOMPARE(fired, 0);
        clock.ms += 100;
        wheel.advance();
        QCOMPARE(fired, 1);
    }

    void delaysBeyondOneRevolutionWaitTheirTurn()
    {
        FakeClock clock;
        TimerWheel wheel(10, 8, clock.fn()); // one revolution = 80 ms
        QList<int> order;
        WheelTimer longer(wheel, [&] { order << 2; });
        WheelTimer shorter(wheel, [&] { order << 1; });
        const qint64 start = clock.ms;
        longer.start(1005); // same slot as shorter after 12 revolutions
        shorter.start(45);
        qint64 firedLongerAt = -1;
        while (clock.ms < start + 2000) {
            clock.ms += 10;
            wheel.advance();
            if (order.size() == 2 && firedLongerAt < 0)
                firedLongerAt = clock.ms;
        }
        QCOMPARE(order, (QList<int>{1, 2}));
        QVERIFY(firedLongerAt >= start + 1005);
        QVERIFY(firedLongerAt <= start + 1005 + 10);
    }

    void aJumpInTimeFiresEverythingDue()
    {
        FakeClock clock;
        TimerWheel wheel(10, 8, clock.fn());
        int fired = 0;
        std::vector<std::unique_ptr<WheelTimer>> timers;
        for (int i = 0; i < 50; ++i) {
            timers.push_back(std::make_unique<WheelTimer>(wheel, [&] { ++fired; }));
            timers.back()->start(i * 7);
        }
        WheelTimer later(wheel, [&] { fired += 1000; });
        later.start(10'000);
        clock.ms += 400; // five revolutions at once (an event loop stalled for a while)
        wheel.advance();
        QCOMPARE(fired, 50);
        QCOMPARE(wheel.armedCount(), 1);
        clock.ms += 10'000;
        wheel.advance();
        QCOMPARE(fired, 1050);
    }

    void callbacksMayStopRestartOrDestroyTimers()
    {
        FakeClock clock;
        TimerWheel wheel(10, 8, clock.fn());
        int secondFired = 0, periodicFired = 0;
        auto second = std::make_unique<WheelTimer>(wheel, [&] { ++secondFired; });
        auto third = std::make_unique<WheelTimer>(wheel, [] { QFAIL("destroyed by the first callback"); });
        WheelTimer first(wheel, [&] {
            second->stop();  // due in the same advance: must not fire now
            third.reset();   // likewise, and gone
        });
        std::unique_ptr<WheelTimer> self;
        self = std::make_unique<WheelTimer>(wheel, [&] { self.reset(); }); // destroys itself
        WheelTimer *periodicPtr = nullptr;
        WheelTimer periodic(wheel, [&] {
            if (++periodicFired < 3)
                periodicPtr->start(20);
        });
        periodicPtr = &periodic;
        first.start(10);
        second.get()->start(30);
        third->start(30);
        self->start(30);
        periodic.start(20);
        clock.ms += 50;
        wheel.advance(); // first, self and periodic (once) in one pass
        QCOMPARE(secondFired, 0);
        QVERIFY(!third);
        QVERIFY(!self);
        QCOMPARE(periodicFired, 1);
        for (int i = 0; i < 10; ++i) {
            clock.ms += 10;
            wheel.advance();
        }
        QCOMPARE(periodicFired, 3);
        QCOMPARE(secondFired, 0);
        QCOMPARE(wheel.armedCount(), 0);
    }

    void manyTimersRestartedStayExact()
    {
        FakeClock clock;
        TimerWheel wheel(100, 1024, clock.fn());
        constexpr int Count = 20'000;
        std::vector<int> fired(Count, 0);
        std::vector<std::unique_ptr<WheelTimer>> timers;
        timers.reserve(Count);
        for (int i = 0; i < Count; ++i) {
            timers.push_back(std::make_unique<WheelTimer>(wheel, [&fired, i] { ++fired[size_t(i)]; }));
            timers.back()->start(60'000);
        }
        // Every odd timer is "pinged" each second for a minute and a half; even ones go silent.
        for (int second = 0; second < 90; ++second) {
            clock.ms += 1000;
            wheel.advance();
            for (int i = 1; i < Count; i += 2)
                timers[size_t(i)]->start(60'000);
        }
        for (int i = 0; i < Count; ++i)
            QCOMPARE(fired[size_t(i)], i % 2 == 0 ? 1 : 0);
        QCOMPARE(wheel.armedCount(), Count / 2);
    }

    void timersOutlivingTheWheelAreStopped()
    {
        FakeClock clock;
        auto wheel = std::make_unique<TimerWheel>(10, 8, clock.fn());
        WheelTimer timer(*wheel, [] { QFAIL("the wheel is gone"); });
        timer.start(100);
        wheel.reset();
        QVERIFY(!timer.isActive());
        timer.stop(); // and its destructor: nothing to touch
    }

    void drivesItselfOnTheEventLoop()
    {
        TimerWheel wheel(10, 64);
        bool fired = false;
        QElapsedTimer elapsed;
        elapsed.start();
        WheelTimer timer(wheel, [&] { fired = true; });
        timer.start(50);
        QTRY_VERIFY_WITH_TIMEOUT(fired, 5000);
        QVERIFY(elapsed.elapsed() >= 50);
        QCOMPARE(wheel.armedCount(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_TimerWheel)
#include "tst_timerwheel.moc"
