// The background writer (BackgroundWriter behind SqliteStorage::writeInBackground, on while group
// commit is): units run on a thread and connection of their own, one transaction per hand-off, a
// failing unit undone alone, `done` back on the event loop in order; a unit alone runs between
// batches; whenDurable() waits for them;
// the main connection's group commit and the writer never step on each other; close() drains; the
// event-targets cache sees other connections' changes (the writer's too) from the next pass.
#include "storage/BackgroundWriter.h"
#include "storage/SqliteStorage.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <sqlite3.h>

using namespace herald;

namespace {

NotificationRecord notification(const QString &id, qint64 accountId, const QString &eventId)
{
    NotificationRecord n;
    n.id = id;
    n.accountId = accountId;
    n.app = QStringLiteral("mail");
    n.source = QStringLiteral("test");
    n.eventId = eventId;
    n.receivedAt = n.createdAt = QDateTime::currentDateTimeUtc();
    n.expiresAt = n.createdAt.addDays(1);
    n.state = NotificationState::Active;
    return n;
}

} // namespace

class tst_BackgroundWriter : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_n = 0;
    QString freshPath() { return m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++m_n)); }

    // A connection of the test's own: sees only what is committed.
    static int count(const QString &path, const QString &table)
    {
        sqlite3 *db = nullptr;
        int n = -1;
        if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
            sqlite3_stmt *s = nullptr;
            const QByteArray sql = "SELECT count(*) FROM " + table.toUtf8();
            if (sqlite3_prepare_v2(db, sql.constData(), -1, &s, nullptr) == SQLITE_OK &&
                sqlite3_step(s) == SQLITE_ROW)
                n = sqlite3_column_int(s, 0);
            sqlite3_finalize(s);
        }
        sqlite3_close_v2(db);
        return n;
    }

    struct Opened
    {
        std::unique_ptr<SqliteStorage> storage;
        qint64 account = 0;
    };
    Opened open(const QString &path, bool groupCommit = true)
    {
        Opened o;
        o.storage = std::make_unique<SqliteStorage>(path);
        QString error;
        if (!o.storage->open(&error))
            qWarning() << error;
        o.account = o.storage->createAccount(QStringLiteral("alice"), QStringLiteral("h")).value_or(0);
        if (groupCommit)
            o.storage->setGroupCommit(true);
        return o;
    }

    // One unit that stores notification `id` of the account.
    static void storeInBackground(const Opened &o, const QString &id, const QString &eventId,
                                  std::function<void(bool)> done)
    {
        o.storage->writeInBackground(
            [n = notification(id, o.account, eventId)](Storage &s) { return s.insertNotification(n); },
            std::move(done));
    }

private Q_SLOTS:
    void unitsRunOffTheLoopAndReportInOrder()
    {
        const QString path = freshPath();
        Opened o = open(path);
        QVERIFY(o.account > 0);
        Qt::HANDLE loop = QThread::currentThreadId();
        QList<int> order;
        std::atomic<bool> offLoop{true};
        for (int i = 0; i < 50; ++i) {
            const NotificationRecord n =
                notification(QStringLiteral("n%1").arg(i), o.account, QString::number(i));
            o.storage->writeInBackground(
                [n, loop, &offLoop](Storage &s) {
                    if (QThread::currentThreadId() == loop)
                        offLoop = false;
                    return s.insertNotification(n);
                },
                [&order, i, loop](bool ok) {
                    QVERIFY(ok);
                    QCOMPARE(QThread::currentThreadId(), loop);
                    order << i;
                });
        }
        QVERIFY(order.isEmpty()); // nothing is written, or reported, inside the call
        QTRY_COMPARE(order.size(), 50);
        QList<int> expected;
        for (int i = 0; i < 50; ++i)
            expected << i;
        QCOMPARE(order, expected);
        QVERIFY(offLoop);
        QCOMPARE(count(path, QStringLiteral("notifications")), 50);
    }

    void aFailingUnitIsUndoneAlone()
    {
        const QString path = freshPath();
        Opened o = open(path);
        QList<bool> results;
        auto report = [&results](bool ok) { results << ok; };
        // Unit 2 writes a row, then fails: its row goes, the units around it stay.
        storeInBackground(o, QStringLiteral("a"), QStringLiteral("1"), report);
        o.storage->writeInBackground([n = notification(QStringLiteral("b"), o.account, QStringLiteral("2"))](
                                         Storage &s) { return s.insertNotification(n) && false; },
                                     report);
        // Unit 3 has unit 1's id: the statement itself fails.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("UNIQUE constraint failed")));
        storeInBackground(o, QStringLiteral("a"), QStringLiteral("3"), report);
        storeInBackground(o, QStringLiteral("d"), QStringLiteral("4"), report);
        QTRY_COMPARE(results.size(), 4);
        QCOMPARE(results, QList<bool>({true, false, false, true}));
        QCOMPARE(count(path, QStringLiteral("notifications")), 2);
        QVERIFY(o.storage->notificationById(QStringLiteral("a")));
        QVERIFY(!o.storage->notificationById(QStringLiteral("b")));
        QVERIFY(o.storage->notificationById(QStringLiteral("d")));
    }

    void aUnitAloneRunsBetweenBatches()
    {
        // The outbox claim's kind (writeAloneInBackground): it opens its own transactions, so it
        // finds none open, and what was submitted before it is already committed.
        const QString path = freshPath();
        Opened o = open(path);
        QList<QString> order;
        storeInBackground(o, QStringLiteral("a"), QStringLiteral("1"), [&](bool ok) { order << (ok ? "a" : "a failed"); });
        int seenBefore = -1;
        int seenAfter = -1;
        o.storage->writeAloneInBackground(
            [&, n = notification(QStringLiteral("b"), o.account, QStringLiteral("2"))](Storage &s) {
                seenBefore = count(path, QStringLiteral("notifications"));
                const bool ok = s.insertNotification(n); // no transaction around it: committed at once
                seenAfter = count(path, QStringLiteral("notifications"));
                return ok;
            },
            [&](bool ok) { order << (ok ? "alone" : "alone failed"); });
        storeInBackground(o, QStringLiteral("c"), QStringLiteral("3"), [&](bool ok) { order << (ok ? "c" : "c failed"); });
        QTRY_COMPARE(order.size(), 3);
        QCOMPARE(order, QList<QString>({QStringLiteral("a"), QStringLiteral("alone"), QStringLiteral("c")}));
        QCOMPARE(seenBefore, 1);
        QCOMPARE(seenAfter, 2);
        QCOMPARE(count(path, QStringLiteral("notifications")), 3);

        // What it returns is what `done` gets; the units around it are not affected.
        QList<bool> results;
        storeInBackground(o, QStringLiteral("d"), QStringLiteral("4"), [&](bool ok) { results << ok; });
        o.storage->writeAloneInBackground([](Storage &) { return false; }, [&](bool ok) { results << ok; });
        storeInBackground(o, QStringLiteral("e"), QStringLiteral("5"), [&](bool ok) { results << ok; });
        QTRY_COMPARE(results.size(), 3);
        QCOMPARE(results, QList<bool>({true, false, true}));
        QCOMPARE(count(path, QStringLiteral("notifications")), 5);
    }

    void aFailedCommitFailsTheWholeHandOver()
    {
        const QString path = freshPath();
        Opened o = open(path);
        QList<bool> results;
        auto report = [&results](bool ok) { results << ok; };
        storeInBackground(o, QStringLiteral("a"), QStringLiteral("1"), report);
        // A delivery of no notification with the check deferred: the unit succeeds, COMMIT fails.
        o.storage->writeInBackground(
            [](Storage &s) {
                auto &sqlite = dynamic_cast<SqliteStorage &>(s);
                sqlite3_exec(sqlite.nativeHandle(), "PRAGMA defer_foreign_keys = ON", nullptr, nullptr,
                             nullptr);
                DeliveryRecord orphan;
                orphan.id = QStringLiteral("d-orphan");
                orphan.notificationId = QStringLiteral("no-such-notification");
                orphan.deviceId = 4242;
                orphan.state = DeliveryState::Pending;
                return s.insertDelivery(orphan);
            },
            report);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("COMMIT failed")));
        QTRY_COMPARE(results.size(), 2);
        QCOMPARE(results, QList<bool>({false, false}));
        QCOMPARE(count(path, QStringLiteral("notifications")), 0);
        // The next hand-off is a transaction of its own again.
        storeInBackground(o, QStringLiteral("c"), QStringLiteral("3"), report);
        QTRY_COMPARE(results.size(), 3);
        QVERIFY(results.last());
        QCOMPARE(count(path, QStringLiteral("notifications")), 1);
    }

    void whenDurableWaitsForBackgroundWrites()
    {
        // Answers that promise "stored" go out through whenDurable: they must not overtake the rows.
        const QString path = freshPath();
        Opened o = open(path);
        QList<QString> events;
        for (int i = 0; i < 20; ++i) {
            storeInBackground(o, QStringLiteral("n%1").arg(i), QString::number(i),
                              [&events, i](bool) { events << QStringLiteral("done%1").arg(i); });
            o.storage->whenDurable([&events, i, path](bool ok) {
                QVERIFY(ok);
                QVERIFY(count(path, QStringLiteral("notifications")) >= i + 1); // one hand-off may carry all
                events << QStringLiteral("durable%1").arg(i);
            });
        }
        QTRY_COMPARE(events.size(), 40);
        int lastDurable = -1;
        for (int i = 0; i < 20; ++i) {
            const int durableAt = int(events.indexOf(QStringLiteral("durable%1").arg(i)));
            QVERIFY(durableAt > events.indexOf(QStringLiteral("done%1").arg(i)));
            QVERIFY(durableAt > lastDurable); // and the answers keep their order
            lastDurable = durableAt;
        }
    }

    void mainWritesAndBackgroundWritesInterleave()
    {
        // The group-commit batch of the main connection and the writer's transactions take turns
        // (one write lock): many passes of both, nothing lost, nothing BUSY.
        const QString path = freshPath();
        Opened o = open(path);
        int done = 0, durable = 0;
        for (int pass = 0; pass < 30; ++pass) {
            for (int i = 0; i < 20; ++i) {
                const int k = pass * 20 + i;
                storeInBackground(o, QStringLiteral("n%1").arg(k), QString::number(k),
                                  [&done](bool ok) { done += ok; });
                QVERIFY(o.storage->createAccount(QStringLiteral("main%1").arg(k), QStringLiteral("h")));
            }
            o.storage->whenDurable([&durable](bool ok) { durable += ok; });
            QCoreApplication::processEvents(); // ends the pass: both commit
        }
        QTRY_COMPARE(done, 600);
        QTRY_COMPARE(durable, 30);
        QCOMPARE(count(path, QStringLiteral("notifications")), 600);
        QCOMPARE(count(path, QStringLiteral("accounts")), 601);
    }

    void eventTargetsSeeTheWritersChangesToWatchedTables()
    {
        // The writer is another connection: a change it makes to logins must drop cached targets,
        // while its outbox writes (many a second) must not.
        const QString path = freshPath();
        Opened o = open(path);
        QVERIFY(!o.storage->eventTargets(QStringLiteral("alice"), QStringLiteral("mail"))->loggedIn);
        bool written = false;
        o.storage->writeInBackground(
            [account = o.account](Storage &s) {
                return s.upsertLogin(account, QStringLiteral("mail"), QByteArray());
            },
            [&written](bool ok) { written = ok; });
        QTRY_VERIFY(written);
        QVERIFY(o.storage->eventTargets(QStringLiteral("alice"), QStringLiteral("mail"))->loggedIn);
    }

    void otherConnectionsChangesShowFromTheNextPass()
    {
        // In the server's write mode the counter of other connections' changes is read once per
        // event-loop pass; this connection's own writes show at once.
        const QString path = freshPath();
        Opened o = open(path);
        SqliteStorage other(path);
        QString error;
        QVERIFY2(other.open(&error), qPrintable(error));
        const QString alice = QStringLiteral("alice");
        QVERIFY(!o.storage->eventTargets(alice, QStringLiteral("mail"))->loggedIn);
        QVERIFY(other.upsertLogin(o.account, QStringLiteral("mail"), QByteArray()));
        QCoreApplication::processEvents(); // the pass ends
        QVERIFY(o.storage->eventTargets(alice, QStringLiteral("mail"))->loggedIn);
        QVERIFY(!o.storage->eventTargets(alice, QStringLiteral("im"))->loggedIn);
        QVERIFY(o.storage->upsertLogin(o.account, QStringLiteral("im"), QByteArray()));
        QVERIFY(o.storage->eventTargets(alice, QStringLiteral("im"))->loggedIn); // same pass
        QCoreApplication::processEvents(); // commits that write: the other connection may write again
        QVERIFY(other.setAccountDisabled(o.account, true));
        QCoreApplication::processEvents();
        QVERIFY(o.storage->eventTargets(alice, QStringLiteral("mail"))->account.disabled);
    }

    void closeDrainsWhatWasSubmitted()
    {
        const QString path = freshPath();
        Opened o = open(path);
        int done = 0;
        for (int i = 0; i < 100; ++i)
            storeInBackground(o, QStringLiteral("n%1").arg(i), QString::number(i),
                              [&done](bool ok) { done += ok; });
        o.storage->close(); // no event loop pass in between
        QCOMPARE(done, 100);
        QCOMPARE(count(path, QStringLiteral("notifications")), 100);
    }

    void unitsSubmittedWhileClosingStillRun()
    {
        // A `done` delivered by close() may write again (an event's dispatch records an outcome):
        // the writer is gone by then, so that unit runs at once on the main connection.
        const QString path = freshPath();
        Opened o = open(path);
        bool second = false;
        storeInBackground(o, QStringLiteral("first"), QStringLiteral("1"), [&o, &second](bool ok) {
            QVERIFY(ok);
            storeInBackground(o, QStringLiteral("second"), QStringLiteral("2"), [&second](bool ok) { second = ok; });
        });
        o.storage->close();
        QVERIFY(second);
        QCOMPARE(count(path, QStringLiteral("notifications")), 2);
    }

    void withoutGroupCommitItRunsAtOnce()
    {
        // Tools and tests: no writer thread, the unit is committed when the call returns.
        const QString path = freshPath();
        Opened o = open(path, false);
        bool reported = false, ranHere = false;
        Qt::HANDLE loop = QThread::currentThreadId();
        o.storage->writeInBackground(
            [&ranHere, loop,
             n = notification(QStringLiteral("n"), o.account, QStringLiteral("1"))](Storage &s) {
                ranHere = QThread::currentThreadId() == loop;
                return s.insertNotification(n);
            },
            [&reported](bool ok) { reported = ok; });
        QVERIFY(reported);
        QVERIFY(ranHere);
        QCOMPARE(count(path, QStringLiteral("notifications")), 1);
        // A failing unit leaves nothing behind there either.
        o.storage->writeInBackground([n = notification(QStringLiteral("m"), o.account, QStringLiteral("2"))](
                                         Storage &s) { return s.insertNotification(n) && false; },
                                     [&reported](bool ok) { reported = ok; });
        QVERIFY(!reported);
        QCOMPARE(count(path, QStringLiteral("notifications")), 1);
    }

    void durabilityReachesEveryWritingConnection_data()
    {
        QTest::addColumn<bool>("power");
        QTest::addColumn<int>("synchronous");
        QTest::newRow("process") << false << 1; // NORMAL
        QTest::newRow("power") << true << 2;    // FULL
    }

    void durabilityReachesEveryWritingConnection()
    {
        QFETCH(bool, power);
        QFETCH(int, synchronous);
        const Durability durability = power ? Durability::Power : Durability::Process;
        auto pragma = [](sqlite3 *db) {
            sqlite3_stmt *stmt = nullptr;
            int value = -1;
            if (sqlite3_prepare_v2(db, "PRAGMA synchronous", -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
                value = sqlite3_column_int(stmt, 0);
            sqlite3_finalize(stmt);
            return value;
        };
        SqliteStorage storage(freshPath(), durability);
        QString error;
        QVERIFY2(storage.open(&error), qPrintable(error));
        QCOMPARE(pragma(storage.nativeHandle()), synchronous);
        storage.setGroupCommit(true);
        // The background writer's own connection must promise the same, or the outbox writes would not.
        int writer = -1;
        bool done = false;
        storage.writeInBackground(
            [&writer, &pragma](Storage &s) {
                writer = pragma(static_cast<SqliteStorage &>(s).nativeHandle());
                return true;
            },
            [&done](bool) { done = true; });
        QTRY_VERIFY(done);
        QCOMPARE(writer, synchronous);
        storage.setGroupCommit(false);
    }

    void aWriterThatCannotOpenIsReported()
    {
        BackgroundWriter writer;
        std::mutex lock;
        QString error;
        const QString path = m_dir.filePath(QStringLiteral("no/such/dir/db.sqlite"));
        auto open = [path](QString *error) -> std::unique_ptr<SqlStorage> {
            auto storage = std::make_unique<SqliteStorage>(path);
            return storage->open(error) ? std::move(storage) : nullptr;
        };
        QVERIFY(!writer.start(open, &lock, &error));
        QVERIFY2(error.contains(QLatin1String("cannot open")), qPrintable(error));
        QVERIFY(!writer.isRunning());
    }

    void writerCheckpointsGoToTheCheckpointer()
    {
        // The writer's COMMITs must not copy the WAL back themselves (SQLite's automatic checkpoint):
        // its connection's WAL hook belongs to the checkpointer thread, as the main connection's does.
        const QString path = freshPath();
        Opened o = open(path);
        int autocheckpoint = -1;
        bool read = false;
        o.storage->writeInBackground(
            [&autocheckpoint](Storage &s) {
                sqlite3_stmt *st = nullptr;
                sqlite3 *db = dynamic_cast<SqliteStorage &>(s).nativeHandle();
                if (sqlite3_prepare_v2(db, "PRAGMA wal_autocheckpoint", -1, &st, nullptr) == SQLITE_OK &&
                    sqlite3_step(st) == SQLITE_ROW)
                    autocheckpoint = sqlite3_column_int(st, 0);
                sqlite3_finalize(st);
                return true;
            },
            [&read](bool ok) { read = ok; });
        QTRY_VERIFY(read);
        QCOMPARE(autocheckpoint, 0);
        // And the pages it writes still reach the database file.
        int done = 0;
        const QString body(3000, QLatin1Char('x')); // about one page per row
        for (int i = 0; i < 1500; ++i) {
            NotificationRecord n = notification(QStringLiteral("n%1").arg(i), o.account, QString::number(i));
            n.body = body;
            o.storage->writeInBackground([n](Storage &s) { return s.insertNotification(n); },
                                         [&done](bool ok) { done += ok; });
            if (i % 100 == 99)
                QCoreApplication::processEvents();
        }
        QTRY_COMPARE_WITH_TIMEOUT(done, 1500, 20000);
        QTRY_VERIFY(QFileInfo(path).size() > 1500 * 3000);
    }
};

QTEST_GUILESS_MAIN(tst_BackgroundWriter)
#include "tst_backgroundwriter.moc"
