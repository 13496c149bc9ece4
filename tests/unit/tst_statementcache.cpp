// The statement cache under SqliteStorage: statements prepared once and reused, no read
// transaction left open, a nested borrow of one name, NULL for what is unset, and texts of every
// size and script bound and read back (the ASCII buffer and the UTF-8 path). Moved out of
// tst_sqlitestorage, which covers the schema and the records.
#include "RawSqlite.h"
#include "SqlRows.h"
#include "storage/SqlResources.h"
#include "storage/SqliteStorage.h"
#include "storage/StatementCache.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include <memory>

using namespace herald;

namespace {

// First column of the first row of `sql`, read through a connection of its own (committed data only).
QVariant peek(const QString &path, const QString &sql)
{
    const auto rows = test::sqlRows(path, sql);
    return rows && !rows->isEmpty() ? rows->constFirst().value(0) : QVariant();
}

// Prepared statements alive on `handle` whose text is `sql`.
int liveStatements(sqlite3 *handle, const QString &sql)
{
    int n = 0;
    for (sqlite3_stmt *s = sqlite3_next_stmt(handle, nullptr); s; s = sqlite3_next_stmt(handle, s)) {
        if (QString::fromUtf8(sqlite3_sql(s)).trimmed() == sql.trimmed())
            ++n;
    }
    return n;
}

// Statements stepped but not reset: each holds a read transaction open on its connection.
int busyStatements(sqlite3 *handle)
{
    int n = 0;
    for (sqlite3_stmt *s = sqlite3_next_stmt(handle, nullptr); s; s = sqlite3_next_stmt(handle, s))
        n += sqlite3_stmt_busy(s) ? 1 : 0;
    return n;
}

} // namespace

class tst_StatementCache : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_n = 0;
    QString freshPath() { return m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++m_n)); }

private Q_SLOTS:
    void statementsAreReusedAcrossCalls()
    {
        SqliteStorage storage(freshPath());
        QString error;
        QVERIFY(storage.open(&error));
        QList<qint64> ids;
        for (int i = 0; i < 200; ++i) {
            const QString name = QStringLiteral("user-%1").arg(i);
            const auto id = storage.createAccount(name, QStringLiteral("hash-%1").arg(i));
            QVERIFY(id);
            ids.append(*id);
            // The same statements again and again, with new values, a miss and other queries between.
            const auto byName = storage.accountByName(name);
            QVERIFY(byName);
            QCOMPARE(byName->id, *id);
            QCOMPARE(byName->passwordHash, QStringLiteral("hash-%1").arg(i));
            QVERIFY(!storage.accountByName(QStringLiteral("user-%1").arg(i + 1)));
            if (i % 3 == 0)
                QVERIFY(storage.setAccountDisabled(*id, true));
            const auto first = storage.accountById(ids.first());
            QVERIFY(first);
            QCOMPARE(first->name, QStringLiteral("user-0"));
            QCOMPARE(storage.accountById(*id)->disabled, i % 3 == 0);
        }
        const auto all = storage.accounts();
        QVERIFY(all);
        QCOMPARE(all->size(), 200);
        for (const AccountRecord &a : *all) {
            const int i = a.name.mid(5).toInt();
            QCOMPARE(a.id, ids.at(i));
            QCOMPARE(a.passwordHash, QStringLiteral("hash-%1").arg(i));
            QCOMPARE(a.disabled, i % 3 == 0);
        }
        // Prepared once and kept: one live statement per query however many calls, none left
        // running (a statement not reset would keep a read transaction open).
        sqlite3 *handle = storage.nativeHandle();
        QVERIFY(handle);
        const SqlResources sql(QStringLiteral("sqlite"));
        for (const char *name : {"insert_account", "select_account_by_name", "select_account_by_id",
                                 "update_account_disabled", "select_accounts"})
            QCOMPARE(liveStatements(handle, sql.query(QString::fromLatin1(name))), 1);
        QCOMPARE(busyStatements(handle), 0);
    }

    void readsSeeOtherConnectionsCommits()
    {
        // Every read ends its read transaction: a cached statement must not pin an old snapshot.
        const QString path = freshPath();
        SqliteStorage first(path), second(path);
        QString error;
        QVERIFY(first.open(&error) && second.open(&error));
        QVERIFY(second.createAccount(QStringLiteral("early"), QStringLiteral("h")));
        QVERIFY(first.accountByName(QStringLiteral("early"))); // one row read of possibly more
        QVERIFY(first.accounts());
        QVERIFY(second.createAccount(QStringLiteral("late"), QStringLiteral("h")));
        QVERIFY(first.accountByName(QStringLiteral("late")));
        QCOMPARE(first.accounts()->size(), 2);
    }

    void nestedBorrowOfOneNameKeepsTheCacheUsable()
    {
        test::RawSqlite db(freshPath());
        QVERIFY(db.handle);
        QVERIFY(db.exec("CREATE TABLE t (n INTEGER)"));
        QVERIFY(db.exec("INSERT INTO t VALUES (1), (2), (3), (4), (5)"));
        {
            StatementCache cache;
            QString error;
            cache.setHandle(db.handle);
            const QString sql = QStringLiteral("SELECT n FROM t WHERE n >= :min ORDER BY n");
            auto firstFrom = [&](CachedQuery &q, int min) {
                return q.borrow(QStringLiteral("from"), sql, &error) && q.bindAll({{QStringLiteral("min"), min}}) &&
                               q.exec() && q.next()
                           ? q.value(0).toInt()
                           : -1;
            };
            // Given back inner first, then outer first: one copy stays cached, the other is finalized.
            for (const bool innerFirst : {true, false}) {
                auto outer = std::make_unique<CachedQuery>(cache);
                auto inner = std::make_unique<CachedQuery>(cache);
                QCOMPARE(firstFrom(*outer, 2), 2);
                QCOMPARE(firstFrom(*inner, 4), 4);
                QCOMPARE(liveStatements(cache.handle(), sql), 2);
                QVERIFY(outer->next()); // each walks its own rows
                QCOMPARE(outer->value(0).toInt(), 3);
                QVERIFY(inner->next());
                QCOMPARE(inner->value(0).toInt(), 5);
                if (innerFirst) {
                    inner.reset();
                    outer.reset();
                } else {
                    outer.reset();
                    inner.reset();
                }
                QCOMPARE(liveStatements(cache.handle(), sql), 1);
                QCOMPARE(busyStatements(cache.handle()), 0);
            }
            for (int i = 0; i < 50; ++i) {
                CachedQuery q(cache);
                QCOMPARE(firstFrom(q, i % 5 + 1), i % 5 + 1);
            }
            QCOMPARE(liveStatements(cache.handle(), sql), 1);
            QCOMPARE(busyStatements(cache.handle()), 0);
        }
    }

    void unsetValuesAreStoredAsNull()
    {
        const QString path = freshPath();
        SqliteStorage storage(path);
        QString error;
        QVERIFY(storage.open(&error));
        const qint64 alice = *storage.createAccount(QStringLiteral("alice"), QStringLiteral("h"));
        const qint64 bob = *storage.createAccount(QStringLiteral("bob"), QStringLiteral("h"));
        // Each right after the same statement bound a value: nothing of it may stay behind.
        QVERIFY(storage.upsertLogin(alice, QStringLiteral("mail"), QByteArray("secret")));
        QVERIFY(storage.upsertLogin(bob, QStringLiteral("mail"), {}));
        QVERIFY(storage.setLoginCheckpoint(alice, QStringLiteral("mail"), QByteArray("17.42")));
        QVERIFY(storage.setLoginCheckpoint(bob, QStringLiteral("mail"), QByteArray()));
        auto types = [&](qint64 account) {
            return peek(path, QStringLiteral("SELECT typeof(credentials) || ' ' || typeof(checkpoint) FROM logins "
                                             "WHERE account_id = %1")
                                  .arg(account))
                .toString();
        };
        QCOMPARE(types(alice), QStringLiteral("blob blob"));
        QCOMPARE(types(bob), QStringLiteral("null null"));
        const auto bobs = storage.loginsOfAccount(bob);
        QCOMPARE(bobs->size(), 1);
        QVERIFY(bobs->first().credentials.isNull());
        QVERIFY(bobs->first().checkpoint.isNull());
        QCOMPARE(storage.loginsOfAccount(alice)->first().credentials, QByteArray("secret"));

        // Optional text is '' (the columns are NOT NULL); an unset time is NULL where the column allows.
        NotificationRecord n;
        n.id = QStringLiteral("n-1");
        n.accountId = alice;
        n.app = QStringLiteral("mail");
        n.source = QStringLiteral("crm");
        n.eventId = QStringLiteral("e-1");
        n.receivedAt = n.createdAt = QDateTime::currentDateTimeUtc();
        n.expiresAt = n.createdAt.addDays(1);
        QVERIFY(storage.insertNotification(n));
        QCOMPARE(peek(path, QStringLiteral("SELECT typeof(sender) || typeof(subject) || typeof(body) || ':' || sender "
                                           "|| subject || body FROM notifications"))
                     .toString(),
                 QStringLiteral("texttexttext:"));
        const QDateTime opened = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC);
        QVERIFY(storage.setNotificationState(n.id, NotificationState::Opened, opened));
        QCOMPARE(peek(path, QStringLiteral("SELECT opened_at FROM notifications")).toLongLong(), opened.toMSecsSinceEpoch());
        QVERIFY(storage.setNotificationState(n.id, NotificationState::Active, QDateTime()));
        QCOMPARE(peek(path, QStringLiteral("SELECT typeof(opened_at) FROM notifications")).toString(), QStringLiteral("null"));
        QVERIFY(!storage.notificationById(n.id)->openedAt.isValid());
    }

    void textsRoundTripWhateverTheirSizeAndScript_data()
    {
        QTest::addColumn<QString>("sender");
        QTest::addColumn<QString>("subject");
        QTest::addColumn<QString>("body");
        QTest::newRow("ascii") << QStringLiteral("Alice") << QStringLiteral("Report") << QStringLiteral("Numbers.");
        QTest::newRow("non-ascii between ascii")
            << QString::fromUtf8("Zo\xC3\xAB") << QStringLiteral("plain") << QString::fromUtf8("\xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80");
        QTest::newRow("8-bit latin1") << QString(QChar(0xE9)) << QString(QChar(0x7F)) << QString(QChar(0x80));
        // Past the statement's 2 KiB of room for ASCII: the rest of the values take the other path.
        QTest::newRow("ascii beyond the arena") << QStringLiteral("Bob") << QString(1500, QLatin1Char('s'))
                                                << QString(3000, QLatin1Char('b'));
        QTest::newRow("empty") << QString(QLatin1String("")) << QString(QLatin1String("")) << QString(QLatin1String(""));
    }
    void textsRoundTripWhateverTheirSizeAndScript()
    {
        QFETCH(QString, sender);
        QFETCH(QString, subject);
        QFETCH(QString, body);
        SqliteStorage storage(freshPath());
        QString error;
        QVERIFY(storage.open(&error));
        const qint64 alice = *storage.createAccount(QStringLiteral("alice"), QStringLiteral("h"));
        for (int i = 0; i < 2; ++i) { // the second run reuses the cached statement's bindings
            NotificationRecord n;
            n.id = QStringLiteral("n-%1").arg(i);
            n.accountId = alice;
            n.app = QStringLiteral("mail");
            n.source = QStringLiteral("crm");
            n.eventId = QStringLiteral("e-%1").arg(i);
            n.sender = sender;
            n.subject = subject;
            n.body = i == 0 ? body : body + QStringLiteral("!");
            n.receivedAt = n.createdAt = QDateTime::currentDateTimeUtc();
            n.expiresAt = n.createdAt.addDays(1);
            QVERIFY(storage.insertNotification(n));
            const auto back = storage.notificationById(n.id);
            QVERIFY(back);
            QCOMPARE(back->sender, sender);
            QCOMPARE(back->subject, subject);
            QCOMPARE(back->body, n.body);
            QCOMPARE(back->eventId, n.eventId);
        }
    }
};

QTEST_GUILESS_MAIN(tst_StatementCache)
#include "tst_statementcache.moc"
