// EpollEventDispatcher, installed as this test's main-thread dispatcher (see main() below), so
// every wait here, QSignalSpy's and QTRY's included, runs on it: timers (order, never early,
// repeat, stop and restart from the handler, no re-entry from a nested loop), socket notifiers
// (data, hang-up, disabled ones stay quiet, one deleting another of the same batch), and posted
// events from another thread waking a blocked loop; deferrable notifiers served after the others
// within a budget per pass, never starved, their mark gone with them.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTest>
#include <QTimer>

#include "timing/DeferrableNotifier.h"
#include "timing/EpollEventDispatcher.h"

#include "InProcessTls.h"

#include <sys/socket.h>
#include <unistd.h>

#include <thread>

using namespace herald;

namespace {

// A connected pair of local stream sockets, closed with the object.
struct SocketPair
{
    int fds[2] = {-1, -1};
    SocketPair() { ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds); }
    ~SocketPair()
    {
        for (int fd : fds)
            if (fd >= 0)
                ::close(fd);
    }
    void closeEnd(int i)
    {
        ::close(fds[i]);
        fds[i] = -1;
    }
};

} // namespace

class tst_EpollDispatcher : public QObject
{
    Q_OBJECT

private slots:
    void isInstalled()
    {
        QVERIFY(qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance()));
    }

    void timersFireInOrderAndNeverEarly()
    {
        QList<int> order;
        QElapsedTimer clock;
        clock.start();
        QList<qint64> at(3, 0);
        for (int ms : {30, 10, 20}) {
            QTimer::singleShot(ms, Qt::PreciseTimer, this, [&, ms] {
                order.append(ms);
                at[ms / 10 - 1] = clock.elapsed();
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 3, 5000);
        QCOMPARE(order, (QList<int>{10, 20, 30}));
        for (int i = 0; i < 3; ++i)
            QVERIFY2(at[i] >= (i + 1) * 10, qPrintable(QString::number(at[i])));
    }

    void repeatsStopsAndRestartsFromItsHandler()
    {
        QTimer timer;
        timer.setInterval(2);
        int ticks = 0;
        int restarts = 0;
        connect(&timer, &QTimer::timeout, this, [&] {
            if (++ticks == 3 && restarts == 0) {
                timer.stop(); // and at once again, with another interval: a new timer id
                ++restarts;
                timer.start(1);
            }
        });
        timer.start();
        QTRY_VERIFY_WITH_TIMEOUT(ticks >= 10, 5000);
        timer.stop();
        const int stoppedAt = ticks;
        QSignalSpy sentinel(this, &QObject::objectNameChanged);
        QTimer::singleShot(20, this, [this] { setObjectName(QStringLiteral("after")); });
        QVERIFY(sentinel.wait(5000));
        QCOMPARE(ticks, stoppedAt); // a stopped timer stays stopped
        QCOMPARE(restarts, 1);
    }

    void remainingTimeAndRegisteredTimers()
    {
        auto *dispatcher = QAbstractEventDispatcher::instance();
        QObject owner;
        const int id = owner.startTimer(10000);
        QVERIFY(id > 0);
        const int left = dispatcher->remainingTime(id);
        QVERIFY2(left > 9000 && left <= 10000, qPrintable(QString::number(left)));
        const auto timers = dispatcher->registeredTimers(&owner);
        QCOMPARE(timers.size(), 1);
        QCOMPARE(timers.first().timerId, id);
        QCOMPARE(timers.first().interval, 10000);
        owner.killTimer(id);
        QCOMPARE(dispatcher->remainingTime(id), -1);
        QVERIFY(dispatcher->registeredTimers(&owner).isEmpty());
        {
            QObject gone;
            gone.startTimer(5);
            gone.startTimer(6);
        } // its destructor unregisters both; nothing fires into a deleted object
        QSignalSpy sentinel(this, &QObject::objectNameChanged);
        QTimer::singleShot(20, this, [this] { setObjectName(QStringLiteral("past their time")); });
        QVERIFY(sentinel.wait(5000));
    }

    void aNestedLoopDoesNotReenterATimer()
    {
        QTimer timer;
        timer.setInterval(1);
        int depth = 0;
        int deepest = 0;
        int ticks = 0;
        connect(&timer, &QTimer::timeout, this, [&] {
            ++depth;
            deepest = qMax(deepest, depth);
            ++ticks;
            if (ticks <= 3) {
                QEventLoop nested;
                QTimer::singleShot(10, &nested, &QEventLoop::quit);
                nested.exec(); // its passes see this timer due again, and must not fire it
            }
            --depth;
        });
        timer.start();
        QTRY_VERIFY_WITH_TIMEOUT(ticks >= 6, 5000);
        timer.stop();
        QCOMPARE(deepest, 1);
    }

    void socketsCarryDataBothWays()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, server.serverPort());
        QVERIFY(server.waitForNewConnection(5000));
        QTcpSocket *peer = server.nextPendingConnection();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::ConnectedState, 5000);
        // A zero-interval timer fires on every pass; sockets must still be served.
        int idleTicks = 0;
        QTimer busy;
        busy.setInterval(0);
        connect(&busy, &QTimer::timeout, this, [&] { ++idleTicks; });
        busy.start();
        const QByteArray up(1 << 20, 'u');
        const QByteArray down(1 << 20, 'd');
        QByteArray gotUp, gotDown;
        connect(peer, &QTcpSocket::readyRead, this, [&] { gotUp += peer->readAll(); });
        connect(&client, &QTcpSocket::readyRead, this, [&] { gotDown += client.readAll(); });
        client.write(up);
        peer->write(down);
        QTRY_VERIFY_WITH_TIMEOUT(gotUp.size() == up.size() && gotDown.size() == down.size(), 10000);
        QCOMPARE(gotUp, up);
        QCOMPARE(gotDown, down);
        QVERIFY(idleTicks > 0);
        busy.stop();
        client.disconnectFromHost();
        QTRY_COMPARE_WITH_TIMEOUT(peer->state(), QAbstractSocket::UnconnectedState, 5000);
    }

    void disabledNotifiersStayQuiet()
    {
        SocketPair pair;
        QSocketNotifier reader(pair.fds[0], QSocketNotifier::Read);
        int activations = 0;
        connect(&reader, &QSocketNotifier::activated, this, [&] { ++activations; });
        reader.setEnabled(false);
        QCOMPARE(::write(pair.fds[1], "x", 1), 1);
        for (int i = 0; i < 10; ++i) // level-triggered: an enabled one fires on the first pass
            QCoreApplication::processEvents();
        QCOMPARE(activations, 0);
        reader.setEnabled(true);
        QTRY_VERIFY_WITH_TIMEOUT(activations > 0, 5000);
        char c;
        QCOMPARE(::read(pair.fds[0], &c, 1), 1);
        reader.setEnabled(false);
        const int seen = activations;
        for (int i = 0; i < 10; ++i)
            QCoreApplication::processEvents();
        QCOMPARE(activations, seen);
    }

    void hangUpWakesTheReaderAndALoneWriter()
    {
        SocketPair pair;
        QSocketNotifier reader(pair.fds[0], QSocketNotifier::Read);
        QSignalSpy readable(&reader, &QSocketNotifier::activated);
        pair.closeEnd(1);
        QVERIFY(readable.wait(5000));
        char c;
        QCOMPARE(::read(pair.fds[0], &c, 1), ssize_t(0)); // the end

        SocketPair other;
        QSocketNotifier writer(other.fds[0], QSocketNotifier::Write);
        QSignalSpy writable(&writer, &QSocketNotifier::activated);
        QVERIFY(writable.wait(5000)); // writable at once
        writer.setEnabled(false);
        other.closeEnd(1);
        writable.clear();
        writer.setEnabled(true);
        QVERIFY(writable.wait(5000));
    }

    void regularFilesAreAlwaysReady()
    {
        // epoll refuses regular files (EPERM); poll(2) calls them ready, and so must this.
        QTemporaryFile file;
        QVERIFY(file.open());
        QSocketNotifier reader(file.handle(), QSocketNotifier::Read);
        QSignalSpy readable(&reader, &QSocketNotifier::activated);
        QVERIFY(readable.wait(5000));
        reader.setEnabled(false);
        const int seen = readable.size();
        for (int i = 0; i < 10; ++i)
            QCoreApplication::processEvents();
        QCOMPARE(readable.size(), seen);
        // A blocking wait still works with no such notifier left.
        QSignalSpy sentinel(this, &QObject::objectNameChanged);
        QTimer::singleShot(5, this, [this] { setObjectName(QStringLiteral("files done")); });
        QVERIFY(sentinel.wait(5000));
    }

    void aHandlerMayDeleteAnotherNotifierOfTheSameBatch()
    {
        SocketPair a, b;
        auto *first = new QSocketNotifier(a.fds[0], QSocketNotifier::Read);
        auto *second = new QSocketNotifier(b.fds[0], QSocketNotifier::Read);
        QPointer<QSocketNotifier> firstAlive(first), secondAlive(second);
        int fired = 0;
        // Whichever comes first reads its byte and deletes the other; the deleted one, though
        // ready in the same epoll batch, is never activated.
        connect(first, &QSocketNotifier::activated, this, [&] {
            ++fired;
            char c;
            QCOMPARE(::read(a.fds[0], &c, 1), ssize_t(1));
            delete secondAlive.data();
        });
        connect(second, &QSocketNotifier::activated, this, [&] {
            ++fired;
            char c;
            QCOMPARE(::read(b.fds[0], &c, 1), ssize_t(1));
            delete firstAlive.data();
        });
        QCOMPARE(::write(a.fds[1], "x", 1), 1);
        QCOMPARE(::write(b.fds[1], "y", 1), 1);
        QTRY_VERIFY_WITH_TIMEOUT(fired > 0, 5000);
        for (int i = 0; i < 5; ++i)
            QCoreApplication::processEvents();
        QCOMPARE(fired, 1);
        QCOMPARE(firstAlive.isNull() + secondAlive.isNull(), 1);
        delete firstAlive.data();
        delete secondAlive.data();
    }

    void deferrableWorkWaitsBehindTheRestWithinABudget()
    {
        auto *dispatcher = qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
        QVERIFY(dispatcher);
        // Each deferrable handler takes at least 1 ms (a stand-in for a TLS handshake), so the
        // 2 ms budget lets at most two of them run in one pass, however fast the machine is.
        static_assert(EpollEventDispatcher::DeferrableBudgetNs == 2'000'000);
        constexpr int Deferrable = 12;
        int pass = 0;
        connect(dispatcher, &QAbstractEventDispatcher::awake, this, [&] { ++pass; });
        QList<std::pair<QString, int>> served; // who, in which pass
        bool laterWritten = false;

        SocketPair established, later;
        QSocketNotifier normal(established.fds[0], QSocketNotifier::Read);
        QSocketNotifier normalLater(later.fds[0], QSocketNotifier::Read);
        auto serve = [&](int fd, const QString &who) {
            char c;
            QCOMPARE(::read(fd, &c, 1), ssize_t(1));
            served.append({who, pass});
        };
        connect(&normal, &QSocketNotifier::activated, this, [&] { serve(established.fds[0], QStringLiteral("normal")); });
        connect(&normalLater, &QSocketNotifier::activated, this, [&] { serve(later.fds[0], QStringLiteral("later")); });

        std::vector<std::unique_ptr<SocketPair>> pairs;
        std::vector<std::unique_ptr<QSocketNotifier>> notifiers;
        for (int i = 0; i < Deferrable; ++i) {
            pairs.push_back(std::make_unique<SocketPair>());
            const int fd = pairs.back()->fds[0];
            notifiers.push_back(std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read));
            setNotifierDeferrable(*notifiers.back(), true);
            QVERIFY(isNotifierDeferrable(*notifiers.back()));
            connect(notifiers.back().get(), &QSocketNotifier::activated, this, [&, fd, i] {
                QElapsedTimer busy;
                busy.start();
                while (busy.nsecsElapsed() < 1'000'000) {
                }
                // The first one served makes an established client ready while most newcomers wait.
                if (!laterWritten) {
                    laterWritten = true;
                    QCOMPARE(::write(later.fds[1], "l", 1), 1);
                }
                serve(fd, QStringLiteral("newcomer"));
            });
            QCOMPARE(::write(pairs.back()->fds[1], "d", 1), 1);
        }
        QCOMPARE(::write(established.fds[1], "n", 1), 1);

        QTRY_COMPARE_WITH_TIMEOUT(served.size(), Deferrable + 2, 10000);
        // All were ready in the first pass: the established client went first.
        QCOMPARE(served.constFirst().first, QStringLiteral("normal"));
        QHash<int, int> newcomersPerPass;
        for (const auto &[who, inPass] : std::as_const(served))
            if (who == QStringLiteral("newcomer"))
                ++newcomersPerPass[inPass];
        for (auto it = newcomersPerPass.cbegin(); it != newcomersPerPass.cend(); ++it)
            QVERIFY2(it.value() <= 2, qPrintable(QStringLiteral("%1 newcomers in one pass").arg(it.value())));
        // The client that became ready behind them was served within a pass or two, well before
        // the newcomers were all through.
        qsizetype laterAt = -1;
        for (qsizetype i = 0; i < served.size(); ++i)
            if (served.at(i).first == QStringLiteral("later"))
                laterAt = i;
        QVERIFY2(laterAt >= 0 && laterAt <= 6, qPrintable(QString::number(laterAt)));
        disconnect(dispatcher, &QAbstractEventDispatcher::awake, this, nullptr);
    }

    void aDeferrableMarkEndsWithItsNotifier()
    {
        SocketPair pair;
        auto first = std::make_unique<QSocketNotifier>(pair.fds[0], QSocketNotifier::Read);
        QVERIFY(!isNotifierDeferrable(*first));
        setNotifierDeferrable(*first, true);
        QVERIFY(isNotifierDeferrable(*first));
        setNotifierDeferrable(*first, false);
        QVERIFY(!isNotifierDeferrable(*first));
        setNotifierDeferrable(*first, true);
        const QSocketNotifier *address = first.get();
        first.reset();
        // A new notifier, perhaps at the same address, for the same descriptor starts unmarked,
        // and a descriptor with any unmarked notifier is served as usual.
        auto second = std::make_unique<QSocketNotifier>(pair.fds[0], QSocketNotifier::Read);
        QVERIFY(!isNotifierDeferrable(*second));
        QVERIFY(!qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance())->isDeferrable(address));
        bool fired = false;
        connect(second.get(), &QSocketNotifier::activated, this, [&] {
            char c;
            QCOMPARE(::read(pair.fds[0], &c, 1), ssize_t(1));
            fired = true;
        });
        QCOMPARE(::write(pair.fds[1], "x", 1), 1);
        QTRY_VERIFY_WITH_TIMEOUT(fired, 5000);
    }

    void postsFromAnotherThreadWakeABlockedLoop()
    {
        // Nothing else is due for 10 s: only the wake-up can end the loop sooner.
        QEventLoop loop;
        bool timedOut = false;
        QTimer::singleShot(10000, &loop, [&] {
            timedOut = true;
            loop.quit();
        });
        bool delivered = false;
        std::thread poster([&] {
            QMetaObject::invokeMethod(
                &loop,
                [&] {
                    delivered = true;
                    loop.quit();
                },
                Qt::QueuedConnection);
        });
        loop.exec();
        poster.join();
        QVERIFY(delivered);
        QVERIFY(!timedOut);
    }
};

int main(int argc, char **argv)
{
    return herald::test::execOnEpollDispatcher(argc, argv, [] { return new tst_EpollDispatcher; });
}

#include "tst_epolldispatcher.moc"
