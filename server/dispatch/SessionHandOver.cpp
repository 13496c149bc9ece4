#include "dispatch/SessionHandOver.h"

#include "dispatch/OutboxClaims.h"
#include "storage/Storage.h"

#include <QPointer>

#include <memory>
#include <optional>

namespace herald {

SessionHandOver::SessionHandOver(Storage &storage, const OutboxClaims &claims, QObject *parent)
    : QObject(parent), m_storage(storage), m_claims(claims)
{
}

bool SessionHandOver::wanted(const DeliveryRecord &d) const
{
    // Pending and never pushed: a delivery that fell back to push stays a push.
    return d.state == DeliveryState::Pending && d.channel != DeliveryChannel::Push && m_storage.canMessageNodes() &&
           m_claims.hasOtherLiveNodes();
}

void SessionHandOver::offer(const DeliveryRecord &d, const QString &app, std::function<void(Outcome)> done)
{
    m_offering.insert(d.id);
    auto holder = std::make_shared<std::optional<QString>>();
    m_storage.readInBackground(
        [holder, deviceId = d.deviceId, app, aliveSince = m_claims.aliveSince()](Storage &storage) {
            *holder = storage.sessionHolder(deviceId, app, aliveSince);
        },
        [self = QPointer<SessionHandOver>(this), id = d.id, holder, done = std::move(done)]() mutable {
            if (!self || !self->m_offering.contains(id))
                return; // withdrawn meanwhile
            if (!*holder || (*holder)->isEmpty()) {
                self->m_offering.remove(id);
                done(Outcome::NotFound);
                return;
            }
            self->handOver(id, **holder, std::move(done));
        });
}

void SessionHandOver::handOver(const QString &deliveryId, const QString &claimer, std::function<void(Outcome)> done)
{
    auto moved = std::make_shared<std::optional<bool>>();
    // The row changes owner and the other run is told in one commit: it reads the row only once
    // it is its own.
    m_storage.writeInBackground(
        [deliveryId, claimer, moved](Storage &storage) {
            *moved = storage.handOverDelivery(deliveryId, claimer);
            return moved->has_value();
        },
        [self = QPointer<SessionHandOver>(this), deliveryId, moved, done = std::move(done)](bool ok) {
            if (!self || !self->m_offering.remove(deliveryId))
                return;
            done(!ok ? Outcome::Failed : moved->value_or(false) ? Outcome::HandedOver : Outcome::Reread);
        });
}

} // namespace herald
