#pragma once

#include "storage/SqliteStorage.h"

#include <QStringList>

namespace herald::test {

// The event loop's Storage in a server set-up (group commit: a background writer and reading
// connections), counting the calls made on it while armed. The background writer and readers open
// plain SqliteStorage objects of their own, so work that left the event loop never comes here:
// `calls` lists what did not. Counted: the reads and writes of deliveries, notifications, devices,
// accounts, operators, sources and the audit log, the kind a request or an event makes, and the
// outbox's claims and heartbeats.
class CountingStorage : public SqliteStorage
{
public:
    using SqliteStorage::SqliteStorage;
    bool armed = false;
    QStringList calls;

#define HERALD_COUNTED(Result, name, Params, Args) \
    Result name Params override                    \
    {                                              \
        note(#name);                               \
        return SqliteStorage::name Args;           \
    }
    HERALD_COUNTED(std::optional<DeliveryRecord>, deliveryById, (const QString &id), (id))
    HERALD_COUNTED(std::optional<NotificationRecord>, notificationById, (const QString &id), (id))
    HERALD_COUNTED(std::optional<DeviceRecord>, deviceById, (qint64 id), (id))
    HERALD_COUNTED(std::optional<DeviceRecord>, deviceByDeviceId, (const QString &id), (id))
    HERALD_COUNTED(std::optional<QList<DeliveryRecord>>, deliveriesOfNotification, (const QString &id), (id))
    HERALD_COUNTED(std::optional<QList<DeliveryAttemptRecord>>, deliveryAttempts, (const QString &id), (id))
    HERALD_COUNTED(bool, updateDelivery, (const DeliveryRecord &d), (d))
    HERALD_COUNTED(bool, insertDelivery, (const DeliveryRecord &d), (d))
    HERALD_COUNTED(bool, insertNotification, (const NotificationRecord &n), (n))
    HERALD_COUNTED(bool, addDeliveryAttempt, (const DeliveryAttemptRecord &a), (a))
    HERALD_COUNTED(bool, setPushTokenState,
                   (qint64 deviceId, const QString &token, PushTokenState state, const QString &reason),
                   (deviceId, token, state, reason))
    HERALD_COUNTED(std::optional<int>, unreadNotificationCount, (qint64 accountId), (accountId))
    HERALD_COUNTED(std::optional<AccountRecord>, accountByName, (const QString &name), (name))
    HERALD_COUNTED(std::optional<AccountRecord>, accountById, (qint64 id), (id))
    HERALD_COUNTED(std::optional<qint64>, createAccount, (const QString &name, const QString &hash), (name, hash))
    HERALD_COUNTED(bool, setAccountDisabled, (qint64 id, bool disabled), (id, disabled))
    HERALD_COUNTED(bool, setAccountPassword, (qint64 id, const QString &hash), (id, hash))
    HERALD_COUNTED(std::optional<QList<DeviceRecord>>, devicesOfAccount, (qint64 id), (id))
    HERALD_COUNTED(bool, deleteDevice, (qint64 id), (id))
    HERALD_COUNTED(std::optional<OperatorRecord>, operatorByName, (const QString &name), (name))
    HERALD_COUNTED(std::optional<QList<OperatorRecord>>, operators, (), ())
    HERALD_COUNTED(std::optional<qint64>, createOperator, (const QString &name, const QString &hash, const QString &role),
                   (name, hash, role))
    HERALD_COUNTED(bool, setOperatorDisabled, (qint64 id, bool disabled), (id, disabled))
    HERALD_COUNTED(bool, setOperatorRole, (qint64 id, const QString &role), (id, role))
    HERALD_COUNTED(bool, setOperatorPassword, (qint64 id, const QString &hash), (id, hash))
    HERALD_COUNTED(bool, appendAudit, (const AuditRecord &entry), (entry))
    HERALD_COUNTED(std::optional<SourceRecord>, sourceByName, (const QString &name), (name))
    HERALD_COUNTED(std::optional<QList<SourceRecord>>, sources, (), ())
    HERALD_COUNTED(std::optional<qint64>, createSource, (const QString &name, const QByteArray &hash, const QString &kind),
                   (name, hash, kind))
    HERALD_COUNTED(bool, revokeSource, (qint64 id, const QDateTime &at), (id, at))
    HERALD_COUNTED(bool, beatNode, (const QString &node, const NodeReport &report), (node, report))
    HERALD_COUNTED(std::optional<QList<NodeRun>>, staleNodes, (qint64 aliveSinceMs), (aliveSinceMs))
    HERALD_COUNTED(bool, forgetStaleNode, (const QString &claimer, qint64 aliveSinceMs), (claimer, aliveSinceMs))
    HERALD_COUNTED(std::optional<QList<DeliveryRecord>>, claimOpenDeliveries,
                   (OpenDeliveryCursor * cursor, qint64 aliveSinceMs, int limit), (cursor, aliveSinceMs, limit))
#undef HERALD_COUNTED

private:
    void note(const char *call)
    {
        if (armed)
            calls.append(QLatin1String(call));
    }
};

} // namespace herald::test
