// Dispatcher: what ends a delivery from outside its own decisions: an operator's cancel (on this
// node or another) and the notification's open on one of the account's devices. Kept apart from
// Dispatcher.cpp so neither file grows past what one reads at once.
#include "dispatch/Dispatcher.h"

#include "dispatch/DispatchLog.h"
#include "presence/PresenceTracker.h"
#include "presence/TerminalSession.h"
#include "storage/Storage.h"

#include <QPointer>

namespace herald {
void Dispatcher::withdraw(const DeliveryRecord &d)
{
    forget(d.id);
    ++m_tally.cancelled;
    Q_EMIT deliveryWithdrawn(d);
    Q_EMIT deliveryFinished(d.id, DeliveryState::Cancelled);
}

void Dispatcher::withdrawnElsewhere(const QString &deliveryId)
{
    // Read as a unit of the background writer, after this run's own writes: the cancel committed
    // before its notice was sent, so the row says cancelled unless this run has since written it
    // (a push that was already with its provider records its outcome, as on one node).
    auto row = std::make_shared<std::optional<DeliveryRecord>>();
    m_storage.writeInBackground(
        [deliveryId, row](Storage &storage) {
            *row = storage.deliveryById(deliveryId);
            return true;
        },
        [self = QPointer<Dispatcher>(this), deliveryId, row](bool ok) {
            if (!self || !ok || !*row || (*row)->state != DeliveryState::Cancelled || self->m_pushing.contains(deliveryId))
                return;
            qCInfo(lcDispatch) << "delivery" << deliveryId << "was cancelled on another node; dropping what this node held of it";
            self->forget(deliveryId);
        });
}

void Dispatcher::forget(const QString &deliveryId)
{
    delete m_ackTimers.take(deliveryId);
    m_inBand.remove(deliveryId);
    m_badgeWait.remove(deliveryId);
    for (auto it = m_awaitingAck.begin(); it != m_awaitingAck.end();) {
        if (it.value() == deliveryId)
            it = m_awaitingAck.erase(it);
        else
            ++it;
    }
    m_waitingIds.remove(deliveryId);
    m_handOver.forget(deliveryId);
    m_handedIn.remove(deliveryId);
    delete m_retries.take(deliveryId);
}

void Dispatcher::notificationOpened(const NotificationRecord &notification, qint64 openedOnDevice)
{
    // Clear it on every other connected device of the account, targeted or not: no reads needed.
    for (TerminalSession *session : m_presence.sessionsOfAccount(notification.accountId)) {
        if (session->deviceId() != openedOnDevice)
            session->clear({notification.id});
    }
    // Its deliveries, their devices and the new badge, read as one unit of the background writer:
    // after every delivery write submitted so far, and off the event loop.
    auto read = std::make_shared<OpenedRead>();
    m_storage.writeInBackground(
        [id = notification.id, accountId = notification.accountId, read](Storage &storage) {
            read->deliveries = storage.deliveriesOfNotification(id);
            if (!read->deliveries)
                return true; // nothing to cancel then: logged when it comes back
            for (const DeliveryRecord &d : std::as_const(*read->deliveries)) {
                if (!read->devices.contains(d.deviceId))
                    if (const auto device = storage.deviceById(d.deviceId))
                        read->devices.insert(d.deviceId, *device);
            }
            read->badge = storage.unreadNotificationCount(accountId).value_or(-1);
            return true;
        },
        [self = QPointer<Dispatcher>(this), notification, openedOnDevice, read](bool ok) {
            if (!self)
                return;
            if (!ok || !read->deliveries) {
                qCWarning(lcDispatch) << "cannot read the deliveries of opened notification" << notification.id;
                return;
            }
            self->cancelOpened(notification, *read->deliveries);
            self->sendClearPushes(notification, *read, openedOnDevice);
        });
}

void Dispatcher::cancelOpened(const NotificationRecord &n, const QList<DeliveryRecord> &deliveries)
{
    for (DeliveryRecord d : deliveries) {
        if (m_pushing.contains(d.id) || m_settling.contains(d.id))
            continue; // with a provider already, or delivered: its outcome is recorded as it comes
        // What this process decided since the read is newer than the row: an ack's "delivered"
        // still being written stands, a fallback to push still being written is cancelled.
        if (const auto waiting = m_inBand.constFind(d.id); waiting != m_inBand.cend())
            d = waiting->delivery;
        else if (const auto writing = m_writes.constFind(d.id); writing != m_writes.cend())
            d.state = writing->lastState;
        if (d.state != DeliveryState::Pending && d.state != DeliveryState::Retry && d.state != DeliveryState::InBand)
            continue;
        forget(d.id);
        finish(d, DeliveryState::Cancelled, QStringLiteral("opened on another device"));
    }
}

void Dispatcher::sendClearPushes(const NotificationRecord &n, const OpenedRead &read, qint64 openedOnDevice)
{
    // The tray entry is the group's: its collapse id goes with the notification's own id. The
    // user has seen the group, so the next event starts a new one.
    const QString collapseId = m_grouping.collapseIdOf(n);
    m_grouping.opened(n);
    QStringList ids{n.id};
    if (collapseId != n.id)
        ids << collapseId;
    QList<DeviceRecord> devices;
    QSet<qint64> seen;
    for (const DeliveryRecord &d : std::as_const(*read.deliveries)) {
        // Only devices that were pushed it have it in their tray; a connected one got the frame.
        // A push with its provider, or whose outcome is still being written, is known here only:
        // its row says neither "push" nor "delivered" until that write commits.
        const bool pushed = m_pushing.contains(d.id) || m_settling.contains(d.id) ||
                            (d.channel == DeliveryChannel::Push && d.state == DeliveryState::Delivered);
        if (!pushed || d.deviceId == openedOnDevice || seen.contains(d.deviceId) || m_presence.session(d.deviceId))
            continue;
        seen.insert(d.deviceId);
        if (const auto device = read.devices.constFind(d.deviceId); device != read.devices.cend())
            devices.append(*device);
    }
    m_clears.send(n, ids, devices, read.badge);
}

} // namespace herald
