// Dispatcher::resume() at size: 20 000 open deliveries left by a previous run are claimed a page at
// a time (keyset pagination), so the rows held at once never exceed the page size; a new event is
// delivered while resume is still catching up; every open row is taken over exactly once, and a
// row this run has already taken over (moved ahead in the order) is left alone. And the claims
// between servers: a restart of the same node takes its rows at once, another node's only once
// that node's heartbeat has aged.
#include "app/ServerConfig.h"
#include "dispatch/AppSettings.h"
#include "dispatch/DispatchSettings.h"
#include "dispatch/Dispatcher.h"
#include "presence/PresenceTracker.h"
#include "push/ProviderRegistry.h"
#include "storage/SqlResources.h"
#include "storage/SqliteStorage.h"
#include "OutboxRows.h"
#include "RecordStatePrinting.h"
#include "SqlRows.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace herald;

namespace {

constexpr int PendingRows = 5'000;  // pushed once resumed
constexpr int RetryRows = 15'000;   // due in an hour: resumed into the retry schedule only
constexpr int PageSize = 500;

DeliveryRecord delivery(const NotificationRecord &n, qint64 deviceId, DeliveryState state, const QDateTime &next = {})
{
    DeliveryRecord d;
    d.id = QStringLiteral("d-") + n.eventId;
    d.notificationId = n.id;
    d.deviceId = deviceId;
    d.state = state;
    d.channel = state == DeliveryState::Retry ? DeliveryChannel::Push : DeliveryChannel::None;
    d.nextAttemptAt = next;
    return d;
}

// Alice's Android phone, subscribed to mail, as stored (with its row id).
std::optional<DeviceRecord> addPhone(Storage &storage, qint64 accountId)
{
    DeviceRecord device;
    device.accountId = accountId;
    device.deviceId = QStringLiteral("phone");
    device.platform = QStringLiteral("android");
    device.pushToken = QStringLiteral("fcm-token");
    device.apps = {QStringLiteral("mail")};
    device.tokenHash = QByteArray(32, 'x');
    if (!storage.upsertDevice(device))
        return std::nullopt;
    return storage.deviceByDeviceId(QStringLiteral("phone"));
}

} // namespace

class tst_PagedResume : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void resumesInPagesWhileServingNewEvents()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ServerConfig config;
        config.dataDir = dir.path();
        // What a previous run of this node left: open deliveries to one Android device. It was
        // killed a moment ago, so its heartbeat is still fresh: the restart must not wait for it
        // to age (joinNodes() under the same node name lets go of it).
        const QString path = dir.filePath(QStringLiteral("herald.sqlite"));
        auto previousRun = std::make_unique<SqliteStorage>(path);
        QString error;
        QVERIFY2(previousRun->open(&error), qPrintable(error));
        QVERIFY(previousRun->joinNodes(QStringLiteral("node-a")));
        QVERIFY(previousRun->beatNode(QStringLiteral("node-a"), {}));
        SqliteStorage *storage = previousRun.get();
        const auto accountId = storage->createAccount(QStringLiteral("alice"), QStringLiteral("x"));
        QVERIFY(accountId);
        const auto stored = addPhone(*storage, *accountId);
        QVERIFY(stored);
        const QDateTime inAnHour = QDateTime::currentDateTimeUtc().addSecs(3600);
        QVERIFY(storage->transaction([&] {
            for (int i = 0; i < PendingRows + RetryRows; ++i) {
                const NotificationRecord n = test::mailNotification(*accountId, QStringLiteral("e%1").arg(i));
                const bool retry = i % 4 != 0; // interleaved, so pages mix both kinds
                if (!storage->insertNotification(n) ||
                    !storage->insertDelivery(delivery(n, stored->id, retry ? DeliveryState::Retry : DeliveryState::Pending,
                                                     retry ? inAnHour : QDateTime())))
                    return false;
            }
            return true;
        }));
        QCOMPARE(*storage->openDeliveryCount(), qint64(PendingRows + RetryRows));

        // This run: the same node, started again.
        SqliteStorage thisRun(path);
        QVERIFY2(thisRun.open(&error), qPrintable(error));
        storage = &thisRun;
        previousRun.reset();
        QVERIFY(thisRun.joinNodes(QStringLiteral("node-a")));
        // The last row in resume order: a retry due in an hour (latest next_attempt_at, then rowid).
        const QString lastId = QStringLiteral("d-e%1").arg(PendingRows + RetryRows - 1);

        PresenceTracker presence;
        ProviderRegistry providers;
        QVERIFY2(providers.load(config.sections, config.dataDir, &error), qPrintable(error));
        AppCatalog apps;
        QVERIFY2(apps.load({}, &error), qPrintable(error));
        Dispatcher dispatcher(*storage, presence, providers, apps, config.dispatch);
        dispatcher.setResumePageSize(PageSize);

        QList<int> pages;
        connect(&dispatcher, &Dispatcher::resumePageRead, this, [&](int rows) { pages.append(rows); });
        QSignalSpy finished(&dispatcher, &Dispatcher::resumeFinished);

        const NotificationRecord fresh = test::mailNotification(*accountId, QStringLiteral("fresh"));
        bool freshDelivered = false;
        bool resumingWhenDelivered = false;
        connect(&dispatcher, &Dispatcher::deliveryFinished, this, [&](const QString &id, DeliveryState state) {
            if (id == QStringLiteral("d-fresh")) {
                freshDelivered = state == DeliveryState::Delivered;
                resumingWhenDelivered = dispatcher.isResuming();
            }
        });

        dispatcher.resume();
        QVERIFY(dispatcher.isResuming()); // it returned after the first page
        QCOMPARE(pages, QList<int>{PageSize});

        // This run takes over the last row before resume gets there (an operator's retry that
        // went in-band, say): resume must leave it alone rather than call its ack lost.
        auto last = storage->deliveryById(lastId);
        QVERIFY(last);
        last->state = DeliveryState::InBand;
        last->channel = DeliveryChannel::InBand;
        QVERIFY(storage->updateDelivery(*last));

        // A new event arrives while resume catches up, through the event loop like any request.
        QTimer::singleShot(0, this, [&] {
            DeliveryRecord d = delivery(fresh, stored->id, DeliveryState::Pending);
            QVERIFY(storage->insertNotification(fresh));
            QVERIFY(storage->insertDelivery(d));
            dispatcher.dispatchNew(d, fresh, *stored);
        });

        QVERIFY(finished.wait(120'000));
        QVERIFY(freshDelivered);
        QVERIFY2(resumingWhenDelivered, "the new event waited for resume to finish");

        // Every row was read, none twice, never more than a page at once.
        QCOMPARE(finished.at(0).at(0).toInt(), PendingRows + RetryRows - 1); // all but the one taken over
        QVERIFY(pages.size() >= (PendingRows + RetryRows) / PageSize);
        QCOMPARE(*std::max_element(pages.cbegin(), pages.cend()), PageSize);

        const auto untouched = storage->deliveryById(lastId);
        QCOMPARE(untouched->state, DeliveryState::InBand);
        QVERIFY(storage->deliveryAttempts(lastId)->isEmpty());

        // The pending rows are pushed; the retries wait for their hour; the taken-over row stays.
        QTRY_COMPARE_WITH_TIMEOUT(*storage->openDeliveryCount(), qint64(RetryRows), 120'000);
        QCOMPARE(storage->deliveryById(QStringLiteral("d-e0"))->state, DeliveryState::Delivered);
        QCOMPARE(storage->deliveryById(QStringLiteral("d-e1"))->state, DeliveryState::Retry);
    }

    void pageQueryIsOneIndexRange()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("plan.sqlite"));
        {
            SqliteStorage storage(path);
            QString error;
            QVERIFY2(storage.open(&error), qPrintable(error));
        }
        // However deep the cursor, a page is read from the partial index in its order: no scan of
        // the rows before it, no sort.
        QString sql = SqlResources(QStringLiteral("sqlite")).query(QStringLiteral("claim_open_deliveries"));
        QVERIFY(!sql.isEmpty());
        sql.replace(QStringLiteral(":next_attempt_at"), QStringLiteral("5"))
            .replace(QStringLiteral(":created_at"), QStringLiteral("6"))
            .replace(QStringLiteral(":rowid"), QStringLiteral("7"))
            .replace(QStringLiteral(":alive_since"), QStringLiteral("8"))
            .replace(QStringLiteral(":claimer"), QStringLiteral("'me'"))
            .replace(QStringLiteral(":limit"), QStringLiteral("500"));
        QString error;
        const auto plan = test::sqlRows(path, QStringLiteral("EXPLAIN QUERY PLAN ") + sql, &error);
        QVERIFY2(plan, qPrintable(error));
        QString text;
        for (const QVariantList &row : *plan)
            text += row.last().toString() + QLatin1Char('\n');
        QVERIFY2(text.contains(QLatin1String("USING INDEX deliveries_open (")), qPrintable(text)); // a range, not a full scan
        QVERIFY2(!text.contains(QLatin1String("TEMP B-TREE")), qPrintable(text));
        QVERIFY2(!text.contains(QLatin1String("SCAN deliveries")), qPrintable(text));
    }

    void takesOverWhatAStoppedServerLeft()
    {
        QTemporaryDir dir;
        ServerConfig config;
        config.dataDir = dir.path();
        const QString path = dir.filePath(QStringLiteral("herald.sqlite"));
        QString error;

        // Another server on the same database, node-b, made three deliveries and then stopped
        // beating (hung, or killed on another machine: its process may even still be there).
        SqliteStorage other(path);
        QVERIFY2(other.open(&error), qPrintable(error));
        QVERIFY(other.joinNodes(QStringLiteral("node-b")));
        const auto accountId = other.createAccount(QStringLiteral("alice"), QStringLiteral("x"));
        QVERIFY(accountId);
        const auto stored = addPhone(other, *accountId);
        QVERIFY(stored);
        for (int i = 0; i < 3; ++i) {
            const NotificationRecord n = test::mailNotification(*accountId, QStringLiteral("b%1").arg(i));
            QVERIFY(other.insertNotification(n));
            QVERIFY(other.insertDelivery(delivery(n, stored->id, DeliveryState::Pending)));
        }

        SqliteStorage mine(path);
        QVERIFY2(mine.open(&error), qPrintable(error));
        QVERIFY(mine.joinNodes(QStringLiteral("node-a")));
        PresenceTracker presence;
        ProviderRegistry providers;
        QVERIFY(providers.load(config.sections, config.dataDir, &error));
        AppCatalog apps;
        QVERIFY(apps.load({}, &error));
        DispatchSettings settings = config.dispatch;
        settings.nodeHeartbeatSecs = 1;
        settings.nodeTimeoutSecs = 2;
        Dispatcher dispatcher(mine, presence, providers, apps, settings);
        QSignalSpy finished(&dispatcher, &Dispatcher::resumeFinished);

        // At start node-b is alive: what it owns is left alone.
        const qint64 started = QDateTime::currentMSecsSinceEpoch();
        dispatcher.resume();
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).toInt(), 0);
        QCOMPARE(*mine.openDeliveryCount(), 3);

        // Once its heartbeat is older than the timeout, this server takes the three over, pushes
        // them, and drops node-b from the nodes table.
        QVERIFY(finished.wait(20'000));
        QVERIFY(QDateTime::currentMSecsSinceEpoch() - started >= settings.nodeTimeoutSecs * 1000);
        QCOMPARE(finished.at(1).at(0).toInt(), 3);
        QTRY_COMPARE_WITH_TIMEOUT(*mine.openDeliveryCount(), qint64(0), 20'000);
        QCOMPARE(mine.deliveryById(QStringLiteral("d-b0"))->state, DeliveryState::Delivered);
        const auto nodes = test::sqlRows(path, QStringLiteral("SELECT node FROM nodes ORDER BY node"), &error);
        QVERIFY2(nodes, qPrintable(error));
        QCOMPARE(nodes->size(), 1);
        QCOMPARE(nodes->at(0).at(0).toString(), QStringLiteral("node-a"));

        // node-b wakes up: its next heartbeat enters it again, with nothing of its own left.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("heartbeat had stopped")));
        QVERIFY(other.beatNode(QStringLiteral("node-b"), {}));
        QCOMPARE(test::sqlRows(path, QStringLiteral("SELECT node FROM nodes"), &error)->size(), 2);
    }

    void emptyOutboxFinishesAtOnce()
    {
        QTemporaryDir dir;
        ServerConfig config;
        config.dataDir = dir.path();
        SqliteStorage storage(dir.filePath(QStringLiteral("herald.sqlite")));
        QString error;
        QVERIFY2(storage.open(&error), qPrintable(error));
        PresenceTracker presence;
        ProviderRegistry providers;
        QVERIFY(providers.load(config.sections, config.dataDir, &error));
        AppCatalog apps;
        QVERIFY(apps.load({}, &error));
        Dispatcher dispatcher(storage, presence, providers, apps, config.dispatch);
        QSignalSpy finished(&dispatcher, &Dispatcher::resumeFinished);
        dispatcher.resume();
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).toInt(), 0);
        QVERIFY(!dispatcher.isResuming());
    }
};

QTEST_GUILESS_MAIN(tst_PagedResume)
#include "tst_pagedresume.moc"
