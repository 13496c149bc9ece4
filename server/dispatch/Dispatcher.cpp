#include "dispatch/Dispatcher.h"

#include "dispatch/AppSettings.h"
#include "dispatch/DispatchLog.h"
#include "dispatch/DispatchSettings.h"
#include "dispatch/EncryptedPush.h"
#include "dispatch/NotificationText.h"
#include "dispatch/PushOutcomeName.h"
#include "presence/GatewayPresence.h"
#include "presence/PresenceTracker.h"
#include "presence/TerminalSession.h"
#include "push/ProviderRegistry.h"
#include "storage/Storage.h"
#include "timing/WheelTimer.h"

#include <QPointer>


namespace herald {
namespace {

QString ackKey(qint64 deviceId, const QString &notificationId)
{
    return QString::number(deviceId) + QLatin1Char('/') + notificationId;
}

} // namespace

Dispatcher::Dispatcher(Storage &storage, PresenceTracker &presence, ProviderRegistry &providers,
                       const AppCatalog &apps, const DispatchSettings &config, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_presence(presence)
    , m_providers(providers)
    , m_apps(apps)
    , m_config(config)
    , m_badges(storage)
    , m_grouping(config.groupWindowSecs)
    , m_clears(storage, providers)
    , m_claims(storage, config.nodeHeartbeatSecs, config.nodeTimeoutSecs)
    , m_handOver(storage, m_claims)
    , m_retryPolicy([&config] {
        RetryPolicy::Options options;
        options.maxAttempts = config.maxPushAttempts;
        return options;
    }())
{
    connect(&m_tallyTimer, &QTimer::timeout, this, [this] {
        logTally();
        m_grouping.prune(QDateTime::currentMSecsSinceEpoch());
    });
    m_tallyTimer.start(60'000);
    connect(&m_claims, &OutboxClaims::pageClaimed, this, &Dispatcher::takeOver);
    connect(&m_claims, &OutboxClaims::pageRead, this, &Dispatcher::resumePageRead);
    connect(&m_claims, &OutboxClaims::passFinished, this, &Dispatcher::resumeFinished);
    connect(&m_claims, &OutboxClaims::strandedFound, this, &Dispatcher::adoptStranded);
    connect(&m_presence, &PresenceTracker::acked, this, &Dispatcher::onAck);
    connect(&m_clears, &ClearPushSender::pushAnswered, this, &Dispatcher::pushAnswered);
    connect(&m_clears, &ClearPushSender::pushTokenRetired, this, &Dispatcher::pushTokenRetired);
    for (Provider *provider : m_providers.providers()) {
        connect(provider, &Provider::finished, this, &Dispatcher::onPushFinished);
        connect(provider, &Provider::readyForMore, this, [this, provider] { drainWaiting(provider); });
        connect(provider, &Provider::alarm, this, [provider](const QString &reason) {
            qCCritical(lcDispatch).noquote() << "provider" << provider->name() << "alarm:" << reason;
        });
    }
}

Dispatcher::~Dispatcher()
{
    qDeleteAll(m_ackTimers);
    qDeleteAll(m_retries);
}

void Dispatcher::resume()
{
    m_claims.start();
}

void Dispatcher::takeOver(const QList<DeliveryRecord> &claimed)
{
    for (DeliveryRecord d : claimed) {
        if (d.state == DeliveryState::Retry) {
            scheduleRetry(d.id, d.nextAttemptAt);
        } else if (d.state == DeliveryState::InBand) {
            // The session that got it is gone with the server that sent it, and its ack never arrived.
            save(d, AttemptChannel::InBand, QStringLiteral("ack_lost"), QStringLiteral("server stopped"));
            d.state = DeliveryState::Pending;
            d.channel = DeliveryChannel::Push;
            write(d);
            schedule(d.id);
        } else {
            schedule(d.id); // pending, or a push whose outcome never arrived: send again, same apns-id
        }
    }
}

void Dispatcher::schedule(const QString &deliveryId)
{
    // The caller may have just changed the row in the event loop's write batch (an operator's
    // retry): the read below runs on the writer's connection, so it waits for that commit.
    m_storage.whenDurable([self = QPointer<Dispatcher>(this), deliveryId](bool) {
        if (self)
            self->process(deliveryId);
    });
}

void Dispatcher::dispatchNew(DeliveryRecord delivery, const NotificationRecord &notification,
                             const DeviceRecord &device)
{
    route(delivery, notification, device);
}

bool Dispatcher::isHeld(const QString &deliveryId) const
{
    return m_pushing.contains(deliveryId) || m_settling.contains(deliveryId) || m_inBand.contains(deliveryId) ||
           m_waitingIds.contains(deliveryId) || m_badgeWait.contains(deliveryId) || m_deciding.contains(deliveryId) ||
           m_handOver.isOffering(deliveryId);
}

void Dispatcher::process(const QString &deliveryId)
{
    if (m_loading.contains(deliveryId)) {
        m_reload.insert(deliveryId); // the read under way may predate what asked for this one
        return;
    }
    if (isHeld(deliveryId))
        return; // with a provider, in-band or queued: what happens there decides
    m_loading.insert(deliveryId);
    const quint64 readAfter = m_writeSeq;
    // Read on the background writer's connection, as one of its units: it sees every write this
    // dispatcher submitted before, committed or not, so the row is never older than what this
    // process already decided about the delivery.
    struct Loaded
    {
        std::optional<DeliveryRecord> delivery;
        std::optional<NotificationRecord> notification;
        std::optional<DeviceRecord> device;
    };
    auto loaded = std::make_shared<Loaded>();
    m_storage.writeInBackground(
        [deliveryId, loaded](Storage &storage) {
            loaded->delivery = storage.deliveryById(deliveryId);
            if (loaded->delivery) {
                loaded->notification = storage.notificationById(loaded->delivery->notificationId);
                loaded->device = storage.deviceById(loaded->delivery->deviceId);
            }
            return true;
        },
        [self = QPointer<Dispatcher>(this), deliveryId, loaded, readAfter](bool ok) {
            if (!self)
                return;
            self->m_loading.remove(deliveryId);
            if (self->m_reload.remove(deliveryId)) {
                self->process(deliveryId);
                return;
            }
            if (!ok) {
                qCWarning(lcDispatch) << "cannot read delivery" << deliveryId << "; a restart sends it";
                return;
            }
            auto &d = loaded->delivery;
            // Decided about meanwhile (routed by another path, opened, withdrawn): that stands.
            const auto writing = self->m_writes.constFind(deliveryId);
            if (self->isHeld(deliveryId) || (writing != self->m_writes.cend() && writing->lastSeq > readAfter))
                return;
            if (!d || !isOpen(d->state) || d->state == DeliveryState::InBand)
                return;
            if (!loaded->notification || !loaded->device) {
                self->finish(*d, DeliveryState::Cancelled, QStringLiteral("notification or device is gone"));
                return;
            }
            if (d->state == DeliveryState::Retry) {
                d->state = DeliveryState::Pending; // its time has come
                self->write(*d);
            }
            self->route(*d, *loaded->notification, *loaded->device);
        });
}

void Dispatcher::route(DeliveryRecord &d, const NotificationRecord &n, const DeviceRecord &device)
{
    delete m_retries.take(d.id); // routed now: a retry still armed for it would route it twice
    if (!isDeliverable(n.state)) {
        finish(d, DeliveryState::Cancelled, QStringLiteral("notification is %1").arg(toText(n.state)));
        return;
    }
    if (n.expiresAt <= QDateTime::currentDateTimeUtc()) {
        finish(d, DeliveryState::Failed, QStringLiteral("expired"));
        return;
    }
    if (m_gateway && !m_gateway->isEmpty()) {
        switch (m_gateway->verdict(n.accountId, n.app, device.id, QDateTime::currentDateTimeUtc())) {
        case GatewayPresence::Verdict::Foreground:
            seenInApp(d);
            return;
        case GatewayPresence::Verdict::NotForeground:
            push(d, n, device); // a device report newer than the device's own frames
            return;
        case GatewayPresence::Verdict::None:
            break;
        }
    }
    // A delivery that fell back to push (ack timeout, restart) never goes in-band again:
    // the device must not get both for one notification except after a missed ack.
    TerminalSession *session = m_presence.session(device.id);
    if (d.channel != DeliveryChannel::Push && session &&
        m_presence.presence(device.id, n.app) == Presence::Foreground) {
        deliverInBand(d, n, session);
        return;
    }
    // In a cluster the device's session may live on another node: that node delivers it in-band.
    // Only once: a delivery handed to this run is not handed on again.
    const bool handedIn = m_handedIn.remove(d.id);
    if (!handedIn && m_handOver.wanted(d)) {
        m_handOver.offer(d, n.app, [this, d = d, n, device](SessionHandOver::Outcome outcome) mutable {
            switch (outcome) {
            case SessionHandOver::Outcome::HandedOver:
                qCDebug(lcDispatch) << "delivery" << d.id << "handed to the node that shows device" << d.deviceId;
                return;
            case SessionHandOver::Outcome::Reread: // what the row says now decides; not offered again
                m_handedIn.insert(d.id);
                schedule(d.id);
                return;
            case SessionHandOver::Outcome::NotFound:
            case SessionHandOver::Outcome::Failed:
                push(d, n, device);
                return;
            }
        });
        return;
    }
    push(d, n, device);
}

void Dispatcher::receiveHandOver(const QString &deliveryId)
{
    m_handedIn.insert(deliveryId);
    schedule(deliveryId);
}

void Dispatcher::adoptStranded(const QStringList &deliveryIds)
{
    for (const QString &id : deliveryIds) {
        if (isHeld(id) || isSending(id))
            continue; // on its way here
        qCInfo(lcDispatch) << "delivery" << id << "was pending here untouched; routing it now";
        receiveHandOver(id);
    }
}

void Dispatcher::deliverInBand(DeliveryRecord &d, const NotificationRecord &n, TerminalSession *session)
{
    d.state = DeliveryState::InBand;
    d.channel = DeliveryChannel::InBand;
    ++d.attempts;
    save(d, AttemptChannel::InBand, QStringLiteral("sent"), {});
    const QString key = ackKey(d.deviceId, n.id);
    m_awaitingAck.insert(key, d.id);
    // The record waits here, not in storage, for its ack: its row may not be committed yet.
    m_inBand.insert(d.id, {d, n.app, n.id});
    auto *timer = new WheelTimer(m_timers, [this, deliveryId = d.id] { onAckTimeout(deliveryId); });
    timer->start(qint64(m_config.ackTimeoutSecs) * 1000);
    delete m_ackTimers.value(d.id); // a delivery has one ack timeout at a time
    m_ackTimers.insert(d.id, timer);
    protocol::DeliverFrame frame;
    frame.id = n.id;
    frame.app = n.app;
    frame.title = n.subject;
    frame.body = n.body;
    frame.sender = n.sender;
    frame.createdAt = n.createdAt;
    session->deliver(frame);
    qCDebug(lcDispatch) << "notification" << n.id << "in-band to device" << d.deviceId;
}

void Dispatcher::seenInApp(DeliveryRecord &d)
{
    // Nothing is sent: the notification stays unread and listed, so badges and the list stay right,
    // and the history says why this device got nothing.
    d.channel = DeliveryChannel::SeenInApp;
    // The attempt makes stats and the live feed see it too.
    finish(d, DeliveryState::Delivered, {},
           DeliveryAttemptRecord{d.id, AttemptChannel::Gateway, QStringLiteral("seen-in-app"), {},
                                 QDateTime::currentDateTimeUtc(), {}});
    qCDebug(lcDispatch) << "delivery" << d.id << "not sent: a gateway reports the app in the foreground";
}

void Dispatcher::onAck(qint64 deviceId, const QString &notificationId)
{
    const QString deliveryId = m_awaitingAck.take(ackKey(deviceId, notificationId));
    if (deliveryId.isEmpty())
        return; // late or foreign ack: nothing is waiting for it
    delete m_ackTimers.take(deliveryId);
    const auto waiting = m_inBand.constFind(deliveryId);
    if (waiting == m_inBand.cend())
        return;
    DeliveryRecord d = waiting->delivery;
    m_inBand.erase(waiting);
    finish(d, DeliveryState::Delivered, {},
           DeliveryAttemptRecord{d.id, AttemptChannel::InBand, QStringLiteral("acked"), {},
                                 QDateTime::currentDateTimeUtc(), {}});
}

void Dispatcher::onAckTimeout(const QString &deliveryId)
{
    delete m_ackTimers.take(deliveryId);
    const auto waiting = m_inBand.constFind(deliveryId);
    if (waiting == m_inBand.cend())
        return;
    DeliveryRecord d = waiting->delivery;
    const QString app = waiting->app;
    m_awaitingAck.remove(ackKey(d.deviceId, waiting->notificationId));
    m_inBand.erase(waiting);
    if (TerminalSession *session = m_presence.session(d.deviceId))
        session->markStale(app);
    qCInfo(lcDispatch) << "no ack from device" << d.deviceId << "within" << m_config.ackTimeoutSecs
                       << "s; falling back to push";
    save(d, AttemptChannel::InBand, QStringLiteral("ack_timeout"), {});
    d.state = DeliveryState::Pending;
    d.channel = DeliveryChannel::Push;
    write(d);
    process(d.id);
}

void Dispatcher::push(DeliveryRecord &d, const NotificationRecord &n, const DeviceRecord &device)
{
    if (device.pushTokenState != PushTokenState::Active && n.state != NotificationState::Test) {
        finish(d, DeliveryState::Failed, QStringLiteral("push token retired: %1").arg(device.pushTokenRetiredReason));
        return;
    }
    Provider *provider = m_providers.providerFor(device.platform);
    if (device.pushToken.isEmpty() || !provider) {
        finish(d, DeliveryState::Failed,
               device.pushToken.isEmpty() ? QStringLiteral("no push channel for this device")
                                          : QStringLiteral("no push provider for %1").arg(device.platform));
        return;
    }
    if (!provider->canAccept()) {
        holdForProvider(d, n, device, provider);
        return;
    }
    m_waitingIds.remove(d.id); // on its way now, by whichever path got here first
    if (m_badgeWait.contains(d.id))
        return; // on its way already
    m_badgeWait.insert(d.id, {d, n, device});
    m_badges.read(n.accountId, [self = QPointer<Dispatcher>(this), id = d.id](int badge) {
        if (self)
            self->pushWithBadge(id, badge);
    });
}

void Dispatcher::holdForProvider(const DeliveryRecord &d, const NotificationRecord &n, const DeviceRecord &device,
                                 Provider *provider)
{
    if (m_waitingIds.contains(d.id))
        return;
    m_waitingIds.insert(d.id);
    std::deque<Waiting> &queue = m_waiting[provider];
    if (qsizetype(queue.size()) < m_config.heldPushes)
        queue.push_back({d, n, device});
    else
        queue.push_back({d, std::nullopt, {}});
}

void Dispatcher::pushWithBadge(const QString &deliveryId, int badge)
{
    const auto waiting = m_badgeWait.constFind(deliveryId);
    if (waiting == m_badgeWait.cend())
        return; // opened or withdrawn while its badge was read
    Waiting w = *waiting;
    m_badgeWait.erase(waiting);
    DeliveryRecord &d = w.delivery;
    const NotificationRecord &n = *w.notification;
    const DeviceRecord &device = w.device;
    Provider *provider = m_providers.providerFor(device.platform);
    if (!provider->canAccept()) { // filled by others meanwhile
        holdForProvider(d, n, device, provider);
        return;
    }
    AppSettings app = m_apps.settings(n.app);
    if (const auto privacy = m_testPrivacy.constFind(n.id); privacy != m_testPrivacy.cend())
        app.privacy = *privacy;
    const PushLanguage language = PushLanguages::forLocale(device.locale);
    // A test push stands alone; anything else may join the group of its account and app.
    const bool test = n.state == NotificationState::Test;
    const PushGrouping::Group group = test ? PushGrouping::Group{PushGrouping::ownCollapseId(n), {1, {n.sender}}}
                                           : m_grouping.join(n, QDateTime::currentMSecsSinceEpoch());
    const NotificationText text = NotificationText::forBurst(group.burst, n, app, language, m_translator);
    PushMessage message;
    message.deliveryId = d.id;
    message.notificationId = n.id;
    message.platform = device.platform;
    message.pushToken = device.pushToken;
    message.topic = device.pushTopic;
    message.title = text.title;
    message.body = text.body;
    message.uri = app.pushUriFor(n.id);
    message.collapseId = group.collapseId;
    // Notifications of one app are threaded together, where the level may say which app it is.
    if (app.privacy == QLatin1String("full") || app.privacy == QLatin1String("summary") ||
        app.privacy == QLatin1String("generic"))
        message.threadId = n.app;
    message.quiet = group.burst.count > 1; // the phone has sounded for this group already
    message.expiresAt = n.expiresAt;
    message.badge = badge;
    message.contentAvailable = text.contentFree;
    message.highPriority = !text.contentFree;
    if (app.privacy == QLatin1String(EncryptedPush::Level))
        EncryptedPush::apply(message, n, app, device, language, m_translator);
    d.state = DeliveryState::Push;
    d.channel = DeliveryChannel::Push;
    ++d.attempts;
    m_pushing.insert(d.id, {d, QDateTime::currentDateTimeUtc(), provider->name(), device.pushToken, n.expiresAt, test});
    provider->send(message);
}

void Dispatcher::onPushFinished(const PushResult &result)
{
    // Only the dispatcher changes deliveries, so the copy kept at send time is the truth; a result
    // for anything else is stale (e.g. from before a restart) and changes nothing.
    auto pushing = m_pushing.find(result.deliveryId);
    if (pushing == m_pushing.end()) {
        m_clears.takeResult(result);
        return;
    }
    InFlight sent = std::move(pushing.value());
    m_pushing.erase(pushing);
    DeliveryRecord &d = sent.delivery;
    Q_EMIT pushAnswered(sent.provider, pushOutcomeName(result.outcome), result.reason,
                        double(sent.sentAt.msecsTo(QDateTime::currentDateTimeUtc())) / 1000.0);
    // One row per push: the provider and its verdict, when it was sent and when it was answered.
    const QString status = result.reason.isEmpty() ? QString::number(result.httpStatus)
                                                   : QStringLiteral("%1 %2").arg(result.httpStatus).arg(result.reason);
    DeliveryAttemptRecord attempt{d.id, AttemptChannel::Push, pushOutcomeName(result.outcome),
                                  sent.provider + QStringLiteral(": ") + status, QDateTime::currentDateTimeUtc(),
                                  sent.sentAt};
    Q_EMIT deliveryAttempted(d, AttemptChannel::Push, attempt.outcome, attempt.detail);
    switch (result.outcome) {
    case PushResult::Outcome::Delivered:
        // The common case under load: nothing reads it back soon, so it is written in the background.
        d.providerId = result.providerMessageId;
        finishPushedInBackground(std::move(d), std::move(attempt));
        return;
    case PushResult::Outcome::TokenDead:
        retireTokenThenDecide(std::move(sent), std::move(attempt), result.reason);
        return;
    case PushResult::Outcome::Rejected:
        finish(d, DeliveryState::Failed, QStringLiteral("rejected by the provider: %1").arg(result.reason), attempt);
        return;
    case PushResult::Outcome::RetryLater:
    case PushResult::Outcome::ProviderAuthFailed:
        // Our own credentials being refused is the provider's alarm, not a reason to drop the
        // push: it waits with the same back-off as any transient failure.
        retryLater(sent, status, result, attempt);
        return;
    }
}

void Dispatcher::retireTokenThenDecide(InFlight sent, DeliveryAttemptRecord attempt, const QString &reason)
{
    // A 410 can come back after the device re-registered with a new token: only the token this
    // push went to is retired (storage leaves a newer one active), and the device is read back in
    // the same unit to see which token it has now.
    DeliveryRecord d = sent.delivery;
    auto device = std::make_shared<std::optional<DeviceRecord>>();
    m_deciding.insert(d.id);
    write(d, attempt, [self = QPointer<Dispatcher>(this), sent, reason, device](bool ok) {
        if (!self)
            return;
        DeliveryRecord d = sent.delivery;
        self->m_deciding.remove(d.id);
        if (!ok) // the verdict still ends the delivery; the token stays active for the next push to try
            qCCritical(lcDispatch) << "cannot record the dead push token of device" << d.deviceId;
        if (ok && *device && (*device)->pushToken != sent.pushToken && (*device)->pushTokenState == PushTokenState::Active) {
            // The device registered a new token while this push was out: it goes there instead.
            qCInfo(lcDispatch) << "push token of device" << d.deviceId << "was replaced while a push was out;"
                               << "sending it to the new one";
            d.state = DeliveryState::Pending;
            self->write(d);
            self->process(d.id);
            return;
        }
        if (ok) {
            self->m_storage.forgetCachedTargets(); // the next event must see the token retired
            qCWarning(lcDispatch) << "push token of device" << d.deviceId << "retired:" << reason;
            Q_EMIT self->pushTokenRetired(d.deviceId, reason);
        }
        self->finish(d, DeliveryState::Failed, QStringLiteral("push token is dead: %1").arg(reason));
    }, [deviceId = d.deviceId, token = sent.pushToken, reason, device](Storage &storage) {
        if (!storage.setPushTokenState(deviceId, token, PushTokenState::Retired, reason))
            return false;
        *device = storage.deviceById(deviceId);
        return true;
    });
}

void Dispatcher::retryLater(InFlight &sent, const QString &error, const PushResult &result,
                            const DeliveryAttemptRecord &attempt)
{
    DeliveryRecord &d = sent.delivery;
    if (sent.test) {
        // An operator's test reports one try: the back-off would keep sending it for minutes.
        finish(d, DeliveryState::Cancelled, QStringLiteral("test push: not retried (%1)").arg(result.reason), attempt);
        return;
    }
    PushResult transient = result;
    transient.outcome = PushResult::Outcome::RetryLater;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto due = m_retryPolicy.nextAttempt(d.attempts, transient, now, sent.expiresAt);
    if (!due) {
        finish(d, DeliveryState::Failed, QStringLiteral("gave up after %1 attempts: %2").arg(d.attempts).arg(error),
               attempt);
        return;
    }
    d.state = DeliveryState::Retry;
    d.nextAttemptAt = *due;
    d.lastError = error;
    write(d, attempt);
    ++m_tally.retries;
    Q_EMIT retryScheduled(d);
    scheduleRetry(d.id, *due);
}

void Dispatcher::scheduleRetry(const QString &deliveryId, const QDateTime &due)
{
    WheelTimer *&timer = m_retries[deliveryId];
    if (!timer)
        timer = new WheelTimer(m_timers, [this, deliveryId] { runRetry(deliveryId); });
    // Due times are wall-clock (they are stored); the wheel counts from now. Past ones run next tick.
    timer->start(qMax<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(due)));
}

void Dispatcher::runRetry(const QString &deliveryId)
{
    delete m_retries.take(deliveryId); // the wheel runs a copy of this callback: safe to delete
    process(deliveryId); // read back: still "retry" unless opened or cancelled meanwhile
}

void Dispatcher::drainWaiting(Provider *provider)
{
    auto found = m_waiting.find(provider);
    if (found == m_waiting.end())
        return;
    std::deque<Waiting> &queue = found.value();
    // Only as many as the provider takes now: the rest keep their place for its next readyForMore.
    while (!queue.empty() && provider->canAccept()) {
        Waiting w = std::move(queue.front());
        queue.pop_front();
        if (!m_waitingIds.remove(w.delivery.id))
            continue; // cancelled, or sent by another path, while it waited
        if (w.notification)
            route(w.delivery, *w.notification, w.device);
        else
            process(w.delivery.id);
    }
}

void Dispatcher::write(const DeliveryRecord &d, std::optional<DeliveryAttemptRecord> attempt,
                       std::function<void(bool ok)> then, std::function<bool(Storage &)> also)
{
    // Every change the dispatcher makes to a delivery goes through the background writer, whose
    // units commit in order: off the event loop, and never overtaking one another.
    Writes &writes = m_writes[d.id];
    ++writes.pending;
    writes.lastSeq = ++m_writeSeq;
    writes.lastState = d.state;
    m_storage.writeInBackground(
        [d, attempt = std::move(attempt), also = std::move(also)](Storage &storage) {
            // The state first, then the attempt, in one unit: never history without its state.
            return storage.updateDelivery(d) && (!attempt || storage.addDeliveryAttempt(*attempt)) &&
                   (!also || also(storage));
        },
        [self = QPointer<Dispatcher>(this), id = d.id, then = std::move(then)](bool ok) {
            if (!self)
                return;
            const auto writes = self->m_writes.find(id);
            if (writes != self->m_writes.end() && --writes->pending == 0)
                self->m_writes.erase(writes);
            if (!ok && !then)
                qCCritical(lcDispatch) << "cannot update delivery" << id;
            if (then)
                then(ok);
        });
}

void Dispatcher::finish(DeliveryRecord &d, DeliveryState state, const QString &error,
                        std::optional<DeliveryAttemptRecord> attempt)
{
    d.state = state;
    d.lastError = error;
    if (attempt)
        Q_EMIT deliveryAttempted(d, attempt->channel, attempt->outcome, attempt->detail);
    // Announced once committed: whoever hears of it may read the row back.
    write(d, std::move(attempt), [self = QPointer<Dispatcher>(this), d](bool ok) {
        if (!self)
            return;
        if (!ok)
            qCCritical(lcDispatch) << "cannot record delivery" << d.id << "as" << toText(d.state);
        self->announce(d);
    });
}

void Dispatcher::finishPushedInBackground(DeliveryRecord d, DeliveryAttemptRecord attempt)
{
    d.state = DeliveryState::Delivered;
    d.lastError.clear();
    m_settling.insert(d.id);
    write(d, std::move(attempt), [self = QPointer<Dispatcher>(this), d](bool ok) {
        if (!self)
            return;
        self->m_settling.remove(d.id);
        if (!ok) // storage keeps "pending": a restart sends it again, with the same apns-id
            qCCritical(lcDispatch) << "cannot record delivery" << d.id << "as delivered";
        self->announce(d);
    });
}

void Dispatcher::announce(const DeliveryRecord &d)
{
    qCDebug(lcDispatch).noquote() << "delivery" << d.id << "to device" << d.deviceId << toText(d.state)
                                  << (d.channel == DeliveryChannel::None ? QString() : QStringLiteral("via ") + toText(d.channel));
    if (d.state == DeliveryState::Delivered)
        ++(d.channel == DeliveryChannel::InBand      ? m_tally.inBand
           : d.channel == DeliveryChannel::SeenInApp ? m_tally.seenInApp
                                                     : m_tally.pushed);
    else if (d.state == DeliveryState::Failed)
        ++m_tally.failed;
    else
        ++m_tally.cancelled;
    Q_EMIT deliveryCompleted(d);
    Q_EMIT deliveryFinished(d.id, d.state);
}

void Dispatcher::logTally()
{
    const Tally t = std::exchange(m_tally, {});
    if (t.inBand + t.pushed + t.seenInApp + t.failed + t.cancelled + t.retries == 0)
        return;
    qCInfo(lcDispatch).nospace() << "last minute: " << t.inBand << " delivered in-band, " << t.pushed
                                 << " pushed, " << t.seenInApp << " seen in the app, " << t.failed << " failed, " << t.cancelled << " cancelled, "
                                 << t.retries << " retries scheduled, " << m_retries.size() << " waiting to retry";
}

void Dispatcher::save(DeliveryRecord &d, AttemptChannel channel, const QString &outcome, const QString &detail)
{
    write(d, DeliveryAttemptRecord{d.id, channel, outcome, detail, QDateTime::currentDateTimeUtc(), {}});
    Q_EMIT deliveryAttempted(d, channel, outcome, detail);
}

void Dispatcher::setTestPrivacy(const QString &notificationId, const QString &privacy)
{
    if (privacy.isEmpty())
        m_testPrivacy.remove(notificationId);
    else
        m_testPrivacy.insert(notificationId, privacy);
}

bool Dispatcher::isSending(const QString &deliveryId) const
{
    return m_pushing.contains(deliveryId) || m_settling.contains(deliveryId) || m_writes.contains(deliveryId) ||
           m_loading.contains(deliveryId);
}

} // namespace herald
