#include "dispatch/EventIngestor.h"

#include "dispatch/DispatchSettings.h"
#include "dispatch/DispatchLog.h"
#include "dispatch/Dispatcher.h"
#include "presence/PresenceTracker.h"
#include "storage/Storage.h"
#include "crypto/RandomToken.h"

#include <QPointer>

#include <algorithm>

namespace herald {

EventIngestor::EventIngestor(Storage &storage, PresenceTracker &presence, Dispatcher &dispatcher,
                             const DispatchSettings &config, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_presence(presence)
    , m_dispatcher(dispatcher)
    , m_config(config)
{
}

void EventIngestor::ingest(const QString &source, const EventInput &event, ResultHandler done)
{
    // One read for account, login and devices: this runs for every event the server takes.
    const auto found = m_storage.eventTargets(event.account, event.app);
    if (!found) {
        if (done)
            done(Result{Result::Status::UnknownAccount, {}, 0});
        return;
    }
    const AccountRecord *account = &found->account;

    // Only accounts logged in to the app are notified: logout means silence for that app.
    const bool loggedIn = found->loggedIn;
    QList<DeviceRecord> targets;
    if (loggedIn && !account->disabled) {
        targets = found->devices;
        if (m_config.targetPolicy == QLatin1String("latest") && targets.size() > 1) {
            // The most recently active device: what this run heard from it, else what storage remembers.
            auto activity = [this](const DeviceRecord &d) {
                const QDateTime live = m_presence.lastActivity(d.id);
                return live.isValid() && (!d.lastSeen.isValid() || live > d.lastSeen) ? live : d.lastSeen;
            };
            const auto latest = std::max_element(targets.cbegin(), targets.cend(),
                                                 [&](const DeviceRecord &a, const DeviceRecord &b) {
                                                     return activity(a) < activity(b);
                                                 });
            targets = {*latest};
        }
    }

    const QDateTime now = QDateTime::currentDateTimeUtc();
    NotificationRecord n;
    n.id = RandomToken::timeOrderedUuid();
    n.accountId = account->id;
    n.app = event.app;
    n.source = source;
    n.eventId = event.eventId;
    n.sender = event.sender;
    n.subject = event.subject;
    n.body = event.body;
    n.receivedAt = event.receivedAt.isValid() ? event.receivedAt : now;
    n.createdAt = now;
    n.expiresAt = now.addSecs(m_config.notificationTtlSecs);
    n.state = targets.isEmpty() && !loggedIn ? NotificationState::Suppressed : NotificationState::Active;

    QList<DeliveryRecord> deliveries;
    for (const DeviceRecord &device : std::as_const(targets)) {
        DeliveryRecord d;
        d.id = RandomToken::timeOrderedUuid();
        d.notificationId = n.id;
        d.deviceId = device.id;
        d.state = DeliveryState::Pending;
        d.createdAt = now;
        d.updatedAt = now;
        deliveries.append(d);
    }

    // Filled on the writer's side; read here only after the unit's commit has been reported.
    struct Stored
    {
        bool duplicate = false;
        QString firstId;
    };
    auto stored = std::make_shared<Stored>();
    auto write = [n, deliveries, stored](Storage &storage) {
        *stored = {};
        // The UNIQUE (source, event_id) index is the duplicate check: no read before the write.
        if (!storage.insertNewNotification(n, &stored->duplicate))
            return false;
        if (stored->duplicate) {
            // The same eventId again: answer with the first notification's id, notify nobody.
            const auto first = storage.notificationBySourceEvent(n.source, n.eventId);
            if (!first)
                return false;
            stored->firstId = first->id;
            return true;
        }
        for (const DeliveryRecord &d : deliveries)
            if (!storage.insertDelivery(d))
                return false;
        return true;
    };
    auto committed = [self = QPointer<EventIngestor>(this), dispatcher = QPointer<Dispatcher>(&m_dispatcher), n, deliveries, targets, stored,
                      accountName = account->name, loggedIn, done = std::move(done)](bool ok) {
        Result result;
        if (!ok) {
            qCWarning(lcDispatch) << "cannot store an event from source" << n.source << "for account" << accountName;
        } else if (stored->duplicate) {
            result.status = Result::Status::Duplicate;
            result.notificationId = stored->firstId;
            if (self)
                Q_EMIT self->eventRepeated(n.source);
        } else {
            qCDebug(lcDispatch) << "notification" << n.id << "for account" << accountName << "app" << n.app << "from"
                                << n.source << "->" << deliveries.size() << "device(s)"
                                << (loggedIn ? "" : "(not logged in)");
            if (self)
                Q_EMIT self->notificationCreated(n); // before dispatching, so observers see it ahead of its deliveries
            // Nothing is sent before the rows are committed: a push must never point at a lost notification.
            if (dispatcher)
                for (int i = 0; i < deliveries.size(); ++i)
                    dispatcher->dispatchNew(deliveries.at(i), n, targets.at(i));
            result.status = Result::Status::Accepted;
            result.notificationId = n.id;
            result.deliveries = int(deliveries.size());
        }
        if (done)
            done(result);
    };
    m_storage.writeInBackground(std::move(write), std::move(committed));
}

} // namespace herald
