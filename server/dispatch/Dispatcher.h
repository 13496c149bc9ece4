#pragma once

#include "dispatch/ClearPushSender.h"
#include "dispatch/OutboxClaims.h"
#include "dispatch/PushGrouping.h"
#include "dispatch/PushTranslator.h"
#include "dispatch/SessionHandOver.h"
#include "dispatch/UnreadBadgeReader.h"
#include "push/Provider.h"
#include "push/RetryPolicy.h"
#include "storage/Records.h"
#include "storage/Storage.h"
#include "timing/TimerWheel.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>

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
// and the ones OutboxClaims claims, at resume() and whenever another run's heartbeat has grown old.
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
    // pagination, OutboxClaims), so new events are served while it catches up; resumeFinished()
    // tells when the last page was taken over. From then on it keeps this run's heartbeat and
    // takes over what a run that stopped beating left.
    void resume();
    bool isResuming() const { return m_claims.isClaiming(); }
    void setResumePageSize(int rows) { m_claims.setPageSize(rows); }
    // What this run's heartbeat reports of it (OutboxClaims::setReporter); before resume().
    void setNodeReporter(OutboxClaims::Reporter reporter) { m_claims.setReporter(std::move(reporter)); }
    // A run with no heartbeat since then counts as stopped, by this run's [cluster] node_timeout_secs.
    qint64 nodeAliveSince() const { return m_claims.aliveSince(); }
    // A delivery to (re)consider, read from storage once what is written so far is committed.
    void schedule(const QString &deliveryId);
    // A delivery the ingestor has just committed, with the rows it wrote: no need to read them back.
    void dispatchNew(DeliveryRecord delivery, const NotificationRecord &notification, const DeviceRecord &device);
    // The notification was opened on one device: stop its other deliveries, clear it elsewhere.
    void notificationOpened(const NotificationRecord &notification, qint64 openedOnDevice);
    // True while a provider has the delivery, or the dispatcher is reading or writing its row (its
    // writes go through the background writer): what happens there decides next, so an operator
    // cannot change it at that moment.
    bool isSending(const QString &deliveryId) const;
    // Another node handed this run the delivery (it holds the device's session): route it here,
    // and do not hand it on.
    void receiveHandOver(const QString &deliveryId);
    // An operator (or a test push) cancelled the delivery in storage, as `d` now is: forget its
    // timers and queue places.
    void withdraw(const DeliveryRecord &d);
    // An operator cancelled on another node a delivery this run owns (Storage::setWithdrawReceiver):
    // once its row says so, forget it here too, so no ack timeout or retry writes it open again.
    void withdrawnElsewhere(const QString &deliveryId);

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
    void takeOver(const QList<DeliveryRecord> &claimed); // a page of a claim pass: this run's now
    void adoptStranded(const QStringList &deliveryIds); // OutboxClaims::strandedFound
    struct InFlight;
    // Reads the delivery, its notification and device on the background writer's connection, then
    // routes it, unless this process decided about it meanwhile.
    void process(const QString &deliveryId);
    bool isHeld(const QString &deliveryId) const; // pushing, in-band or queued here
    void forget(const QString &deliveryId); // its timers, queue places and waits here
    void route(DeliveryRecord &d, const NotificationRecord &n, const DeviceRecord &device);
    void deliverInBand(DeliveryRecord &d, const NotificationRecord &n, TerminalSession *session);
    void seenInApp(DeliveryRecord &d); // a gateway says the user is looking at the app right now
    // Checks what a push needs, then reads the badge (off the event loop) and sends it.
    void push(DeliveryRecord &d, const NotificationRecord &n, const DeviceRecord &device);
    void pushWithBadge(const QString &deliveryId, int badge);
    void holdForProvider(const DeliveryRecord &d, const NotificationRecord &n, const DeviceRecord &device,
                         Provider *provider);
    void onAck(qint64 deviceId, const QString &notificationId);
    void onAckTimeout(const QString &deliveryId);
    void onPushFinished(const PushResult &result);
    void retireTokenThenDecide(InFlight sent, DeliveryAttemptRecord attempt, const QString &reason);
    void retryLater(InFlight &sent, const QString &error, const PushResult &result,
                    const DeliveryAttemptRecord &attempt);
    // Every change to a delivery's row: a unit of the background writer (the row, the attempt if
    // any, then `also`), counted in m_writes until committed; `then` runs after the commit.
    void write(const DeliveryRecord &d, std::optional<DeliveryAttemptRecord> attempt = std::nullopt,
               std::function<void(bool ok)> then = {}, std::function<bool(Storage &)> also = {});
    // The final state, announced (deliveryFinished) once it is committed.
    void finish(DeliveryRecord &d, DeliveryState state, const QString &error,
                std::optional<DeliveryAttemptRecord> attempt = std::nullopt);
    void finishPushedInBackground(DeliveryRecord d, DeliveryAttemptRecord attempt);
    void announce(const DeliveryRecord &d); // log line, tally and deliveryFinished for a finished delivery
    void save(DeliveryRecord &d, AttemptChannel channel, const QString &outcome, const QString &detail);
    void scheduleRetry(const QString &deliveryId, const QDateTime &due);
    void runRetry(const QString &deliveryId);
    void drainWaiting(Provider *provider);
    // What an open needs: the notification's deliveries, their devices, the account's new badge.
    struct OpenedRead
    {
        std::optional<QList<DeliveryRecord>> deliveries;
        QHash<qint64, DeviceRecord> devices;
        int badge = -1;
    };
    void cancelOpened(const NotificationRecord &n, const QList<DeliveryRecord> &deliveries);
    // Silent updates to the devices that were pushed `n` and hold no session: drop it, new badge.
    void sendClearPushes(const NotificationRecord &n, const OpenedRead &read, qint64 openedOnDevice);

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
    // Sent in-band, waiting for the ack: the record as this process last decided it (its row's
    // write may not be committed yet), and what the ack timeout needs.
    struct InBandWait
    {
        DeliveryRecord delivery;
        QString app;
        QString notificationId;
    };
    QHash<QString, InBandWait> m_inBand;
    // Rows being read (process()) and reads asked for again meanwhile.
    QSet<QString> m_loading;
    QSet<QString> m_reload;
    // Writes submitted and not yet committed, per delivery: a read that began before the last of
    // them is older than what this process decided (lastState) and must not act.
    struct Writes
    {
        int pending = 0;
        quint64 lastSeq = 0;
        DeliveryState lastState = DeliveryState::Pending;
    };
    QHash<QString, Writes> m_writes;
    quint64 m_writeSeq = 0;
    QHash<QString, WheelTimer *> m_retries;        // deliveryId -> when it is tried again
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
    // On their way to a provider, waiting for the account's badge to be read.
    QHash<QString, Waiting> m_badgeWait;
    UnreadBadgeReader m_badges;
    // Handed to a provider, outcome pending. Not written before the outcome: storage still says
    // "pending", which is what a restart needs (send again, same apns-id), and it saves a write.
    struct InFlight
    {
        DeliveryRecord delivery;
        QDateTime sentAt;
        QString provider;
        QString pushToken; // the token it went to: a dead-token verdict is about this one only
        QDateTime expiresAt; // the notification's: no retry after it
        bool test = false;   // an operator's test push: one try, never retried
    };
    QHash<QString, InFlight> m_pushing;
    // A dead-token verdict being recorded: what follows depends on the device read back with it.
    QSet<QString> m_deciding;
    QSet<QString> m_handedIn;  // handed to this run by another node, not yet routed
    // Delivered pushes whose outcome is being written in the background: finished for the
    // dispatcher, though storage may still say "pending" for a moment.
    QSet<QString> m_settling;
    QHash<QString, QString> m_testPrivacy; // notification id -> privacy, for test pushes
    PushGrouping m_grouping;
    ClearPushSender m_clears;
    OutboxClaims m_claims; // this run's heartbeat, and what it takes over
    SessionHandOver m_handOver; // cluster: to the node that shows the device
    PushTranslator m_translator;
    RetryPolicy m_retryPolicy;
    // Per-delivery lines are debug (thousands a second under load); info gets this once a minute.
    struct Tally
    {
        int inBand = 0, pushed = 0, seenInApp = 0, failed = 0, cancelled = 0, retries = 0;
    } m_tally;
    QTimer m_tallyTimer;
    void logTally();
};

} // namespace herald
