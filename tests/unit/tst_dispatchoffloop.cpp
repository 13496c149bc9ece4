// The dispatcher does its storage work off the event loop (issue 17): with the server's storage
// set-up (group commit: a background writer and reading connections, each with a Storage of its
// own), every delivery read and write, the badge and the dead-token verdict go there, so none of
// them reaches the event loop's Storage, which this test counts (tests/support/CountingStorage.h).
// Along the way it checks that the outcomes are what they were: the badge counts the push's own
// notification, a retry goes out again, a dead token that was replaced meanwhile gets the push at
// the new one, an open cancels what is still waiting and clears the tray of the pushed device with
// the new badge, and what a stopped server left is taken over.
#include "app/ServerConfig.h"
#include "dispatch/AppSettings.h"
#include "dispatch/Dispatcher.h"
#include "presence/PresenceTracker.h"
#include "push/ProviderRegistry.h"
#include "storage/SqliteStorage.h"
#include "CountingStorage.h"
#include "OutboxRows.h"
#include "RecordStatePrinting.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <deque>

using namespace herald;
using herald::test::CountingStorage;

namespace {

// Answers each push with the next scripted verdict (Delivered when the script is empty), on the
// next pass of the event loop, as a real provider answers later.
class ScriptedProvider : public Provider
{
public:
    std::deque<PushResult::Outcome> script;
    QList<PushMessage> sent;
    std::function<void(const PushMessage &)> onSend;

    QString name() const override { return QStringLiteral("scripted"); }
    bool canAccept() const override { return true; }
    void send(const PushMessage &message) override
    {
        sent.append(message);
        if (onSend)
            onSend(message);
        PushResult result;
        result.deliveryId = message.deliveryId;
        result.outcome = PushResult::Outcome::Delivered;
        if (!script.empty()) {
            result.outcome = script.front();
            script.pop_front();
        }
        result.httpStatus = result.outcome == PushResult::Outcome::Delivered   ? 200
                            : result.outcome == PushResult::Outcome::TokenDead ? 410
                                                                               : 503;
        if (result.outcome == PushResult::Outcome::TokenDead)
            result.reason = QStringLiteral("UNREGISTERED");
        if (result.outcome == PushResult::Outcome::RetryLater)
            result.retryAfterSecs = 0; // the policy's floor (1 s) then
        QMetaObject::invokeMethod(this, [this, result] { Q_EMIT finished(result); }, Qt::QueuedConnection);
    }
};

} // namespace

class tst_DispatchOffLoop : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<CountingStorage> m_storage;
    ServerConfig m_config;
    std::unique_ptr<PresenceTracker> m_presence;
    std::unique_ptr<ProviderRegistry> m_providers;
    ScriptedProvider *m_provider = nullptr;
    AppCatalog m_apps;
    std::unique_ptr<Dispatcher> m_dispatcher;
    qint64 m_accountId = 0;
    int m_events = 0;

    DeviceRecord addDevice(const QString &deviceId, const QString &token)
    {
        DeviceRecord device;
        device.accountId = m_accountId;
        device.deviceId = deviceId;
        device.platform = QStringLiteral("android");
        device.pushToken = token;
        device.apps = {QStringLiteral("mail")};
        device.tokenHash = QCryptographicHash::hash(deviceId.toUtf8(), QCryptographicHash::Sha256);
        [&] { QVERIFY(m_storage->upsertDevice(device)); }();
        return *m_storage->deviceByDeviceId(deviceId);
    }

    // A notification and its delivery to `device`, committed, as the ingest leaves them.
    std::pair<NotificationRecord, DeliveryRecord> stored(const DeviceRecord &device)
    {
        const NotificationRecord n = test::mailNotification(m_accountId, QStringLiteral("e%1").arg(++m_events));
        DeliveryRecord d;
        d.id = QStringLiteral("d-") + n.eventId + QLatin1Char('-') + device.deviceId;
        d.notificationId = n.id;
        d.deviceId = device.id;
        bool written = false;
        m_storage->writeInBackground([n, d](Storage &s) { return s.insertNotification(n) && s.insertDelivery(d); },
                                     [&](bool ok) { written = ok; });
        [&] { QTRY_VERIFY(written); }();
        return {n, d};
    }

    std::pair<NotificationRecord, DeliveryRecord> stored(const DeviceRecord &device, const NotificationRecord &n)
    {
        DeliveryRecord d;
        d.id = QStringLiteral("d-") + n.eventId + QLatin1Char('-') + device.deviceId;
        d.notificationId = n.id;
        d.deviceId = device.id;
        bool written = false;
        m_storage->writeInBackground([d](Storage &s) { return s.insertDelivery(d); }, [&](bool ok) { written = ok; });
        [&] { QTRY_VERIFY(written); }();
        return {n, d};
    }

    // Waits for the delivery's final state, then disarms the counter and reads the row back.
    std::optional<DeliveryRecord> finished(const QString &deliveryId)
    {
        std::optional<DeliveryState> state;
        const auto connection = connect(m_dispatcher.get(), &Dispatcher::deliveryFinished, this,
                                        [&](const QString &id, DeliveryState s) {
                                            if (id == deliveryId)
                                                state = s;
                                        });
        const bool came = QTest::qWaitFor([&] { return state.has_value(); }, 20'000);
        disconnect(connection);
        m_storage->armed = false;
        if (!came)
            return std::nullopt;
        return m_storage->deliveryById(deliveryId); // announced after its commit: the row says so
    }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_storage = std::make_unique<CountingStorage>(
            m_dir.filePath(QStringLiteral("%1.sqlite").arg(QTest::currentTestFunction())));
        QString error;
        QVERIFY2(m_storage->open(&error), qPrintable(error));
        QVERIFY(m_storage->joinNodes(QStringLiteral("node-a")));
        m_accountId = *m_storage->createAccount(QStringLiteral("alice"), QStringLiteral("x"));
        m_config.dataDir = m_dir.path();
        m_presence = std::make_unique<PresenceTracker>();
        m_providers = std::make_unique<ProviderRegistry>();
        m_provider = new ScriptedProvider;
        m_providers->add({QStringLiteral("android")}, m_provider);
        QVERIFY2(m_apps.load({}, &error), qPrintable(error));
        m_storage->setGroupCommit(true); // the server's mode
        m_dispatcher = std::make_unique<Dispatcher>(*m_storage, *m_presence, *m_providers, m_apps, m_config.dispatch);
    }

    void cleanup()
    {
        m_dispatcher.reset();
        m_storage->setGroupCommit(false);
        m_providers.reset();
        m_presence.reset();
        m_storage.reset();
    }

    void pushCarriesTheBadgeAndLeavesTheLoopAlone()
    {
        const DeviceRecord phone = addDevice(QStringLiteral("phone"), QStringLiteral("t1"));
        stored(phone); // an earlier one, still unread
        auto [n, d] = stored(phone);
        m_storage->armed = true;
        m_dispatcher->dispatchNew(d, n, phone);
        const auto row = finished(d.id);
        QVERIFY(row);
        QCOMPARE(row->state, DeliveryState::Delivered);
        QCOMPARE(row->channel, DeliveryChannel::Push);
        QCOMPARE(m_provider->sent.size(), 1);
        QCOMPARE(m_provider->sent.at(0).badge, 2); // both unread, its own included
        QCOMPARE(m_storage->calls, QStringList());
    }

    void aBurstToOneAccountSharesItsBadgeReads()
    {
        const DeviceRecord phone = addDevice(QStringLiteral("phone"), QStringLiteral("t1"));
        QList<std::pair<NotificationRecord, DeliveryRecord>> burst;
        for (int i = 0; i < 20; ++i)
            burst.append(stored(phone));
        m_storage->armed = true;
        for (auto &[n, d] : burst)
            m_dispatcher->dispatchNew(d, n, phone); // in one pass of the event loop
        QVERIFY(finished(burst.last().second.id));
        QTRY_COMPARE(m_provider->sent.size(), 20);
        for (const PushMessage &m : std::as_const(m_provider->sent))
            QCOMPARE(m.badge, 20);
        QCOMPARE(m_storage->calls, QStringList());
    }

    void retryGoesOutAgainOffTheLoop()
    {
        const DeviceRecord phone = addDevice(QStringLiteral("phone"), QStringLiteral("t1"));
        auto [n, d] = stored(phone);
        m_provider->script = {PushResult::Outcome::RetryLater};
        QSignalSpy retries(m_dispatcher.get(), &Dispatcher::retryScheduled);
        m_storage->armed = true;
        m_dispatcher->dispatchNew(d, n, phone);
        const auto row = finished(d.id);
        QVERIFY(row);
        QCOMPARE(retries.size(), 1);
        QCOMPARE(row->state, DeliveryState::Delivered);
        QCOMPARE(row->attempts, 2);
        QCOMPARE(m_provider->sent.size(), 2);
        QCOMPARE(m_provider->sent.at(1).deliveryId, d.id); // the same apns-id
        QCOMPARE(m_storage->calls, QStringList());
    }

    void deadTokenReplacedMeanwhileGetsThePushAtTheNewOne()
    {
        const DeviceRecord phone = addDevice(QStringLiteral("phone"), QStringLiteral("old-token"));
        auto [n, d] = stored(phone);
        m_provider->script = {PushResult::Outcome::TokenDead};
        // The phone registers again, with a new token, while the first push is out.
        bool reregistered = false;
        m_provider->onSend = [&, phone = phone](const PushMessage &message) {
            if (message.pushToken != QStringLiteral("old-token"))
                return;
            m_storage->writeInBackground(
                [phone](Storage &s) {
                    DeviceRecord again = phone;
                    again.pushToken = QStringLiteral("new-token");
                    return s.upsertDevice(again);
                },
                [&](bool ok) { reregistered = ok; });
        };
        m_storage->armed = true;
        m_dispatcher->dispatchNew(d, n, phone);
        const auto row = finished(d.id);
        QVERIFY(row);
        QVERIFY(reregistered);
        QCOMPARE(row->state, DeliveryState::Delivered);
        QCOMPARE(m_provider->sent.size(), 2);
        QCOMPARE(m_provider->sent.at(1).pushToken, QStringLiteral("new-token"));
        QCOMPARE(m_storage->deviceById(phone.id)->pushTokenState, PushTokenState::Active);
        QCOMPARE(m_storage->calls, QStringList());
    }

    void deadTokenFailsTheDeliveryAndRetiresIt()
    {
        const DeviceRecord phone = addDevice(QStringLiteral("phone"), QStringLiteral("t1"));
        auto [n, d] = stored(phone);
        m_provider->script = {PushResult::Outcome::TokenDead};
        QSignalSpy retired(m_dispatcher.get(), &Dispatcher::pushTokenRetired);
        m_storage->armed = true;
        m_dispatcher->dispatchNew(d, n, phone);
        const auto row = finished(d.id);
        QVERIFY(row);
        QCOMPARE(row->state, DeliveryState::Failed);
        QCOMPARE(retired.size(), 1);
        QCOMPARE(m_storage->deviceById(phone.id)->pushTokenState, PushTokenState::Retired);
        QCOMPARE(m_storage->deliveryAttempts(d.id)->size(), 1);
        QCOMPARE(m_storage->calls, QStringList());
    }

    void scheduledDeliveryIsReadOffTheLoop()
    {
        const DeviceRecord phone = addDevice(QStringLiteral("phone"), QStringLiteral("t1"));
        auto [n, d] = stored(phone);
        m_storage->armed = true;
        m_dispatcher->schedule(d.id); // an operator's retry, or resume
        const auto row = finished(d.id);
        QVERIFY(row);
        QCOMPARE(row->state, DeliveryState::Delivered);
        QCOMPARE(m_storage->calls, QStringList());
    }

    void openCancelsWhatWaitsAndClearsThePushedDevice()
    {
        const DeviceRecord phone = addDevice(QStringLiteral("phone"), QStringLiteral("t1"));
        const DeviceRecord tablet = addDevice(QStringLiteral("tablet"), QStringLiteral("t2"));
        auto [n, toPhone] = stored(phone);
        auto toTablet = stored(tablet, n).second;
        m_dispatcher->dispatchNew(toPhone, n, phone);
        QVERIFY(finished(toPhone.id));
        QCOMPARE(m_provider->sent.size(), 1);
        // The tablet's delivery waits for its retry when the notification is opened on the phone.
        toTablet.state = DeliveryState::Retry;
        toTablet.channel = DeliveryChannel::Push;
        toTablet.nextAttemptAt = QDateTime::currentDateTimeUtc().addSecs(3600);
        QVERIFY(m_storage->updateDelivery(toTablet));
        bool opened = false;
        m_storage->writeInBackground(
            [id = n.id](Storage &s) { return s.markNotificationOpened(id, QDateTime::currentDateTimeUtc()).value_or(false); },
            [&](bool ok) { opened = ok; });
        QTRY_VERIFY(opened);
        m_storage->armed = true;
        // Opened on the tablet, say: the phone was pushed it and holds no session, so it gets a clear.
        m_dispatcher->notificationOpened(n, tablet.id);
        const auto cancelled = finished(toTablet.id);
        QVERIFY(cancelled);
        QCOMPARE(cancelled->state, DeliveryState::Cancelled);
        QTRY_COMPARE(m_provider->sent.size(), 2);
        const PushMessage clear = m_provider->sent.at(1);
        QCOMPARE(clear.pushToken, QStringLiteral("t1"));
        QCOMPARE(clear.clearIds.value(0), n.id);
        QCOMPARE(clear.badge, 0);
        QCOMPARE(m_storage->calls, QStringList());
    }

    void heartbeatsAndClaimsLeaveTheLoopAlone()
    {
        const DeviceRecord phone = addDevice(QStringLiteral("phone"), QStringLiteral("t1"));
        bool durable = false;
        m_storage->whenDurable([&](bool ok) { durable = ok; });
        QTRY_VERIFY(durable);
        // Another server on this database, node-b, made three deliveries and then stopped beating.
        SqliteStorage other(m_dir.filePath(QStringLiteral("%1.sqlite").arg(QTest::currentTestFunction())));
        QString error;
        QVERIFY2(other.open(&error), qPrintable(error));
        QVERIFY(other.joinNodes(QStringLiteral("node-b")));
        QStringList ids;
        for (int i = 0; i < 3; ++i) {
            const NotificationRecord n = test::mailNotification(m_accountId, QStringLiteral("b%1").arg(i));
            DeliveryRecord d;
            d.id = QStringLiteral("d-") + n.eventId;
            d.notificationId = n.id;
            d.deviceId = phone.id;
            QVERIFY(other.insertNotification(n));
            QVERIFY(other.insertDelivery(d));
            ids.append(d.id);
        }

        DispatchSettings settings = m_config.dispatch;
        settings.nodeHeartbeatSecs = 1;
        settings.nodeTimeoutSecs = 1;
        m_dispatcher = std::make_unique<Dispatcher>(*m_storage, *m_presence, *m_providers, m_apps, settings);
        QSignalSpy passes(m_dispatcher.get(), &Dispatcher::resumeFinished);
        QSet<QString> delivered;
        connect(m_dispatcher.get(), &Dispatcher::deliveryFinished, this, [&](const QString &id, DeliveryState state) {
            if (state == DeliveryState::Delivered)
                delivered.insert(id);
        });
        m_storage->armed = true;
        m_dispatcher->resume();
        QVERIFY(m_dispatcher->isResuming());
        // At start node-b is alive; once its heartbeat is older than a second, its three are taken over.
        QTRY_COMPARE_WITH_TIMEOUT(passes.size(), 2, 20'000);
        QCOMPARE(passes.at(0).at(0).toInt(), 0);
        QCOMPARE(passes.at(1).at(0).toInt(), 3);
        QTRY_COMPARE(delivered, QSet<QString>(ids.cbegin(), ids.cend()));
        m_storage->armed = false;
        QCOMPARE(m_provider->sent.size(), 3);
        QCOMPARE(m_storage->calls, QStringList());
        // node-b was dropped from the nodes table; this run beats on under its node name.
        QTRY_COMPARE(m_storage->staleNodes(std::numeric_limits<qint64>::max())->size(), 1);
        QCOMPARE(m_storage->staleNodes(std::numeric_limits<qint64>::max())->at(0).node, QStringLiteral("node-a"));
    }
};

QTEST_GUILESS_MAIN(tst_DispatchOffLoop)
#include "tst_dispatchoffloop.moc"
