#include "dispatch/Dispatcher.h"

#include "dispatch/AppSettings.h"
#include "dispatch/DispatchLog.h"
#include "dispatch/DispatchSettings.h"
#include "dispatch/EncryptedPush.h"
#include "dispatch/NotificationText.h"
#include "presence/GatewayPresence.h"
#include "presence/PresenceTracker.h"
#include "presence/TerminalSession.h"
#include "push/ProviderRegistry.h"
#include "storage/Storage.h"
#include "timing/WheelTimer.h"

#include <QPointer>
#include <QUuid>


namespace herald {
namespace {

QString ackKey(qint64 deviceId, const QString &notificationId)
{
    return QString::number(deviceId) + QLatin1Char('/') + notificationId;
}

QString outcomeName(PushResult::Outcome outcome)
{
    switch (outcome) {
    case PushResult::Outcome::Delivered: return QStringLiteral("delivered");
    case PushResult::Outcome::RetryLater: return QStringLiteral("retry_later");
    case PushResult::Outcome::TokenDead: return QStringLiteral("token_dead");
    case PushResult::Outcome::Rejected: return QStringLiteral("rejected");
    case PushResult::Outcome::ProviderAuthFailed: return QStringLiteral("provider_auth_failed");
    }
    return QStringLiteral("unknown");
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
    , m_grouping(config.groupWindowSecs)
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
    connect(&m_nodeTimer, &QTimer::timeout, this, &Dispatcher::onNodeTimer);
    connect(&m_presence, &PresenceTracker::acked, this, &Dispatcher::onAck);
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
    // This run beats before it claims anything: what it inserts from now on is its own, and no
    // pass of its own may take it back as a stopped run's.
    if (!m_storage.beatNode()) {
        qCCritical(lcDispatch) << "cannot enter this server in the nodes table:" << m_storage.lastError();
        return;
    }
    m_nodeTimer.start(std::max(1, m_config.nodeHeartbeatSecs) * 1000);
    claimPass({});
}

void Dispatcher::onNodeTimer()
{
    if (!m_storage.beatNode())
        qCWarning(lcDispatch) << "cannot write this server's heartbeat:" << m_storage.lastError();
    if (m_resume)
        return; // the pass under way sees them too
    const auto stale = m_storage.staleNodes(QDateTime::currentMSecsSinceEpoch() - m_config.nodeTimeoutSecs * 1000LL);
    if (!stale) {
        qCWarning(lcDispatch) << "cannot read the nodes table:" << m_storage.lastError();
        return;
    }
    if (stale->isEmpty())
        return;
    QStringList names;
    for (const Storage::StaleNode &node : *stale)
        names.append(node.node);
    qCInfo(lcDispatch).noquote() << "taking over the unfinished deliveries of stopped server(s):"
                                 << names.join(QStringLiteral(", "));
    claimPass(*stale);
}

void Dispatcher::claimPass(QList<Storage::StaleNode> stale)
{
    m_resume = std::make_unique<ResumeState>();
    m_resume->aliveSinceMs = QDateTime::currentMSecsSinceEpoch() - m_config.nodeTimeoutSecs * 1000LL;
    m_resume->stale = std::move(stale);
    resumePage();
}

void Dispatcher::resumePage()
{
    if (!m_resume)
        return;
    // One page per event-loop pass: new events, acks and requests are served between pages, and
    // at most a page of rows (and of queued process() calls) is held at a time. What this run
    // claims is its own from then on: a row moved further along the order is not claimed again.
    const auto page = m_storage.claimOpenDeliveries(&m_resume->cursor, m_resume->aliveSinceMs, m_resumePageSize);
    if (!page) {
        qCCritical(lcDispatch) << "cannot claim unfinished deliveries:" << m_storage.lastError();
        m_resume.reset();
        return;
    }
    Q_EMIT resumePageRead(int(page->size()));
    for (DeliveryRecord d : *page) {
        ++m_resume->resumed;
        if (d.state == DeliveryState::Retry) {
            scheduleRetry(d.id, d.nextAttemptAt);
        } else if (d.state == DeliveryState::InBand) {
            // The session that got it is gone with the server that sent it, and its ack never arrived.
            save(d, AttemptChannel::InBand, QStringLiteral("ack_lost"), QStringLiteral("server stopped"));
            d.state = DeliveryState::Pending;
            d.channel = DeliveryChannel::Push;
            m_storage.updateDelivery(d);
            schedule(d.id);
        } else {
            schedule(d.id); // pending, or a push whose outcome never arrived: send again, same apns-id
        }
    }
    if (!page->isEmpty()) {
        // Until a page comes back empty: PostgreSQL's SKIP LOCKED may return a short page with
        // more behind it. Queued behind this page's process() calls, so pages never pile up.
        QMetaObject::invokeMethod(this, &Dispatcher::resumePage, Qt::QueuedConnection);
        return;
    }
    for (const Storage::StaleNode &node : std::as_const(m_resume->stale))
        m_storage.forgetStaleNode(node.claimer, m_resume->aliveSinceMs);
    const int resumed = m_resume->resumed;
    m_resume.reset();
    if (resumed)
        qCInfo(lcDispatch) << "took over" << resumed << "unfinished deliveries";
    Q_EMIT resumeFinished(resumed);
}

void Dispatcher::schedule(const QString &deliveryId)
{
    QMetaObject::invokeMethod(this, [this, deliveryId] { process(deliveryId); }, Qt::QueuedConnection);
}

void Dispatcher::dispatchNew(DeliveryRecord delivery, const NotificationRecord &notification,
                             const DeviceRecord &device)
{
    route(delivery, notification, device);
}

void Dispatcher::process(const QString &deliveryId)
{
    if (m_pushing.contains(deliveryId) || m_settling.contains(deliveryId))
        return; // with a provider (its outcome decides what happens next), or delivered already
    auto d = m_storage.deliveryById(deliveryId);
    if (!d || !isOpen(d->state) || d->state == DeliveryState::InBand)
        return;
    const auto n = m_storage.notificationById(d->notificationId);
    const auto device = m_storage.deviceById(d->deviceId);
    if (!n || !device) {
        finish(*d, DeliveryState::Cancelled, QStringLiteral("notification or device is gone"));
        return;
    }
    route(*d, *n, *device);
}

void Dispatcher::route(DeliveryRecord &d, const NotificationRecord &n, const DeviceRecord &device)
{
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
    push(d, n, device);
}

void Dispatcher::deliverInBand(DeliveryRecord &d, const NotificationRecord &n, TerminalSession *session)
{
    d.state = DeliveryState::InBand;
    d.channel = DeliveryChannel::InBand;
    ++d.attempts;
    save(d, AttemptChannel::InBand, QStringLiteral("sent"), {});
    const QString key = ackKey(d.deviceId, n.id);
    m_awaitingAck.insert(key, d.id);
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
    d.state = DeliveryState::Delivered;
    save(d, AttemptChannel::Gateway, QStringLiteral("seen-in-app"), {}); // stats and the live feed see it too
    announce(d);
    qCDebug(lcDispatch) << "delivery" << d.id << "not sent: a gateway reports the app in the foreground";
}

void Dispatcher::onAck(qint64 deviceId, const QString &notificationId)
{
    const QString deliveryId = m_awaitingAck.take(ackKey(deviceId, notificationId));
    if (deliveryId.isEmpty())
        return; // late or foreign ack: nothing is waiting for it
    delete m_ackTimers.take(deliveryId);
    auto d = m_storage.deliveryById(deliveryId);
    if (!d || d->state != DeliveryState::InBand)
        return;
    save(*d, AttemptChannel::InBand, QStringLiteral("acked"), {});
    finish(*d, DeliveryState::Delivered, {});
}

void Dispatcher::onAckTimeout(const QString &deliveryId)
{
    delete m_ackTimers.take(deliveryId);
    auto d = m_storage.deliveryById(deliveryId);
    if (!d || d->state != DeliveryState::InBand)
        return;
    const auto n = m_storage.notificationById(d->notificationId);
    if (n) {
        m_awaitingAck.remove(ackKey(d->deviceId, n->id));
        if (TerminalSession *session = m_presence.session(d->deviceId))
            session->markStale(n->app);
    }
    qCInfo(lcDispatch) << "no ack from device" << d->deviceId << "within" << m_config.ackTimeoutSecs
                       << "s; falling back to push";
    save(*d, AttemptChannel::InBand, QStringLiteral("ack_timeout"), {});
    d->state = DeliveryState::Pending;
    d->channel = DeliveryChannel::Push;
    m_storage.updateDelivery(*d);
    process(d->id);
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
        if (!m_waitingIds.contains(d.id)) {
            m_waitingIds.insert(d.id);
            std::deque<Waiting> &queue = m_waiting[provider];
            if (qsizetype(queue.size()) < m_config.heldPushes)
                queue.push_back({d, n, device});
            else
                queue.push_back({d, std::nullopt, {}});
        }
        return;
    }
    m_waitingIds.remove(d.id); // sent now, by whichever path got here first
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
    // Read now, not when the event came in: opens since then have lowered it.
    message.badge = m_storage.unreadNotificationCount(n.accountId).value_or(-1);
    message.contentAvailable = text.contentFree;
    message.highPriority = !text.contentFree;
    if (app.privacy == QLatin1String(EncryptedPush::Level))
        EncryptedPush::apply(message, n, app, device, language, m_translator);
    d.state = DeliveryState::Push;
    d.channel = DeliveryChannel::Push;
    ++d.attempts;
    m_pushing.insert(d.id, {d, QDateTime::currentDateTimeUtc(), provider->name(), device.pushToken});
    provider->send(message);
}

void Dispatcher::onPushFinished(const PushResult &result)
{
    // Only the dispatcher changes deliveries, so the copy kept at send time is the truth; a result
    // for anything else is stale (e.g. from before a restart) and changes nothing.
    auto pushing = m_pushing.find(result.deliveryId);
    if (pushing == m_pushing.end()) {
        onClearPushFinished(result);
        return;
    }
    InFlight sent = std::move(pushing.value());
    m_pushing.erase(pushing);
    DeliveryRecord &d = sent.delivery;
    Q_EMIT pushAnswered(sent.provider, outcomeName(result.outcome), result.reason,
                        double(sent.sentAt.msecsTo(QDateTime::currentDateTimeUtc())) / 1000.0);
    // One row per push: the provider and its verdict, when it was sent and when it was answered.
    const QString status = result.reason.isEmpty() ? QString::number(result.httpStatus)
                                                   : QStringLiteral("%1 %2").arg(result.httpStatus).arg(result.reason);
    DeliveryAttemptRecord attempt{d.id, AttemptChannel::Push, outcomeName(result.outcome),
                                  sent.provider + QStringLiteral(": ") + status, QDateTime::currentDateTimeUtc(),
                                  sent.sentAt};
    Q_EMIT deliveryAttempted(d, AttemptChannel::Push, attempt.outcome, attempt.detail);
    if (result.outcome == PushResult::Outcome::Delivered) {
        // The common case under load: nothing reads it back soon, so it is written in the background.
        d.providerId = result.providerMessageId;
        finishPushedInBackground(std::move(d), std::move(attempt));
        return;
    }
    // The attempt and the new state (every branch below writes it) go into one batch.
    m_storage.addDeliveryAttempt(attempt);
    switch (result.outcome) {
    case PushResult::Outcome::Delivered:
        break; // handled above
    case PushResult::Outcome::TokenDead:
        // A 410 can come back after the device re-registered with a new token: only the token
        // this push went to is retired (storage leaves a newer one active).
        m_storage.setPushTokenState(d.deviceId, sent.pushToken, PushTokenState::Retired, result.reason);
        if (const auto device = m_storage.deviceById(d.deviceId);
            device && device->pushToken != sent.pushToken && device->pushTokenState == PushTokenState::Active) {
            // The device registered a new token while this push was out: it goes there instead.
            qCInfo(lcDispatch) << "push token of device" << d.deviceId << "was replaced while a push was out;"
                               << "sending it to the new one";
            d.state = DeliveryState::Pending;
            m_storage.updateDelivery(d);
            process(d.id);
            return;
        }
        qCWarning(lcDispatch) << "push token of device" << d.deviceId << "retired:" << result.reason;
        Q_EMIT pushTokenRetired(d.deviceId, result.reason);
        finish(d, DeliveryState::Failed, QStringLiteral("push token is dead: %1").arg(result.reason));
        return;
    case PushResult::Outcome::Rejected:
        finish(d, DeliveryState::Failed, QStringLiteral("rejected by the provider: %1").arg(result.reason));
        return;
    case PushResult::Outcome::RetryLater:
    case PushResult::Outcome::ProviderAuthFailed:
        // Our own credentials being refused is the provider's alarm, not a reason to drop the
        // push: it waits with the same back-off as any transient failure.
        retryLater(d, status, result);
        return;
    }
}

void Dispatcher::retryLater(DeliveryRecord &d, const QString &error, const PushResult &result)
{
    const auto n = m_storage.notificationById(d.notificationId);
    PushResult transient = result;
    transient.outcome = PushResult::Outcome::RetryLater;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto due = n ? m_retryPolicy.nextAttempt(d.attempts, transient, now, n->expiresAt) : std::nullopt;
    if (!due) {
        finish(d, DeliveryState::Failed,
               QStringLiteral("gave up after %1 attempts: %2").arg(d.attempts).arg(error));
        return;
    }
    d.state = DeliveryState::Retry;
    d.nextAttemptAt = *due;
    d.lastError = error;
    m_storage.updateDelivery(d);
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
    auto d = m_storage.deliveryById(deliveryId);
    if (d && d->state == DeliveryState::Retry) {
        d->state = DeliveryState::Pending;
        m_storage.updateDelivery(*d);
        process(deliveryId);
    }
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

void Dispatcher::finish(DeliveryRecord &d, DeliveryState state, const QString &error)
{
    d.state = state;
    d.lastError = error;
    if (!m_storage.updateDelivery(d))
        qCCritical(lcDispatch) << "cannot record delivery" << d.id << "as" << toText(state) << ":" << m_storage.lastError();
    announce(d);
}

void Dispatcher::finishPushedInBackground(DeliveryRecord d, DeliveryAttemptRecord attempt)
{
    d.state = DeliveryState::Delivered;
    d.lastError.clear();
    m_settling.insert(d.id);
    auto write = [d, attempt = std::move(attempt)](Storage &storage) {
        return storage.addDeliveryAttempt(attempt) && storage.updateDelivery(d);
    };
    auto written = [self = QPointer<Dispatcher>(this), d](bool ok) {
        if (!self)
            return;
        self->m_settling.remove(d.id);
        if (!ok) // storage keeps "pending": a restart sends it again, with the same apns-id
            qCCritical(lcDispatch) << "cannot record delivery" << d.id << "as delivered";
        self->announce(d);
    };
    m_storage.writeInBackground(std::move(write), std::move(written));
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
    // State first, then the attempt: a crash in between loses history, never a delivery.
    if (!m_storage.updateDelivery(d))
        qCCritical(lcDispatch) << "cannot update delivery" << d.id << ":" << m_storage.lastError();
    m_storage.addDeliveryAttempt({d.id, channel, outcome, detail, QDateTime::currentDateTimeUtc(), {}});
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
    return m_pushing.contains(deliveryId) || m_settling.contains(deliveryId);
}

void Dispatcher::withdraw(const DeliveryRecord &d)
{
    const QString &deliveryId = d.id;
    delete m_ackTimers.take(deliveryId);
    for (auto it = m_awaitingAck.begin(); it != m_awaitingAck.end();) {
        if (it.value() == deliveryId)
            it = m_awaitingAck.erase(it);
        else
            ++it;
    }
    m_waitingIds.remove(deliveryId);
    delete m_retries.take(deliveryId);
    ++m_tally.cancelled;
    Q_EMIT deliveryWithdrawn(d);
    Q_EMIT deliveryFinished(deliveryId, DeliveryState::Cancelled);
}

void Dispatcher::notificationOpened(const NotificationRecord &notification, qint64 openedOnDevice)
{
    const auto deliveries = m_storage.deliveriesOfNotification(notification.id);
    for (DeliveryRecord d : deliveries.value_or(QList<DeliveryRecord>())) {
        if (m_pushing.contains(d.id) || m_settling.contains(d.id))
            continue; // with a provider already, or delivered: its outcome is recorded as it comes
        if (d.state == DeliveryState::Pending || d.state == DeliveryState::Retry || d.state == DeliveryState::InBand) {
            delete m_ackTimers.take(d.id);
            delete m_retries.take(d.id);
            m_awaitingAck.remove(ackKey(d.deviceId, notification.id));
            m_waitingIds.remove(d.id);
            finish(d, DeliveryState::Cancelled, QStringLiteral("opened on another device"));
        }
    }
    // Clear it on every other connected device of the account, targeted or not.
    for (TerminalSession *session : m_presence.sessionsOfAccount(notification.accountId)) {
        if (session->deviceId() != openedOnDevice)
            session->clear({notification.id});
    }
    sendClearPushes(notification, deliveries.value_or(QList<DeliveryRecord>()), openedOnDevice);
}

void Dispatcher::sendClearPushes(const NotificationRecord &n, const QList<DeliveryRecord> &deliveries,
                                 qint64 openedOnDevice)
{
    // The tray entry is the group's: its collapse id goes with the notification's own id. The
    // user has seen the group, so the next event starts a new one.
    const QString collapseId = m_grouping.collapseIdOf(n);
    m_grouping.opened(n);
    QStringList ids{n.id};
    if (collapseId != n.id)
        ids << collapseId;
    std::optional<int> badge;
    QSet<qint64> done;
    for (const DeliveryRecord &d : deliveries) {
        // Only devices that were pushed it have it in their tray; a connected one got the frame.
        // A push with its provider, or whose outcome is still being written, is known here only:
        // its row says neither "push" nor "delivered" until that write commits.
        const bool pushed = m_pushing.contains(d.id) || m_settling.contains(d.id) ||
                            (d.channel == DeliveryChannel::Push && d.state == DeliveryState::Delivered);
        if (!pushed || d.deviceId == openedOnDevice || done.contains(d.deviceId) || m_presence.session(d.deviceId))
            continue;
        done.insert(d.deviceId);
        const auto device = m_storage.deviceById(d.deviceId);
        // APNs and FCM only: a browser must show something for every push it gets (userVisibleOnly).
        if (!device || device->pushTokenState != PushTokenState::Active || device->pushToken.isEmpty() ||
            (device->platform != QLatin1String("ios") && device->platform != QLatin1String("android")))
            continue;
        Provider *provider = m_providers.providerFor(device->platform);
        if (!provider || !provider->canAccept()) {
            // Best effort: the next push carries the right badge; a busy provider keeps its room
            // for notifications.
            qCDebug(lcDispatch) << "clear for device" << device->id << "not sent: provider busy or missing";
            continue;
        }
        if (!badge)
            badge = m_storage.unreadNotificationCount(n.accountId).value_or(-1);
        PushMessage message;
        message.deliveryId = QUuid::createUuid().toString(QUuid::WithoutBraces); // apns-id: a UUID
        message.notificationId = n.id;
        message.platform = device->platform;
        message.pushToken = device->pushToken;
        message.topic = device->pushTopic;
        message.clearIds = ids;
        message.badge = *badge;
        message.expiresAt = n.expiresAt;
        message.contentAvailable = true;
        message.highPriority = false; // APNs priority 5, FCM NORMAL: nothing for the user to see
        m_clearing.insert(message.deliveryId, {device->id, device->pushToken, provider->name(),
                                               QDateTime::currentDateTimeUtc()});
        provider->send(message);
    }
}

void Dispatcher::onClearPushFinished(const PushResult &result)
{
    const auto found = m_clearing.constFind(result.deliveryId);
    if (found == m_clearing.cend())
        return; // stale: from before a restart, or already answered
    const ClearPush sent = *found;
    m_clearing.erase(found);
    Q_EMIT pushAnswered(sent.provider, outcomeName(result.outcome), result.reason,
                        double(sent.sentAt.msecsTo(QDateTime::currentDateTimeUtc())) / 1000.0);
    if (result.outcome == PushResult::Outcome::TokenDead) {
        m_storage.setPushTokenState(sent.deviceId, sent.pushToken, PushTokenState::Retired, result.reason);
        qCWarning(lcDispatch) << "push token of device" << sent.deviceId << "retired:" << result.reason;
        Q_EMIT pushTokenRetired(sent.deviceId, result.reason);
    } else if (result.outcome != PushResult::Outcome::Delivered) {
        qCDebug(lcDispatch) << "clear for device" << sent.deviceId << "not delivered:" << outcomeName(result.outcome)
                            << result.reason;
    }
}

} // namespace herald
