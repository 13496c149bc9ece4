// WalCheckpointer: checkpoints of a writing connection run on a thread with a connection of their
// own, and the writer gets its automatic checkpoints back when the checkpointer stops or cannot start.
#include "storage/SqliteStorage.h"
#include "storage/WalCheckpointer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

using namespace herald;

namespace {

// A raw writing connection in WAL mode with autocheckpoint at SQLite's default.
sqlite3 *openWriter(const QString &path)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr)
        != SQLITE_OK)
        return nullptr;
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS t (x BLOB)", nullptr, nullptr, nullptr);
    return db;
}

int pragmaInt(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = nullptr;
    int value = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        value = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return value;
}

// One transaction writing about `pages` pages of 4 KiB.
bool writePages(sqlite3 *db, int pages)
{
    const QByteArray cte = QByteArrayLiteral("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ")
                           + QByteArray::number(pages) + QByteArrayLiteral(") INSERT INTO t SELECT randomblob(3900) FROM n");
    return sqlite3_exec(db, cte.constData(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

// WAL frames not yet copied into the database file, seen from a third connection.
// Pages that readers see but the database file does not hold yet (they are only in the WAL). It
// runs no checkpoint of its own: only the checkpointer under test can bring it to 0.
int pagesOnlyInWal(const QString &path)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr);
    const int pages = pragmaInt(db, "PRAGMA page_count");
    const int pageSize = pragmaInt(db, "PRAGMA page_size");
    sqlite3_close_v2(db);
    return pages <= 0 || pageSize <= 0 ? -1 : pages - int(QFileInfo(path).size() / pageSize);
}

} // namespace

class tst_WalCheckpointer : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_n = 0;
    QString freshPath() { return m_dir.filePath(QStringLiteral("wal%1.sqlite").arg(++m_n)); }

private Q_SLOTS:
    void checkpointsOffTheWritingThread()
    {
        const QString path = freshPath();
        sqlite3 *writer = openWriter(path);
        QVERIFY(writer);
        QCOMPARE(pragmaInt(writer, "PRAGMA wal_autocheckpoint"), 1000);
        {
            WalCheckpointer checkpointer;
            QString error;
            QVERIFY2(checkpointer.start(writer, path, &error, 50), qPrintable(error));
            // The writer no longer checkpoints by itself.
            QCOMPARE(pragmaInt(writer, "PRAGMA wal_autocheckpoint"), 0);

            // Below the threshold nothing is asked for.
            QVERIFY(writePages(writer, 10));
            QCOMPARE(checkpointer.checkpointsRequested(), 0); // the hook runs inside the commit
            QCOMPARE(checkpointer.checkpointsRun(), 0);

            // Over it, the thread copies the WAL back, and the writer goes on writing meanwhile.
            QVERIFY(writePages(writer, 80));
            QTRY_VERIFY(checkpointer.checkpointsRun() >= 1);
            QTRY_COMPARE(pagesOnlyInWal(path), 0);
            for (int i = 0; i < 20; ++i)
                QVERIFY(writePages(writer, 60));
            QTRY_VERIFY(checkpointer.checkpointsRun() >= 2);
            QTRY_COMPARE(pagesOnlyInWal(path), 0);
            QCOMPARE(pragmaInt(writer, "SELECT count(*) FROM t"), 10 + 80 + 20 * 60);
        }
        // Stopped (here by its destructor): SQLite's own checkpoints are back.
        QCOMPARE(pragmaInt(writer, "PRAGMA wal_autocheckpoint"), 1000);
        QVERIFY(writePages(writer, 10));
        sqlite3_close_v2(writer);
    }

    void aFileThatCannotBeOpenedLeavesTheWriterAsItWas()
    {
        const QString path = freshPath();
        sqlite3 *writer = openWriter(path);
        QVERIFY(writer);
        WalCheckpointer checkpointer;
        QString error;
        QVERIFY(!checkpointer.start(writer, m_dir.filePath(QStringLiteral("no/such/dir/x.sqlite")), &error));
        QVERIFY2(error.contains(QLatin1String("cannot open")), qPrintable(error));
        QCOMPARE(pragmaInt(writer, "PRAGMA wal_autocheckpoint"), 1000);
        checkpointer.stop(); // harmless when not started
        QCOMPARE(pragmaInt(writer, "PRAGMA wal_autocheckpoint"), 1000);
        sqlite3_close_v2(writer);
    }

    void startTwiceAndStopTwice()
    {
        const QString path = freshPath();
        sqlite3 *writer = openWriter(path);
        WalCheckpointer checkpointer;
        QString error;
        QVERIFY(checkpointer.start(writer, path, &error, 20));
        QVERIFY(checkpointer.start(writer, path, &error, 20)); // restarts cleanly
        QVERIFY(writePages(writer, 40));
        QTRY_VERIFY(checkpointer.checkpointsRun() >= 1);
        checkpointer.stop();
        checkpointer.stop();
        QCOMPARE(pragmaInt(writer, "PRAGMA wal_autocheckpoint"), 1000);
        sqlite3_close_v2(writer);
    }

    void followsGroupCommitOfTheStorage()
    {
        // The server's write mode (group commit) brings the checkpointer; turning it off, or closing,
        // hands checkpoints back.
        const QString path = freshPath();
        SqliteStorage storage(path);
        QString error;
        QVERIFY2(storage.open(&error), qPrintable(error));
        auto autocheckpoint = [&storage] {
            int pages = -1;
            sqlite3_exec(
                storage.nativeHandle(), "PRAGMA wal_autocheckpoint",
                [](void *out, int, char **values, char **) {
                    *static_cast<int *>(out) = values[0] ? atoi(values[0]) : -1;
                    return 0;
                },
                &pages, nullptr);
            return pages;
        };
        QCOMPARE(autocheckpoint(), 1000);
        storage.setGroupCommit(true);
        QCOMPARE(autocheckpoint(), 0);
        QVERIFY(storage.createAccount(QStringLiteral("alice"), QStringLiteral("h")));
        bool durable = false;
        storage.whenDurable([&](bool ok) { durable = ok; });
        QTRY_VERIFY(durable);
        storage.setGroupCommit(false);
        QCOMPARE(autocheckpoint(), 1000);
        QVERIFY(storage.accountByName(QStringLiteral("alice")));
        storage.setGroupCommit(true);
        QCOMPARE(autocheckpoint(), 0);
        storage.close(); // stops the thread before the connection goes
    }
};

QTEST_GUILESS_MAIN(tst_WalCheckpointer)
#include "tst_walcheckpointer.moc"
