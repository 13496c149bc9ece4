#pragma once

#include "storage/Records.h"

#include <QObject>
#include <QSet>
#include <QString>

#include <functional>

namespace herald {

class OutboxClaims;
class Storage;

// Cluster: hands a delivery to the node that holds the device's session with the app on screen
// (docs/architecture.md, "Cluster"). It reads on a reading connection which other live run that
// is (Storage::sessionHolder), then one writer unit moves the row to it and tells it (a NOTIFY,
// sent at commit). Only where nodes can message each other (PostgreSQL) and others are alive.
class SessionHandOver : public QObject
{
    Q_OBJECT
public:
    enum class Outcome {
        HandedOver, // the other node has it now
        NotFound,   // no other node shows the app (or the read failed): push it here
        Reread,     // the row was not pending, or not ours, any more: read it again
        Failed      // the hand-over was not stored: the row is still ours and pending
    };

    SessionHandOver(Storage &storage, const OutboxClaims &claims, QObject *parent = nullptr);

    // Whether a delivery without a session on this node is worth offering to the others.
    bool wanted(const DeliveryRecord &d) const;
    void offer(const DeliveryRecord &d, const QString &app, std::function<void(Outcome)> done);
    bool isOffering(const QString &deliveryId) const { return m_offering.contains(deliveryId); }
    void forget(const QString &deliveryId) { m_offering.remove(deliveryId); } // withdrawn: `done` is not called

private:
    void handOver(const QString &deliveryId, const QString &claimer, std::function<void(Outcome)> done);

    Storage &m_storage;
    const OutboxClaims &m_claims;
    QSet<QString> m_offering;
};

} // namespace herald
