// Storage under load: the statement cache (CachedQuery on the storage's sqlite3 handle), group commit
// (WriteBatch behind SqliteStorage::setGroupCommit / whenDurable), the one-query event targets and
// the memory that keeps their answers until accounts, devices or logins change.
#include "RawSqlite.h"
#include "RecordStatePrinting.h"
#include "storage/SqliteStorage.h"
#include "storage/SqlResources.h"
#include "storage/StatementCache.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

using namespace herald;

namespace {

DeviceRecord device(qint64 accountId, const QString &id, char tokenByte, const QStringList &apps)
{
    DeviceRecord d;
    d.accountId = accountId;
    d.deviceId = id;
    d.platform = QStringLiteral("ios");
    d.pushToken = QString(64, QLatin1Char('a'));
    d.tokenHash = QByteArray(32, tokenByte);
    d.apps = apps;
    return d;
}

} // namespace

class tst_GroupCommit : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_n = 0;
    QString freshPath() { return m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++m_n)); }

    // A second, independent reader: sees only what is committed.
    static bool committed(const QString &path, const QString &account)
    {
        SqliteStorage reader(path);
        QString error;
        return reader.open(&error) && reader.accountByName(account).has_value();
    }

private Q_SLOTS:
    void cachedQueryBindsEveryParameterEachTime()
    {
        test::RawSqlite db(freshPath());
        QVERIFY(db.handle);
        QVERIFY(db.exec("CREATE TABLE t (n INTEGER, a, b)"));
        {
            StatementCache cache;
            QString error;
            cache.setHandle(db.handle);
            const QString insert = QStringLiteral("INSERT INTO t (n, a, b) VALUES (:n, :a, :b)");
            auto put = [&](const QVariantMap &values) {
                CachedQuery q(cache);
                return q.borrow(QStringLiteral("insert"), insert, &error) && q.writes() && q.bindAll(values) &&
                       q.exec() && q.numRowsAffected() == 1;
            };
            QVERIFY(put({{QStringLiteral("n"), 1}, {QStringLiteral("a"), QStringLiteral("text")},
                         {QStringLiteral("b"), QByteArray("\x00\x01", 2)}}));
            // The same prepared statement again: what this call leaves out is NULL, not the last value.
            QVERIFY(put({{QStringLiteral("n"), 2}}));
            QVERIFY(put({{QStringLiteral("n"), 3}, {QStringLiteral("a"), qint64(1) << 40},
                         {QStringLiteral("b"), 2.5}}));
            QVERIFY(put({{QStringLiteral("n"), 4}, {QStringLiteral("a"), QString()}, {QStringLiteral("b"), true}}));

            CachedQuery q(cache);
            QVERIFY(q.borrow(QStringLiteral("all"), QStringLiteral("SELECT n, typeof(a), a, typeof(b), b FROM t ORDER BY n"),
                             &error));
            QVERIFY(!q.writes());
            QVERIFY(q.bindAll({}) && q.exec());
            QStringList rows;
            while (q.next()) {
                rows << QStringLiteral("%1 %2 %3 %4 %5")
                            .arg(q.value(0).toLongLong())
                            .arg(q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
                                 QString::fromLatin1(q.value(4).toByteArray().toHex()));
            }
            QCOMPARE(rows, QStringList({QStringLiteral("1 text text blob 0001"), QStringLiteral("2 null  null "),
                                        QStringLiteral("3 integer 1099511627776 real 322e35"),
                                        QStringLiteral("4 null  integer 31")}));
            QCOMPARE(q.value(0), QVariant()); // past the last row

            // Two borrowers of one name at once: the second gets its own copy; both read correctly.
            CachedQuery outer(cache), inner(cache);
            const QString count = QStringLiteral("SELECT count(*) FROM t WHERE n >= :n");
            QVERIFY(outer.borrow(QStringLiteral("count"), count, &error) && outer.bindAll({{QStringLiteral("n"), 2}}) &&
                    outer.exec() && outer.next());
            QVERIFY(inner.borrow(QStringLiteral("count"), count, &error) && inner.bindAll({{QStringLiteral("n"), 4}}) &&
                    inner.exec() && inner.next());
            QCOMPARE(outer.value(0).toInt(), 3);
            QCOMPARE(inner.value(0).toInt(), 1);

            // A statement that does not parse names the problem; an error while running too.
            CachedQuery bad(cache);
            QVERIFY(!bad.borrow(QStringLiteral("bad"), QStringLiteral("SELEKT 1"), &error));
            QVERIFY2(error.contains(QLatin1String("syntax")), qPrintable(error));
            QVERIFY(bad.borrow(QStringLiteral("div"), QStringLiteral("INSERT INTO nowhere VALUES (1)"), &error) == false);
            QVERIFY(error.contains(QLatin1String("nowhere")));
        }
    }

    void lentStatementsSurviveAClearAndParamsFindTheirNames()
    {
        test::RawSqlite db(freshPath());
        QVERIFY(db.handle);
        QVERIFY(db.exec("CREATE TABLE t (a, b, c)"));
        {
            StatementCache cache;
            QString error;
            cache.setHandle(db.handle);
            // Names in any order, a repeated name, a value for no parameter, one left out (NULL).
            const QString insert = QStringLiteral("INSERT INTO t (a, b, c) VALUES (:a, :b, :a || :c)");
            {
                CachedQuery put(cache);
                QVERIFY(put.borrow(QStringLiteral("insert"), insert, &error));
                SqlParams params{{QStringLiteral("c"), QStringLiteral("-c")}, {QStringLiteral("unused"), 1},
                                 {QStringLiteral("a"), QStringLiteral("x")}};
                QVERIFY(put.bindAll(params) && put.exec());
                params.set(QStringLiteral("b"), QByteArray("blob"));
                params.remove(QStringLiteral("c"));
                QVERIFY(put.bindAll(params) && put.exec()); // bound again on the same borrow
            }

            // A statement lent while the cache is cleared stays usable and is freed on return.
            CachedQuery read(cache);
            QVERIFY(read.borrow(QStringLiteral("all"), QStringLiteral("SELECT a, typeof(b), b, c FROM t ORDER BY rowid"),
                                &error));
            QVERIFY(read.bindAll({}) && read.exec() && read.next());
            cache.clear();
            QCOMPARE(read.value(0).toString(), QStringLiteral("x"));
            QCOMPARE(read.value(1).toString(), QStringLiteral("null"));
            QCOMPARE(read.value(3).toString(), QStringLiteral("x-c"));
            QVERIFY(read.next());
            QCOMPARE(read.value(2).toByteArray(), QByteArray("blob"));
            QVERIFY(read.value(3).isNull()); // :c left out: NULL, and 'x' || NULL is NULL
            QVERIFY(!read.next());
            CachedQuery after(cache);
            QVERIFY(!after.borrow(QStringLiteral("all"), QStringLiteral("SELECT 1"), &error)); // cleared: not open
        }
    }

    void eventTargetsInOneRead()
    {
        SqliteStorage storage(freshPath());
        QString error;
        QVERIFY(storage.open(&error));
        QVERIFY(!storage.eventTargets(QStringLiteral("nobody"), QStringLiteral("mail")));

        const qint64 alice = *storage.createAccount(QStringLiteral("alice"), QStringLiteral("h"));
        auto none = storage.eventTargets(QStringLiteral("alice"), QStringLiteral("mail"));
        QVERIFY(none);
        QCOMPARE(none->account.id, alice);
        QVERIFY(!none->loggedIn);
        QVERIFY(none->devices.isEmpty());

        DeviceRecord old = device(alice, QStringLiteral("old-phone"), 'a', {QStringLiteral("mail")});
        DeviceRecord im = device(alice, QStringLiteral("im-only"), 'b', {QStringLiteral("im")});
        DeviceRecord recent = device(alice, QStringLiteral("new-phone"), 'c', {QStringLiteral("mail"), QStringLiteral("im")});
        QVERIFY(storage.upsertDevice(old) && storage.upsertDevice(im) && storage.upsertDevice(recent));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QVERIFY(storage.touchDevice(old.id, now.addSecs(-3600)));
        QVERIFY(storage.touchDevice(recent.id, now));
        QVERIFY(storage.upsertLogin(alice, QStringLiteral("mail"), {}));

        auto t = storage.eventTargets(QStringLiteral("alice"), QStringLiteral("mail"));
        QVERIFY(t);
        QVERIFY(t->loggedIn);
        QVERIFY(!t->account.disabled);
        QCOMPARE(t->devices.size(), 2); // not the im-only device
        QCOMPARE(t->devices.at(0).deviceId, QStringLiteral("new-phone")); // most recently seen first
        QCOMPARE(t->devices.at(1).deviceId, QStringLiteral("old-phone"));
        QCOMPARE(t->devices.at(0).apps, QStringList{QStringLiteral("mail")});
        QCOMPARE(t->devices.at(0).pushToken, recent.pushToken);
        QCOMPARE(t->devices.at(0).tokenHash, recent.tokenHash);

        // Logged in to mail, not to im; disabled shows.
        const auto imTargets = storage.eventTargets(QStringLiteral("alice"), QStringLiteral("im"));
        QVERIFY(!imTargets->loggedIn);
        QCOMPARE(imTargets->devices.size(), 2);
        QVERIFY(storage.setAccountDisabled(alice, true));
        QVERIFY(storage.eventTargets(QStringLiteral("alice"), QStringLiteral("mail"))->account.disabled);
    }

    void eventTargetsAreCachedUntilSomethingChanges()
    {
        // eventTargets() keeps its answers; every way the four tables behind it change must drop them.
        const QString path = freshPath();
        SqliteStorage storage(path), other(path);
        QString error;
        QVERIFY(storage.open(&error));
        sqlite3 *handle = storage.nativeHandle();
        QVERIFY(handle);
        QVERIFY(other.open(&error));
        const QString sql = SqlResources(QStringLiteral("sqlite")).query(QStringLiteral("select_event_targets"));
        auto runs = [&] {
            for (sqlite3_stmt *s = sqlite3_next_stmt(handle, nullptr); s; s = sqlite3_next_stmt(handle, s)) {
                if (QString::fromUtf8(sqlite3_sql(s)).trimmed() == sql.trimmed())
                    return sqlite3_stmt_status(s, SQLITE_STMTSTATUS_RUN, 0);
            }
            return 0;
        };
        const QString alice = QStringLiteral("alice"), mail = QStringLiteral("mail");

        // An unknown account is remembered as unknown, until another process creates it.
        QVERIFY(!storage.eventTargets(alice, mail));
        QVERIFY(!storage.eventTargets(alice, mail));
        QCOMPARE(runs(), 1);
        const qint64 id = *other.createAccount(alice, QStringLiteral("h"));
        QVERIFY(storage.eventTargets(alice, mail));
        QCOMPARE(runs(), 2);
        QVERIFY(!storage.eventTargets(alice, mail)->loggedIn);
        QCOMPARE(runs(), 2);

        // Another connection's login, device, token retirement and disabling all show.
        QVERIFY(other.upsertLogin(id, mail, QByteArray("c")));
        QVERIFY(storage.eventTargets(alice, mail)->loggedIn);
        DeviceRecord phone = device(id, QStringLiteral("phone"), 'p', {mail});
        QVERIFY(other.upsertDevice(phone));
        QCOMPARE(storage.eventTargets(alice, mail)->devices.size(), 1);
        QVERIFY(other.setPushTokenState(phone.id, phone.pushToken, PushTokenState::Retired, QStringLiteral("Unregistered")));
        QCOMPARE(storage.eventTargets(alice, mail)->devices.at(0).pushTokenState, PushTokenState::Retired);
        QVERIFY(other.setAccountDisabled(id, true));
        QVERIFY(storage.eventTargets(alice, mail)->account.disabled);
        const int before = runs();
        QVERIFY(storage.eventTargets(alice, mail)->account.disabled);
        QCOMPARE(runs(), before);

        // Writes to other tables (every event writes notifications) keep the answer.
        NotificationRecord n;
        n.id = QStringLiteral("n-cache");
        n.accountId = id;
        n.app = mail;
        n.source = QStringLiteral("s");
        n.eventId = QStringLiteral("e");
        n.receivedAt = n.createdAt = n.expiresAt = QDateTime::currentDateTimeUtc();
        n.state = NotificationState::Active;
        QVERIFY(storage.insertNotification(n));
        QVERIFY(storage.eventTargets(alice, mail));
        QCOMPARE(runs(), before);

        // A device written, read and rolled back (a savepoint in a group-commit batch, and a plain
        // transaction): the rolled-back device must not be served from memory afterwards.
        QVERIFY(other.setAccountDisabled(id, false));
        for (const bool batch : {true, false}) {
            storage.setGroupCommit(batch);
            DeviceRecord ghost = device(id, QStringLiteral("ghost-%1").arg(batch), batch ? 'g' : 'h', {mail});
            QVERIFY(!storage.transaction([&] {
                if (!storage.upsertDevice(ghost))
                    return false;
                return storage.eventTargets(alice, mail)->devices.size() != 2; // seen inside: false rolls back
            }));
            QCOMPARE(storage.eventTargets(alice, mail)->devices.size(), 1);
            storage.setGroupCommit(false);
        }
        QCOMPARE(other.devicesOfAccount(id)->size(), 1); // as committed, seen from the other connection
    }

    void groupCommitWaitsForTheEventLoop()
    {
        const QString path = freshPath();
        SqliteStorage storage(path);
        QString error;
        QVERIFY(storage.open(&error));
        storage.setGroupCommit(true);

        bool ranAtOnce = false;
        storage.whenDurable([&](bool ok) { ranAtOnce = ok; }); // nothing pending: runs now
        QVERIFY(ranAtOnce);

        QVERIFY(storage.createAccount(QStringLiteral("first"), QStringLiteral("h")));
        QVERIFY(storage.createAccount(QStringLiteral("second"), QStringLiteral("h")));
        QVERIFY(storage.accountByName(QStringLiteral("second"))); // this connection reads its batch
        QStringList calls;
        storage.whenDurable([&](bool ok) { calls << QStringLiteral("a %1").arg(ok); });
        storage.whenDurable([&](bool ok) { calls << QStringLiteral("b %1").arg(ok); });
        QVERIFY(calls.isEmpty());
        QVERIFY(!committed(path, QStringLiteral("first"))); // not before the pass is over

        QTRY_COMPARE(calls, QStringList({QStringLiteral("a 1"), QStringLiteral("b 1")}));
        QVERIFY(committed(path, QStringLiteral("first")));
        QVERIFY(committed(path, QStringLiteral("second")));
    }

    void failedUnitUndoesOnlyItself()
    {
        const QString path = freshPath();
        SqliteStorage storage(path);
        QString error;
        QVERIFY(storage.open(&error));
        storage.setGroupCommit(true);
        QVERIFY(storage.createAccount(QStringLiteral("keep"), QStringLiteral("h")));
        QVERIFY(!storage.transaction([&] {
            return storage.createAccount(QStringLiteral("ghost"), QStringLiteral("h")).has_value() && false;
        }));
        // A unit that breaks a constraint half-way is undone as a whole, too.
        QVERIFY(!storage.transaction([&] {
            return storage.createAccount(QStringLiteral("half"), QStringLiteral("h")).has_value() &&
                   storage.createAccount(QStringLiteral("keep"), QStringLiteral("h")).has_value();
        }));
        QVERIFY(storage.transaction([&] { return storage.createAccount(QStringLiteral("unit"), QStringLiteral("h")).has_value(); }));
        bool durable = false;
        storage.whenDurable([&](bool ok) { durable = ok; });
        QTRY_VERIFY(durable);
        QVERIFY(committed(path, QStringLiteral("keep")));
        QVERIFY(committed(path, QStringLiteral("unit")));
        QVERIFY(!committed(path, QStringLiteral("ghost")));
        QVERIFY(!committed(path, QStringLiteral("half")));
    }

    void failedCommitIsReported()
    {
        const QString path = freshPath();
        SqliteStorage storage(path);
        QString error;
        QVERIFY(storage.open(&error));
        storage.setGroupCommit(true);
        QVERIFY(storage.createAccount(QStringLiteral("lost"), QStringLiteral("h"))); // opens the batch
        // A deferred foreign-key violation only shows at COMMIT: the whole batch must fail.
        QCOMPARE(sqlite3_exec(storage.nativeHandle(), "PRAGMA defer_foreign_keys = ON", nullptr, nullptr, nullptr), SQLITE_OK);
        DeliveryRecord orphan;
        orphan.id = QStringLiteral("d-1");
        orphan.notificationId = QStringLiteral("no-such-notification");
        orphan.deviceId = 12345;
        QVERIFY(storage.insertDelivery(orphan));
        QList<bool> outcomes;
        storage.whenDurable([&](bool ok) { outcomes << ok; });
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("COMMIT failed")));
        QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(QStringLiteral("group commit failed")));
        QTRY_COMPARE(outcomes, QList<bool>{false});
        QVERIFY(!committed(path, QStringLiteral("lost")));
        // The storage goes on: the next batch commits.
        QVERIFY(storage.createAccount(QStringLiteral("next"), QStringLiteral("h")));
        storage.whenDurable([&](bool ok) { outcomes << ok; });
        QTRY_COMPARE(outcomes, QList<bool>({false, true}));
        QVERIFY(committed(path, QStringLiteral("next")));
    }

    void closeCommitsWhatIsOpen()
    {
        const QString path = freshPath();
        {
            SqliteStorage storage(path);
            QString error;
            QVERIFY(storage.open(&error));
            storage.setGroupCommit(true);
            QVERIFY(storage.createAccount(QStringLiteral("at-close"), QStringLiteral("h")));
            bool durable = false;
            storage.whenDurable([&](bool ok) { durable = ok; });
            storage.close();
            QVERIFY(durable);
        }
        QVERIFY(committed(path, QStringLiteral("at-close")));
        {
            SqliteStorage storage(path);
            QString error;
            QVERIFY(storage.open(&error));
            storage.setGroupCommit(true);
            QVERIFY(storage.createAccount(QStringLiteral("at-off"), QStringLiteral("h")));
            storage.setGroupCommit(false); // commits; from now on each write commits by itself
            QVERIFY(committed(path, QStringLiteral("at-off")));
            QVERIFY(storage.createAccount(QStringLiteral("plain"), QStringLiteral("h")));
            QVERIFY(committed(path, QStringLiteral("plain")));
        }
    }
};

QTEST_GUILESS_MAIN(tst_GroupCommit)
#include "tst_groupcommit.moc"
