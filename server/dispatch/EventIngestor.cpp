#include "dispatch/EventIngestor.h"

#include "app/ServerConfig.h"
#include "dispatch/DispatchLog.h"
#include "dispatch/Dispatcher.h"
#include "presence/PresenceTracker.h"
#include "storage/Storage.h"
#include "util/RandomToken.h"

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
    const auto account = m_storage.accountByName(event.account);
    if (!account) {
        result.status = Result::Status::UnknownAccount;
        return result;
    }
    if (const auto existing = m_storage.notificationBySourceEvent(source, event.eventId)) {
        result.status = Result::Status::Duplicate;
        result.notificationId = existing->id;
        return result;
    }

    // Only accounts logged in to the app are notified: logout means silence for that app.
    const auto logins = m_storage.loginsOfAccount(account->id);
    const bool loggedIn = logins && std::any_of(logins->cbegin(), logins->cend(),
                                                [&](const LoginRecord &l) { return l.app == event.app; });
    QList<DeviceRecord> targets;
    if (loggedIn && !account->disabled) {
        for (const DeviceRecord &d : m_storage.devicesOfAccount(account->id).value_or(QList<DeviceRecord>())) {
            if (d.apps.contains(event.app))
                targets.append(d);
        }
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

    QStringList deliveryIds;
    const bool ok = m_storage.transaction([&] {
        if (!m_storage.insertNotification(n))
            return false;
        for (const DeviceRecord &device : std::as_const(targets)) {
            DeliveryRecord d;
            d.id = RandomToken::timeOrderedUuid();
            d.notificationId = n.id;
            d.deviceId = device.id;
            if (!m_storage.insertDelivery(d))
                return false;
            deliveryIds.append(d.id);
        }
        return true;
    });
    if (!ok) {
        // A concurrent duplicate loses the UNIQUE race: answer with the winner's id.
        if (const auto existing = m_storage.notificationBySourceEvent(source, event.eventId)) {
            result.status = Result::Status::Duplicate;
            result.notificationId = existing->id;
            return result;
        }
        qCWarning(lcDispatch) << "cannot store an event from source" << source << ":" << m_storage.lastError();
        return result;
    }
    qCDebug(lcDispatch) << "notification" << n.id << "for account" << account->name << "app" << n.app << "from"
                        << source << "->" << deliveryIds.size() << "device(s)" << (loggedIn ? "" : "(not logged in)");
    for (const QString &id : std::as_const(deliveryIds))
        m_dispatcher.schedule(id);
    result.status = Result::Status::Accepted;
    result.notificationId = n.id;
    result.deliveries = int(deliveryIds.size());
    return result;
}

} // namespace herald
