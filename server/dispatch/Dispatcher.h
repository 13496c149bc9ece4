#pragma once

#include "dispatch/PushGrouping.h"
#include "dispatch/PushTranslator.h"
#include "push/Provider.h"
#include "push/RetryPolicy.h"
#include "storage/Records.h"
#include "storage/Storage.h"
#include "timing/TimerWheel.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <deque>
#include <memory>
#include <optional>

namespace herald {

class AppCatalog;
class GatewayPresence;
class PresenceTracker;
class ProviderRegistry;
class Storage;
class TerminalSession;
struct DispatchSettings;

// Decides, per delivery, between in-band and push, and sees it through: the ack timer for
// in-band, provider outcomes and retries with back-off for push. Every state a restart needs is in
// storage (a push in flight is still "pending" there and is sent again with the same apns-id), so
// resume() after a crash continues where the last run stopped.
//
// It pushes only deliveries its run owns (Storage.h: the outbox is claimed): the ones it inserted
// and the ones it claims, at resume() and whenever another run's heartbeat has grown old. It keeps
// this run's heartbeat every config.nodeHeartbeatSecs.
class Dispatcher : public QObject
{
    Q_OBJECT
public:
    Dispatcher(Storage &storage, PresenceTracker &presence, ProviderRegistry &providers, const AppCatalog &apps,
               const DispatchSettings &config, QObject *parent = nullptr);
    ~Dispatcher() override;

    // Reports of remote-app gateways (POST /v1/presence); without it only the terminals' frames decide.
    void setGatewayPresence(const GatewayPresence *gateway) { m_gateway = gateway; }
    // At start: claims every unfinished delivery that no live run owns, a page at a time (keyset
    // pagination), one page per event-loop pass, so new events are served while it catches up.
    // Returns after the first page; resumeFinished() tells when the last one was read. From then
    // on it keeps this run's heartbeat and takes over what a run that stopped beating left.
    void resume();
    bool isResuming() const { return m_resume != nullptr; }
    void setResumePageSize(int rows) { m_resumePageSize = std::max(1, rows); }
    void schedule(const QString &deliveryId);  // a delivery to (re)consider, read from storage
    // A delivery the ingestor has just committed, with the rows it wrote: no need to read them back.
    void dispatchNew(DeliveryRecord delivery, const NotificationRecord &notification, const DeviceRecord &device);
    // The notification was opened on one device: stop its other deliveries, clear it elsewhere.
    void notificationOpened(const NotificationRecord &notification, qint64 openedOnDevice);
    // True while a provider has the delivery (or its delivered outcome is being written): its
    // outcome decides what happens next, so an operator cannot cancel it at that moment.
    bool isSending(const QString &deliveryId) const;
    // An operator (or a test push) cancelled the delivery in storage, as `d` now is: forget its
    // timers and queue places.
    void withdraw(const DeliveryRecord &d);

    // NotificationState::Test is an operator's test push (POST /admin/v1/test-push): routed like an
    // active one, but never listed or counted as unread for the user, and pushed even to a retired
    // token so the provider's verdict can be shown.
    // A test push's privacy level instead of its app's ("" forgets it); kept in memory only.
    void setTestPrivacy(const QString &notificationId, const QString &privacy);

signals:
    void resumePageRead(int rows); // rows read (and held) for one page of resume()
    void resumeFinished(int resumed); // also after each takeover from a stopped run
    void deliveryFinished(const QString &deliveryId, herald::DeliveryState state); // Delivered, Failed or Cancelled
    void deliveryAttempted(const herald::DeliveryRecord &delivery, herald::AttemptChannel channel, const QString &outcome,
                           const QString &detail);
    void pushTokenRetired(qint64 deviceId, const QString &reason);
    // A provider answered a push (or gave up on it): its verdict and how long it took, for /metrics.
    void pushAnswered(const QString &provider, const QString &outcome, const QString &reason, double seconds);
    void retryScheduled(const herald::DeliveryRecord &delivery);
    // A delivery reached its final state, with its record (deliveryFinished carries only the id).
    void deliveryCompleted(const herald::DeliveryRecord &delivery);
    // withdraw(): cancelled from outside, with its record as stored (deliveryFinished follows).
    void deliveryWithdrawn(const herald::DeliveryRecord &delivery);

private:
    void claimPass(QList<Storage::StaleNode> stale); // resume() and each takeover
    void resumePage();
    void onNodeTimer(); // heartbeat, and a look for runs that stopped beating
    void process(const QString &deliveryId);
    void route(DeliveryRecord &d, const NotificationRecord &n, const DeviceRecord &device);
    void deliverInBand(DeliveryRecord &d, const NotificationRecord &n, TerminalSession *session);
    void seenInApp(DeliveryRecord &d); // a gateway says the user is looking at the app right now
    void push(DeliveryRecord &d, const NotificationRecord &n, const DeviceRecord &device);
    void onAck(qint64 deviceId, const QString &notificationId);
    void onAckTimeout(const QString &deliveryId);
    void onPushFinished(const PushResult &result);
    void retryLater(DeliveryRecord &d, const QString &error, const PushResult &result);
    void finish(DeliveryRecord &d, DeliveryState state, const QString &error);
    void finishPushedInBackground(DeliveryRecord d, DeliveryAttemptRecord attempt);
    void announce(const DeliveryRecord &d); // log line, tally and deliveryFinished for a finished delivery
    void save(DeliveryRecord &d, AttemptChannel channel, const QString &outcome, const QString &detail);
    void scheduleRetry(const QString &deliveryId, const QDateTime &due);
    void runRetry(const QString &deliveryId);
    void drainWaiting(Provider *provider);
    // Silent updates to the devices that were pushed `n` and hold no session: drop it, new badge.
    void sendClearPushes(const NotificationRecord &n, const QList<DeliveryRecord> &deliveries, qint64 openedOnDevice);
    void onClearPushFinished(const PushResult &result);

    Storage &m_storage;
    PresenceTracker &m_presence;
    const GatewayPresence *m_gateway = nullptr;
    ProviderRegistry &m_providers;
    const AppCatalog &m_apps;
    const DispatchSettings &m_config;
    // Ack timeouts and retries: one wheel, O(1) to arm and cancel, however many are open.
    TimerWheel m_timers{100, 1024};
    QHash<QString, WheelTimer *> m_ackTimers;      // deliveryId -> its ack timeout
    QHash<QString, QString> m_awaitingAck;         // "<deviceId>/<notificationId>" -> deliveryId
    QHash<QString, WheelTimer *> m_retries;        // deliveryId -> when it is tried again
    struct ResumeState
    {
        Storage::OpenDeliveryCursor cursor;
        qint64 aliveSinceMs = 0;          // a run with no heartbeat since then has stopped
        QList<Storage::StaleNode> stale; // dropped from the nodes table once their rows are claimed
        int resumed = 0;
    };
    std::unique_ptr<ResumeState> m_resume; // while a claim pass is still reading pages
    int m_resumePageSize = 500;
    // Held back by a provider's back-pressure, per provider and in order. The first
    // config.heldPushes of them keep what routing them needs (no storage reads when their turn
    // comes); past that only the id waits, so an outage of hours costs ids, not message texts.
    // An id leaves m_waitingIds when it is sent or cancelled.
    struct Waiting
    {
        DeliveryRecord delivery;
        std::optional<NotificationRecord> notification; // unset: read back from storage in turn
        DeviceRecord device;
    };
    QHash<Provider *, std::deque<Waiting>> m_waiting;
    QSet<QString> m_waitingIds;
    // Handed to a provider, outcome pending. Not written before the outcome: storage still says
    // "pending", which is what a restart needs (send again, same apns-id), and it saves a write.
    struct InFlight
    {
        DeliveryRecord delivery;
        QDateTime sentAt;
        QString provider;
        QString pushToken; // the token it went to: a dead-token verdict is about this one only
    };
    QHash<QString, InFlight> m_pushing;
    // Delivered pushes whose outcome is being written in the background: finished for the
    // dispatcher, though storage may still say "pending" for a moment.
    QSet<QString> m_settling;
    QHash<QString, QString> m_testPrivacy; // notification id -> privacy, for test pushes
    PushGrouping m_grouping;
    // Silent "clear" updates out with a provider: no delivery row of their own, best effort; a
    // dead-token verdict still retires the token.
    struct ClearPush
    {
        qint64 deviceId = 0;
        QString pushToken;
        QString provider;
        QDateTime sentAt;
    };
    QHash<QString, ClearPush> m_clearing;
    PushTranslator m_translator;
    RetryPolicy m_retryPolicy;
    // Per-delivery lines are debug (thousands a second under load); info gets this once a minute.
    struct Tally
    {
        int inBand = 0, pushed = 0, seenInApp = 0, failed = 0, cancelled = 0, retries = 0;
    } m_tally;
    QTimer m_tallyTimer;
    QTimer m_nodeTimer;
    void logTally();
};

} // namespace herald
