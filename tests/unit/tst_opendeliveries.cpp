// The open-deliveries index (schema 7): what a restart resumes. openDeliveries() returns exactly the
// deliveries in an open state, in resume order, through the partial index deliveries_open, and a
// delivery that finishes leaves the index. A fresh database and one upgraded from version 6 carry
// the same index.
#include "RecordStatePrinting.h"
#include "SqlRows.h"
#include "storage/SqlResources.h"
#include "storage/SqliteStorage.h"
#include "crypto/RandomToken.h"

#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace herald;

namespace {

const QList<DeliveryState> kOpen{DeliveryState::Pending, DeliveryState::InBand, DeliveryState::Push,
                                 DeliveryState::Retry};
const QList<DeliveryState> kFinished{DeliveryState::Delivered, DeliveryState::Failed, DeliveryState::Cancelled};

// Every row `sql` gives, its columns joined by spaces; an "error: …" line when it fails.
QStringList rows(const QString &path, const QString &sql)
{
    QString error;
    const auto result = test::sqlRows(path, sql, &error);
    if (!result)
        return {QStringLiteral("error: ") + error};
    QStringList out;
    for (const QVariantList &row : *result) {
        QStringList columns;
        for (const QVariant &v : row)
            columns << v.toString();
        out << columns.join(QLatin1Char(' '));
    }
    return out;
}

} // namespace

class tst_OpenDeliveries : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_n = 0;
    QString nextPath() { return m_dir.filePath(QStringLiteral("open-%1.sqlite").arg(++m_n)); }

    // An account with one device and one notification; the device's row id.
    static qint64 seed(SqliteStorage &storage, NotificationRecord *notification)
    {
        const auto account = storage.createAccount(QStringLiteral("alice"), QStringLiteral("x"));
        if (!account)
            return 0;
        DeviceRecord d;
        d.accountId = *account;
        d.deviceId = QStringLiteral("phone");
        d.platform = QStringLiteral("ios");
        d.pushToken = QStringLiteral("00ff");
        d.tokenHash = "hash-phone";
        d.apps = {QStringLiteral("mail")};
        if (!storage.upsertDevice(d))
            return 0;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        notification->id = RandomToken::timeOrderedUuid();
        notification->accountId = *account;
        notification->app = QStringLiteral("mail");
        notification->source = QStringLiteral("test");
        notification->eventId = QStringLiteral("e1");
        notification->receivedAt = notification->createdAt = now;
        notification->expiresAt = now.addSecs(3600);
        notification->state = NotificationState::Active;
        return storage.insertNotification(*notification) ? d.id : 0;
    }

    static bool addDelivery(SqliteStorage &storage, const NotificationRecord &n, qint64 device, DeliveryState state,
                            const QDateTime &nextAttemptAt)
    {
        DeliveryRecord d;
        d.id = RandomToken::timeOrderedUuid();
        d.notificationId = n.id;
        d.deviceId = device;
        d.state = state;
        d.nextAttemptAt = nextAttemptAt;
        return storage.insertDelivery(d);
    }

    // A storage at `path` with an account, its device and a notification; device is 0 on failure.
    struct Seeded
    {
        std::unique_ptr<SqliteStorage> storage;
        NotificationRecord notification;
        qint64 device = 0;
        QString error;
    };
    static Seeded openSeeded(const QString &path)
    {
        Seeded s;
        s.storage = std::make_unique<SqliteStorage>(path);
        if (s.storage->open(&s.error))
            s.device = seed(*s.storage, &s.notification);
        return s;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void returnsOpenStatesInResumeOrder()
    {
        const QString path = nextPath();
        Seeded seeded = openSeeded(path);
        QVERIFY2(seeded.device > 0, qPrintable(seeded.error));
        SqliteStorage &storage = *seeded.storage;
        const NotificationRecord &n = seeded.notification;
        const qint64 device = seeded.device;

        // One delivery in every state; next_attempt_at runs backwards so the order is the index's,
        // not the insertion's.
        const QList<DeliveryState> states = kOpen + kFinished;
        const QDateTime base = QDateTime::currentDateTimeUtc().addSecs(600);
        for (int i = 0; i < states.size(); ++i)
            QVERIFY(addDelivery(storage, n, device, states.at(i), base.addSecs(-i)));

        const auto open = storage.openDeliveries(100);
        QVERIFY(open);
        QList<DeliveryState> got;
        for (const DeliveryRecord &d : *open)
            got << d.state;
        QCOMPARE(got, (QList<DeliveryState>{DeliveryState::Retry, DeliveryState::Push, DeliveryState::InBand,
                                            DeliveryState::Pending}));
        QCOMPARE(storage.openDeliveries(2)->size(), 2); // the limit holds

        // The index holds the open rows only.
        QCOMPARE(rows(path, QStringLiteral("SELECT count(*) FROM deliveries INDEXED BY deliveries_open "
                                           "WHERE state <> 'delivered' AND state <> 'failed' AND state <> 'cancelled'")),
                 QStringList{QStringLiteral("4")});

        // Finishing one takes it out; reopening (a retry) brings it back.
        DeliveryRecord first = open->constFirst();
        first.state = DeliveryState::Delivered;
        QVERIFY(storage.updateDelivery(first));
        QCOMPARE(storage.openDeliveries(100)->size(), 3);
        first.state = DeliveryState::Retry;
        QVERIFY(storage.updateDelivery(first));
        QCOMPARE(storage.openDeliveries(100)->size(), 4);
        QCOMPARE(rows(path, QStringLiteral("PRAGMA integrity_check")), QStringList{QStringLiteral("ok")});
    }

    void resumeQueryUsesThePartialIndex()
    {
        const QString path = nextPath();
        {
            SqliteStorage storage(path);
            QString error;
            QVERIFY2(storage.open(&error), qPrintable(error));
        }
        // The query's WHERE must repeat the index's word for word, or SQLite scans the whole table
        // (all of history) on every start.
        QString sql = SqlResources(QStringLiteral("sqlite")).query(QStringLiteral("select_open_deliveries"));
        QVERIFY(!sql.isEmpty());
        sql.replace(QStringLiteral(":limit"), QStringLiteral("10"));
        const QString plan = rows(path, QStringLiteral("EXPLAIN QUERY PLAN ") + sql).join(QLatin1Char('\n'));
        QVERIFY2(plan.contains(QLatin1String("USING INDEX deliveries_open")), qPrintable(plan));
        QVERIFY2(!plan.contains(QLatin1String("TEMP B-TREE")), qPrintable(plan)); // the index gives the order
    }

    void upgradeFromVersion6BuildsTheSameIndex()
    {
        const QString path = nextPath();
        {
            Seeded seeded = openSeeded(path);
            QVERIFY2(seeded.device > 0, qPrintable(seeded.error));
            for (const DeliveryState state : kOpen + kFinished)
                QVERIFY(addDelivery(*seeded.storage, seeded.notification, seeded.device, state, QDateTime()));
        }
        const QString fresh = rows(path, QStringLiteral("SELECT sql FROM sqlite_master WHERE name = 'deliveries_open'"))
                                  .join(QString());
        QVERIFY(fresh.contains(QLatin1String("WHERE")));
        // Back to version 6 as far as this index goes: the full index by state.
        QVERIFY(rows(path, QStringLiteral("DROP INDEX deliveries_open")).isEmpty());
        QVERIFY(rows(path, QStringLiteral("CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at)")).isEmpty());
        // Then upgrade 007's own statements, as the migrator runs them. (Setting the version back to 6
        // would replay the later upgrades too, which changed other tables and cannot run twice;
        // tst_sqlitestorage holds the whole chain to a fresh schema.)
        bool ran = false;
        for (const SqlResources::Upgrade &upgrade : SqlResources(QStringLiteral("sqlite")).upgrades()) {
            if (upgrade.version != 7)
                continue;
            for (const QString &statement : upgrade.statements)
                QVERIFY(rows(path, statement).isEmpty());
            ran = true;
        }
        QVERIFY(ran);
        {
            SqliteStorage storage(path);
            QString error;
            QVERIFY2(storage.open(&error), qPrintable(error));
            QCOMPARE(storage.schemaVersion(), SqlResources(QStringLiteral("sqlite")).schemaVersion());
            QCOMPARE(storage.openDeliveries(100)->size(), kOpen.size());
        }
        QCOMPARE(rows(path, QStringLiteral("SELECT sql FROM sqlite_master WHERE name = 'deliveries_open'")).join(QString()),
                 fresh);
        QVERIFY(rows(path, QStringLiteral("SELECT name FROM sqlite_master WHERE name = 'deliveries_due'")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_OpenDeliveries)
#include "tst_opendeliveries.moc"
