// SqliteStorage: schema set-up, the upgrade from a version-1 fixture (tests/fixtures/schema_v1.sqlite),
// refusal of foreign or newer databases, and the account/device/login operations. Also eventTargets,
// and the parts of group commit tst_groupcommit leaves out (reads open no batch, failed statements and
// callbacks inside a batch). The statement cache under the storage: tst_statementcache.
#include "RecordStatePrinting.h"
#include "TestPaths.h"
#include "storage/SqlResources.h"
#include "storage/SchemaMigrator.h"
#include "storage/SqliteStorage.h"

#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

using namespace herald;

namespace {

// Table -> "name type notnull default pk" per column, plus indexes: what "the same schema" means.
QStringList describeSchema(const QString &path)
{
    QStringList out;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("describe"));
        db.setDatabaseName(path);
        db.open();
        QSqlQuery tables(db);
        tables.exec(QStringLiteral("SELECT name, type, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"));
        while (tables.next()) {
            const QString name = tables.value(0).toString();
            // An index with its definition: the same name over other columns or rows is another schema.
            const bool index = tables.value(1).toString() == QLatin1String("index");
            out << tables.value(1).toString() + QLatin1Char(' ') + name + (index ? QLatin1Char(' ') + tables.value(2).toString().simplified() : QString());
            if (tables.value(1).toString() != QLatin1String("table"))
                continue;
            QSqlQuery columns(db);
            columns.exec(QStringLiteral("PRAGMA table_info(%1)").arg(name));
            while (columns.next()) {
                out << QStringLiteral("  %1 %2 %3 %4 %5")
                           .arg(columns.value(1).toString(), columns.value(2).toString(), columns.value(3).toString(),
                                columns.value(4).toString(), columns.value(5).toString());
            }
            QSqlQuery fks(db);
            fks.exec(QStringLiteral("PRAGMA foreign_key_list(%1)").arg(name));
            while (fks.next())
                out << QStringLiteral("  fk %1 -> %2.%3 %4")
                           .arg(fks.value(3).toString(), fks.value(2).toString(), fks.value(4).toString(),
                                fks.value(6).toString());
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("describe"));
    return out;
}

DeviceRecord device(qint64 accountId, const QString &id, const QByteArray &tokenHash)
{
    DeviceRecord d;
    d.accountId = accountId;
    d.deviceId = id;
    d.platform = QStringLiteral("android");
    d.pushToken = QStringLiteral("fcm-token-") + id;
    d.tokenHash = tokenHash;
    d.apps = {QStringLiteral("mail"), QStringLiteral("im")};
    return d;
}

// A second, independent reader: sees only what is committed.
bool committed(const QString &path, const QString &account)
{
    SqliteStorage reader(path);
    QString error;
    return reader.open(&error) && reader.accountByName(account).has_value();
}

} // namespace

class tst_SqliteStorage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_n = 0;
    QString freshPath() { return m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++m_n)); }

private Q_SLOTS:
    void setsUpNewestSchema()
    {
        SqliteStorage storage(freshPath());
        QString error;
        QVERIFY2(storage.open(&error), qPrintable(error));
        QCOMPARE(storage.schemaVersion(), SqlResources(QStringLiteral("sqlite")).schemaVersion());
        QVERIFY(storage.schemaVersion() >= 2);
    }

    void reopenKeepsData()
    {
        const QString path = freshPath();
        {
            SqliteStorage storage(path);
            QString error;
            QVERIFY(storage.open(&error));
            QVERIFY(storage.createAccount(QStringLiteral("carol"), QStringLiteral("h")));
        }
        SqliteStorage again(path);
        QString error;
        QVERIFY2(again.open(&error), qPrintable(error));
        QVERIFY(again.accountByName(QStringLiteral("carol")));
    }

    void upgradesFromVersion1Fixture()
    {
        const QString path = freshPath();
        QVERIFY(QFile::copy(test::sourceDir() + QStringLiteral("/tests/fixtures/schema_v1.sqlite"), path));
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        {
            SqliteStorage storage(path);
            QString error;
            QVERIFY2(storage.open(&error), qPrintable(error));
            QCOMPARE(storage.schemaVersion(), SqlResources(QStringLiteral("sqlite")).schemaVersion());
            const auto alice = storage.accountByName(QStringLiteral("alice"));
            QVERIFY(alice);
            QVERIFY(!alice->disabled);
            QVERIFY(storage.accountByName(QStringLiteral("bob"))->disabled);
            const auto phone = storage.deviceByDeviceId(QStringLiteral("alice-phone"));
            QVERIFY(phone);
            QCOMPARE(phone->accountId, alice->id);
            QCOMPARE(phone->pushToken, QString(QStringLiteral("ab")).repeated(32));
            QCOMPARE(phone->name, QStringLiteral("Alice's iPhone"));
            QCOMPARE(phone->pushTokenState, PushTokenState::Active); // new column, default applied
            QVERIFY(phone->apps.isEmpty());
            // New tables of version 2 work on the upgraded file.
            QVERIFY(storage.upsertLogin(alice->id, QStringLiteral("mail"), QByteArray("x")));
            QCOMPARE(storage.logins()->size(), 1);
        }
        // Upgraded and freshly created databases have the same schema.
        const QString fresh = freshPath();
        {
            SqliteStorage storage(fresh);
            QString error;
            QVERIFY(storage.open(&error));
        }
        QCOMPARE(describeSchema(path), describeSchema(fresh));
    }

    void refusesNewerSchema()
    {
        const QString path = freshPath();
        {
            SqliteStorage storage(path);
            QString error;
            QVERIFY(storage.open(&error));
        }
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bump"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery(db).exec(QStringLiteral("UPDATE schema_version SET version = 999"));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("bump"));
        SqliteStorage storage(path);
        QString error;
        QVERIFY(!storage.open(&error));
        QVERIFY2(error.contains(QStringLiteral("newer than this herald-server knows")), qPrintable(error));
    }

    void refusesForeignAndCorruptFiles()
    {
        const QString foreign = freshPath();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("foreign"));
            db.setDatabaseName(foreign);
            QVERIFY(db.open());
            QSqlQuery(db).exec(QStringLiteral("CREATE TABLE something (x)"));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("foreign"));
        QString error;
        SqliteStorage a(foreign);
        QVERIFY(!a.open(&error));
        QVERIFY2(error.contains(QStringLiteral("not a Herald database")), qPrintable(error));

        const QString garbage = freshPath();
        QFile f(garbage);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'z'));
        f.close();
        SqliteStorage b(garbage);
        QVERIFY(!b.open(&error));
        QVERIFY(!error.isEmpty());
        QCOMPARE(f.size(), 8192); // nothing was written over it
    }

    void failedUpgradeRollsBack()
    {
        // An upgrade that fails half-way must leave the previous version intact.
        QTemporaryDir sqlRoot;
        QDir(sqlRoot.path()).mkpath(QStringLiteral("sqlite/upgrade"));
        auto write = [&](const QString &rel, const QByteArray &text) {
            QFile file(sqlRoot.filePath(rel));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(text);
        };
        write(QStringLiteral("sqlite/setup_000_v.sql"), "CREATE TABLE schema_version (version INTEGER NOT NULL);\n");
        write(QStringLiteral("sqlite/setup_010_t.sql"), "CREATE TABLE t (a INTEGER);\n");
        // The migrator's own queries, as the server has them.
        for (const char *name :
             {"list_tables", "lock_schema", "select_schema_version", "insert_schema_version", "update_schema_version"}) {
            QFile embedded(QStringLiteral(":/sql/sqlite/%1.sql").arg(QLatin1String(name)));
            QVERIFY(embedded.open(QIODevice::ReadOnly));
            write(QStringLiteral("sqlite/%1.sql").arg(QLatin1String(name)), embedded.readAll());
        }
        const QString path = freshPath();
        QString error;
        {
            SqliteStorage v1(path, Durability::Process, sqlRoot.path());
            QVERIFY2(v1.open(&error), qPrintable(error));
            QCOMPARE(v1.schemaVersion(), 1);
        }
        write(QStringLiteral("sqlite/upgrade/002_bad.sql"),
              "CREATE TABLE u (b INTEGER);\nINSERT INTO no_such_table VALUES (1);\n");
        QCOMPARE(SqlResources(QStringLiteral("sqlite"), sqlRoot.path()).schemaVersion(), 2);
        {
            SqliteStorage v2(path, Durability::Process, sqlRoot.path());
            QVERIFY(!v2.open(&error));
            QVERIFY2(error.contains(QStringLiteral("002_bad.sql")), qPrintable(error));
        }
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("rb-check"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery version(db);
            QVERIFY(version.exec(QStringLiteral("SELECT version FROM schema_version")) && version.next());
            QCOMPARE(version.value(0).toInt(), 1);
            QVERIFY(!db.tables().contains(QStringLiteral("u")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("rb-check"));
    }

    void statementSplitting()
    {
        const QStringList s = SqlResources::splitStatements(
            QStringLiteral("-- comment\nCREATE TABLE a (\n x INTEGER\n);\n\nINSERT INTO a VALUES (1);\nSELECT 1"));
        QCOMPARE(s.size(), 3);
        QCOMPARE(s.at(0), QStringLiteral("CREATE TABLE a (\nx INTEGER\n);"));
    }

    void accounts()
    {
        SqliteStorage storage(freshPath());
        QString error;
        QVERIFY(storage.open(&error));
        const auto id = storage.createAccount(QStringLiteral("dave"), QStringLiteral("hash1"));
        QVERIFY(id);
        QVERIFY(!storage.createAccount(QStringLiteral("dave"), QStringLiteral("again"))); // unique
        QVERIFY(!storage.lastError().isEmpty());
        QVERIFY(storage.setAccountPassword(*id, QStringLiteral("hash2")));
        QCOMPARE(storage.accountById(*id)->passwordHash, QStringLiteral("hash2"));
        QVERIFY(storage.setAccountDisabled(*id, true));
        QVERIFY(storage.accountByName(QStringLiteral("dave"))->disabled);
        QVERIFY(!storage.setAccountDisabled(424242, true));
        QCOMPARE(storage.accounts()->size(), 1);
        QVERIFY(!storage.accountByName(QStringLiteral("nobody")));
    }

    void devicesAndLogins()
    {
        SqliteStorage storage(freshPath());
        QString error;
        QVERIFY(storage.open(&error));
        const qint64 alice = *storage.createAccount(QStringLiteral("alice"), QStringLiteral("h"));
        const qint64 bob = *storage.createAccount(QStringLiteral("bob"), QStringLiteral("h"));

        DeviceRecord d = device(alice, QStringLiteral("p1"), QByteArray(32, 'a'));
        QVERIFY(storage.upsertDevice(d));
        QVERIFY(d.id > 0);
        const qint64 firstRow = d.id;
        QCOMPARE(storage.deviceByTokenHash(QByteArray(32, 'a'))->apps,
                 QStringList({QStringLiteral("im"), QStringLiteral("mail")}));

        // Same device id again: same row, new token, new apps; the old token no longer resolves.
        DeviceRecord again = device(alice, QStringLiteral("p1"), QByteArray(32, 'b'));
        again.apps = {QStringLiteral("mail")};
        again.pushToken = QStringLiteral("rotated");
        QVERIFY(storage.upsertDevice(again));
        QCOMPARE(again.id, firstRow);
        QVERIFY(!storage.deviceByTokenHash(QByteArray(32, 'a')));
        const auto current = storage.deviceByTokenHash(QByteArray(32, 'b'));
        QCOMPARE(current->pushToken, QStringLiteral("rotated"));
        QCOMPARE(current->apps, QStringList{QStringLiteral("mail")});

        // A token hash can belong to one device only; a failed upsert changes nothing.
        DeviceRecord clash = device(bob, QStringLiteral("p2"), QByteArray(32, 'b'));
        QVERIFY(!storage.upsertDevice(clash));
        QVERIFY(!storage.deviceByDeviceId(QStringLiteral("p2")));

        QVERIFY(storage.upsertLogin(alice, QStringLiteral("mail"), QByteArray("secret")));
        QVERIFY(storage.upsertLogin(alice, QStringLiteral("mail"), QByteArray("newer")));
        QVERIFY(storage.setLoginCheckpoint(alice, QStringLiteral("mail"), QByteArray("17.42")));
        QVERIFY(storage.setLoginMonitorState(alice, QStringLiteral("mail"), QStringLiteral("failed"),
                                             QStringLiteral("authentication failed")));
        const auto logins = storage.loginsOfAccount(alice);
        QCOMPARE(logins->size(), 1);
        QCOMPARE(logins->first().credentials, QByteArray("newer"));
        QCOMPARE(logins->first().checkpoint, QByteArray("17.42"));
        QCOMPARE(logins->first().monitorError, QStringLiteral("authentication failed"));

        QVERIFY(storage.touchDevice(firstRow, QDateTime::currentDateTimeUtc()));
        QVERIFY(storage.deleteDevice(firstRow));
        QVERIFY(!storage.deviceByDeviceId(QStringLiteral("p1")));
        QVERIFY(!storage.deleteDevice(firstRow));
        QVERIFY(storage.deleteLogin(alice, QStringLiteral("mail")));
        QVERIFY(storage.logins()->isEmpty());
    }

    void transactionRollsBack()
    {
        SqliteStorage storage(freshPath());
        QString error;
        QVERIFY(storage.open(&error));
        QVERIFY(!storage.transaction([&] {
            storage.createAccount(QStringLiteral("ghost"), QStringLiteral("h"));
            return false;
        }));
        QVERIFY(!storage.accountByName(QStringLiteral("ghost")));
    }

    void eventTargetsOfOneAccountAndApp()
    {
        SqliteStorage storage(freshPath());
        QString error;
        QVERIFY(storage.open(&error));
        QVERIFY(!storage.eventTargets(QStringLiteral("nobody"), QStringLiteral("mail")));
        const qint64 alice = *storage.createAccount(QStringLiteral("alice"), QStringLiteral("h"));
        const qint64 bob = *storage.createAccount(QStringLiteral("bob"), QStringLiteral("h"));

        // Bob's login and device for mail are none of Alice's.
        DeviceRecord bobPhone = device(bob, QStringLiteral("bob-phone"), QByteArray(32, 'b'));
        bobPhone.apps = {QStringLiteral("mail")};
        QVERIFY(storage.upsertDevice(bobPhone));
        QVERIFY(storage.upsertLogin(bob, QStringLiteral("mail"), QByteArray("c")));
        auto t = storage.eventTargets(QStringLiteral("alice"), QStringLiteral("mail"));
        QVERIFY(t);
        QCOMPARE(t->account.id, alice);
        QCOMPARE(t->account.name, QStringLiteral("alice"));
        QVERIFY(!t->account.disabled);
        QVERIFY(!t->loggedIn);
        QVERIFY(t->devices.isEmpty());

        // Logged in (without credentials) and no device: logged in, no devices.
        QVERIFY(storage.upsertLogin(alice, QStringLiteral("mail"), {}));
        t = storage.eventTargets(QStringLiteral("alice"), QStringLiteral("mail"));
        QVERIFY(t->loggedIn);
        QVERIFY(t->devices.isEmpty());
        QVERIFY(!storage.eventTargets(QStringLiteral("alice"), QStringLiteral("im"))->loggedIn); // mail only

        DeviceRecord older = device(alice, QStringLiteral("a-older"), QByteArray(32, 'c'));
        older.apps = {QStringLiteral("mail")};
        DeviceRecord newer = device(alice, QStringLiteral("a-newer"), QByteArray(32, 'd'));
        newer.apps = {QStringLiteral("mail"), QStringLiteral("im")};
        newer.name = QStringLiteral("Tablet");
        newer.pushTopic = QStringLiteral("org.example.herald");
        newer.locale = QStringLiteral("de-CH");
        DeviceRecord imOnly = device(alice, QStringLiteral("a-im"), QByteArray(32, 'e'));
        imOnly.apps = {QStringLiteral("im")};
        QVERIFY(storage.upsertDevice(newer) && storage.upsertDevice(older) && storage.upsertDevice(imOnly));
        const QDateTime base = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC);
        QVERIFY(storage.touchDevice(older.id, base));
        QVERIFY(storage.touchDevice(newer.id, base.addSecs(3600)));
        QVERIFY(storage.touchDevice(imOnly.id, base.addSecs(7200)));

        t = storage.eventTargets(QStringLiteral("alice"), QStringLiteral("mail"));
        QCOMPARE(t->devices.size(), 2);
        const DeviceRecord &d = t->devices.at(0);
        QCOMPARE(d.deviceId, QStringLiteral("a-newer"));
        QCOMPARE(d.id, newer.id);
        QCOMPARE(d.accountId, alice);
        QCOMPARE(d.platform, QStringLiteral("android"));
        QCOMPARE(d.pushToken, QStringLiteral("fcm-token-a-newer"));
        QCOMPARE(d.name, QStringLiteral("Tablet"));
        QCOMPARE(d.pushTopic, QStringLiteral("org.example.herald"));
        QCOMPARE(d.locale, QStringLiteral("de-CH"));
        QCOMPARE(d.tokenHash, QByteArray(32, 'd'));
        QCOMPARE(d.pushTokenState, PushTokenState::Active);
        QCOMPARE(d.lastSeen, base.addSecs(3600));
        QCOMPARE(d.apps, QStringList{QStringLiteral("mail")});
        QCOMPARE(t->devices.at(1).deviceId, QStringLiteral("a-older"));
        QCOMPARE(t->devices.at(1).lastSeen, base);

        // Seen the other way round: the order follows.
        QVERIFY(storage.touchDevice(older.id, base.addSecs(5400)));
        t = storage.eventTargets(QStringLiteral("alice"), QStringLiteral("mail"));
        QCOMPARE(t->devices.size(), 2);
        QCOMPARE(t->devices.at(0).deviceId, QStringLiteral("a-older"));
        QCOMPARE(t->devices.at(1).deviceId, QStringLiteral("a-newer"));
        const auto im = storage.eventTargets(QStringLiteral("alice"), QStringLiteral("im"));
        QCOMPARE(im->devices.size(), 2);
        QCOMPARE(im->devices.at(0).deviceId, QStringLiteral("a-im"));
        QCOMPARE(im->devices.at(1).deviceId, QStringLiteral("a-newer"));
        QCOMPARE(im->devices.at(1).apps, QStringList{QStringLiteral("im")});

        // Bob sees his own; disabled is per account.
        QVERIFY(storage.setAccountDisabled(bob, true));
        const auto b = storage.eventTargets(QStringLiteral("bob"), QStringLiteral("mail"));
        QCOMPARE(b->account.id, bob);
        QVERIFY(b->account.disabled);
        QVERIFY(b->loggedIn);
        QCOMPARE(b->devices.size(), 1);
        QCOMPARE(b->devices.at(0).deviceId, QStringLiteral("bob-phone"));
        QVERIFY(!storage.eventTargets(QStringLiteral("alice"), QStringLiteral("mail"))->account.disabled);

        // A device that drops the app, or is deleted, is no target any more; a logout shows.
        newer.apps = {QStringLiteral("im")};
        QVERIFY(storage.upsertDevice(newer));
        t = storage.eventTargets(QStringLiteral("alice"), QStringLiteral("mail"));
        QCOMPARE(t->devices.size(), 1);
        QCOMPARE(t->devices.at(0).deviceId, QStringLiteral("a-older"));
        QVERIFY(storage.deleteDevice(older.id));
        QVERIFY(storage.deleteLogin(alice, QStringLiteral("mail")));
        t = storage.eventTargets(QStringLiteral("alice"), QStringLiteral("mail"));
        QVERIFY(t);
        QVERIFY(t->devices.isEmpty());
        QVERIFY(!t->loggedIn);
    }

    void groupCommitReadsOpenNoBatch()
    {
        const QString path = freshPath();
        SqliteStorage storage(path);
        QString error;
        QVERIFY(storage.open(&error));
        QVERIFY(storage.createAccount(QStringLiteral("alice"), QStringLiteral("h")));
        storage.setGroupCommit(true);
        QVERIFY(storage.accountByName(QStringLiteral("alice")));
        QVERIFY(storage.accounts());
        QVERIFY(storage.eventTargets(QStringLiteral("alice"), QStringLiteral("mail")));
        bool ran = false;
        storage.whenDurable([&](bool ok) { ran = ok; });
        QVERIFY(ran); // reads alone leave nothing to wait for
        {
            // ... and take no write lock: another connection writes at once (not after the busy timeout).
            SqliteStorage other(path);
            QVERIFY(other.open(&error));
            QElapsedTimer timer;
            timer.start();
            QVERIFY(other.createAccount(QStringLiteral("bob"), QStringLiteral("h")));
            QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
        }
        QVERIFY(storage.createAccount(QStringLiteral("carol"), QStringLiteral("h")));
        ran = false;
        storage.whenDurable([&](bool ok) { ran = ok; });
        QVERIFY(!ran); // a write does
        QTRY_VERIFY(ran);
    }

    void groupCommitFailedStatementKeepsTheBatch()
    {
        const QString path = freshPath();
        SqliteStorage storage(path);
        QString error;
        QVERIFY(storage.open(&error));
        storage.setGroupCommit(true);
        QVERIFY(storage.createAccount(QStringLiteral("a"), QStringLiteral("h")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("UNIQUE constraint failed")));
        QVERIFY(!storage.createAccount(QStringLiteral("a"), QStringLiteral("again"))); // outside any unit
        QVERIFY(storage.createAccount(QStringLiteral("b"), QStringLiteral("h")));
        QList<bool> outcomes;
        storage.whenDurable([&](bool ok) { outcomes << ok; });
        QVERIFY(!committed(path, QStringLiteral("b")));
        QTRY_COMPARE(outcomes, QList<bool>{true});
        QVERIFY(committed(path, QStringLiteral("a")));
        QVERIFY(committed(path, QStringLiteral("b")));
        QCOMPARE(storage.accountByName(QStringLiteral("a"))->passwordHash, QStringLiteral("h"));
    }

    void groupCommitOnePassAfterAnother()
    {
        const QString path = freshPath();
        SqliteStorage storage(path);
        QString error;
        QVERIFY(storage.open(&error));
        storage.setGroupCommit(true);
        QStringList log;
        QVERIFY(storage.createAccount(QStringLiteral("first"), QStringLiteral("h")));
        storage.whenDurable([&](bool ok) {
            log << QStringLiteral("first %1").arg(ok);
            // Run after the COMMIT, not before: another connection already sees the batch.
            log << (committed(path, QStringLiteral("first")) ? QStringLiteral("first visible")
                                                              : QStringLiteral("first pending"));
            // Written from a callback: a new batch, whose waiters wait for its own commit.
            log << QStringLiteral("write %1").arg(storage.createAccount(QStringLiteral("second"), QStringLiteral("h")).has_value());
            storage.whenDurable([&](bool done) { log << QStringLiteral("second %1").arg(done); });
            log << (committed(path, QStringLiteral("second")) ? QStringLiteral("second visible")
                                                               : QStringLiteral("second pending"));
        });
        storage.whenDurable([&](bool ok) { log << QStringLiteral("first-b %1").arg(ok); });
        storage.setGroupCommit(true); // again: the open batch stays as it is
        QVERIFY(!committed(path, QStringLiteral("first")));
        QTRY_COMPARE(log.size(), 6);
        QCOMPARE(log, QStringList({QStringLiteral("first 1"), QStringLiteral("first visible"), QStringLiteral("write 1"),
                                   QStringLiteral("second pending"), QStringLiteral("first-b 1"),
                                   QStringLiteral("second 1")}));
        QVERIFY(committed(path, QStringLiteral("second")));

        // A unit's RELEASE is no commit either; the next pass commits it.
        QVERIFY(storage.transaction([&] { return storage.createAccount(QStringLiteral("third"), QStringLiteral("h")).has_value(); }));
        bool durable = false;
        storage.whenDurable([&](bool ok) { durable = ok; });
        QVERIFY(!durable);
        QVERIFY(!committed(path, QStringLiteral("third")));
        QTRY_VERIFY(durable);
        QVERIFY(committed(path, QStringLiteral("third")));
    }

    void groupCommitFailureFailsEveryWaiter()
    {
        const QString path = freshPath();
        SqliteStorage storage(path);
        QString error;
        QVERIFY(storage.open(&error));
        storage.setGroupCommit(true);
        QVERIFY(storage.transaction([&] { return storage.createAccount(QStringLiteral("unit"), QStringLiteral("h")).has_value(); }));
        QVERIFY(storage.createAccount(QStringLiteral("plain"), QStringLiteral("h")));
        // A deferred foreign-key violation is only found by COMMIT.
        QCOMPARE(sqlite3_exec(storage.nativeHandle(), "PRAGMA defer_foreign_keys = ON", nullptr, nullptr, nullptr), SQLITE_OK);
        DeliveryRecord orphan;
        orphan.id = QStringLiteral("d-orphan");
        orphan.notificationId = QStringLiteral("no-such-notification");
        orphan.deviceId = 4242;
        QVERIFY(storage.insertDelivery(orphan));
        QStringList outcomes;
        for (int i = 1; i <= 3; ++i)
            storage.whenDurable([&outcomes, i](bool ok) { outcomes << QStringLiteral("%1 %2").arg(i).arg(ok); });
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("COMMIT failed")));
        QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(QStringLiteral("group commit failed")));
        QTRY_COMPARE(outcomes, QStringList({QStringLiteral("1 0"), QStringLiteral("2 0"), QStringLiteral("3 0")}));
        QVERIFY(!committed(path, QStringLiteral("unit")));
        QVERIFY(!committed(path, QStringLiteral("plain")));
        QVERIFY(!storage.accountByName(QStringLiteral("plain"))); // rolled back here too, not left open
        QVERIFY(!storage.deliveryById(QStringLiteral("d-orphan")));
    }
};

QTEST_GUILESS_MAIN(tst_SqliteStorage)
#include "tst_sqlitestorage.moc"
