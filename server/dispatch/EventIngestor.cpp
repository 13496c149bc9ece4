#include "dispatch/EventIngestor.h"

#include "app/ServerConfig.h"
#include "dispatch/DispatchLog.h"
#include "dispatch/Dispatcher.h"
#include "presence/PresenceTracker.h"
#include "storage/Storage.h"
#include "util/RandomToken.h"

#include <QPointer>

#include <algorithm>

namespace herald {

EventIngestor::EventIngestor(Storage &storage, PresenceTracker &presence, Dispatcher &dispatcher,
                             const ServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_presence(presence)
    , m_dispatcher(dispatcher)
    , m_config(config)
{
}

EventIngestor::Result EventIngestor::ingest(const QString &source, const EventInput &event)
{
    Result result;
    // One read for account, login and devices: this runs for every event the server takes.
    const auto found = m_storage.eventTargets(event.account, event.app);
    if (!found) {
        result.status = Result::Status::UnknownAccount;
        return result;
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
    n.state = targets.isEmpty() && !loggedIn ? QStringLiteral("suppressed") : QStringLiteral("active");

    QList<DeliveryRecord> deliveries;
    bool duplicate = false;
    const bool ok = m_storage.transaction([&] {
        // The UNIQUE (source, event_id) index is the duplicate check: no read before the write.
        if (!m_storage.insertNewNotification(n, &duplicate))
            return false;
        if (duplicate)
            return true;
        for (const DeviceRecord &device : std::as_const(targets)) {
            DeliveryRecord d;
            d.id = RandomToken::timeOrderedUuid();
            d.notificationId = n.id;
            d.deviceId = device.id;
            d.state = QStringLiteral("pending");
            d.createdAt = now;
            d.updatedAt = now;
            if (!m_storage.insertDelivery(d))
                return false;
            deliveries.append(d);
        }
        return true;
    });
    if (!ok || duplicate) {
        // The same eventId again: answer with the first notification's id, notify nobody.
        if (const auto existing = m_storage.notificationBySourceEvent(source, event.eventId)) {
            result.status = Result::Status::Duplicate;
            result.notificationId = existing->id;
            return result;
        }
        qCWarning(lcDispatch) << "cannot store an event from source" << source << ":" << m_storage.lastError();
        return result;
    }
    qCDebug(lcDispatch) << "notification" << n.id << "for account" << account->name << "app" << n.app << "from"
                        << source << "->" << deliveries.size() << "device(s)" << (loggedIn ? "" : "(not logged in)");
    // Nothing is sent before the rows are committed: a push must never point at a lost notification.
    if (!deliveries.isEmpty()) {
        QPointer<Dispatcher> dispatcher(&m_dispatcher);
        m_storage.whenDurable([dispatcher, deliveries, n, targets](bool durable) {
            if (!dispatcher || !durable)
                return;
            for (int i = 0; i < deliveries.size(); ++i)
                dispatcher->dispatchNew(deliveries.at(i), n, targets.at(i));
        });
    }
    result.status = Result::Status::Accepted;
    result.notificationId = n.id;
    result.deliveries = int(deliveries.size());
    return result;
}

} // namespace herald
