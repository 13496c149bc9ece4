// SqlStorage: event sources and the durable outbox (notifications, deliveries, attempts).
// Kept apart from SqlStorage.cpp so neither file grows into a god class.
#include "storage/SqlStorage.h"
#include "storage/SqlValues.h"

namespace herald {
using namespace sqlvalues; // parameter names are QStringLiterals: a dozen per statement, no allocation each

std::optional<qint64> SqlStorage::createSource(const QString &name, const QByteArray &tokenHash, const QString &kind)
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("insert_source"),
             {{QStringLiteral("name"), name}, {QStringLiteral("token_hash"), tokenHash}, {QStringLiteral("kind"), kind},
              {QStringLiteral("created_at"), QDateTime::currentMSecsSinceEpoch()}}))
        return std::nullopt;
    return q.lastInsertId().toLongLong();
}

SourceRecord SqlStorage::sourceFrom(const SqlQuery &q)
{
    SourceRecord source;
    source.id = q.value(0).toLongLong();
    source.name = q.value(1).toString();
    source.createdAt = fromMs(q.value(2));
    source.kind = q.value(3).toString();
    source.revokedAt = fromMs(q.value(4));
    return source;
}

std::optional<SourceRecord> SqlStorage::sourceByTokenHash(const QByteArray &tokenHash)
{
    constexpr int kMaxCached = 1024; // bounded: many sources only means more lookups
    dropStaleReads();
    const auto known = m_sourcesByHash.constFind(tokenHash);
    if (known != m_sourcesByHash.cend())
        return *known;
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_source_by_token_hash"), {{QStringLiteral("token_hash"), tokenHash}}) || !q.next())
        return std::nullopt;
    const SourceRecord source = sourceFrom(q);
    if (m_sourcesByHash.size() >= kMaxCached)
        m_sourcesByHash.clear();
    m_sourcesByHash.insert(tokenHash, source);
    return source;
}

std::optional<SourceRecord> SqlStorage::sourceByName(const QString &name)
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_source_by_name"), {{QStringLiteral("name"), name}}) || !q.next())
        return std::nullopt;
    return sourceFrom(q);
}

std::optional<QList<SourceRecord>> SqlStorage::sources()
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_sources")))
        return std::nullopt;
    QList<SourceRecord> rows;
    while (q.next())
        rows.append(sourceFrom(q));
    return rows;
}

bool SqlStorage::revokeSource(qint64 id, const QDateTime &at)
{
    m_lastError.clear();
    QueryLease q(*this);
    // The engine's change watch sees the write, so this connection's cached tokens go at once.
    return run(q, QStringLiteral("update_source_revoked"),
               {{QStringLiteral("revoked_at"), toMs(at)}, {QStringLiteral("id"), id}}) &&
           q.numRowsAffected() == 1;
}

static SqlParams notificationValues(const NotificationRecord &n)
{
    return {{QStringLiteral("id"), n.id},
            {QStringLiteral("account_id"), n.accountId},
            {QStringLiteral("app"), n.app},
            {QStringLiteral("source"), n.source},
            {QStringLiteral("event_id"), n.eventId},
            {QStringLiteral("sender"), text(n.sender)},
            {QStringLiteral("subject"), text(n.subject)},
            {QStringLiteral("body"), text(n.body)},
            {QStringLiteral("received_at"), toMs(n.receivedAt)},
            {QStringLiteral("created_at"), toMs(n.createdAt)},
            {QStringLiteral("expires_at"), toMs(n.expiresAt)},
            {QStringLiteral("state"), toText(n.state)}};
}

bool SqlStorage::insertNotification(const NotificationRecord &n)
{
    QueryLease q(*this);
    return run(q, QStringLiteral("insert_notification"), notificationValues(n));
}

bool SqlStorage::insertNewNotification(const NotificationRecord &n, bool *duplicate)
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("insert_notification_if_new"), notificationValues(n)))
        return false;
    *duplicate = q.numRowsAffected() == 0; // ON CONFLICT (source, event_id) DO NOTHING
    return true;
}

std::optional<QList<NotificationRecord>> SqlStorage::notificationRows(const QString &queryName,
                                                                          const SqlParams &values)
{
    QueryLease q(*this);
    if (!run(q, queryName, values))
        return std::nullopt;
    QList<NotificationRecord> rows;
    QString error;
    while (q.next()) {
        NotificationRecord n;
        n.id = q.value(0).toString();
        n.accountId = q.value(1).toLongLong();
        n.app = q.value(2).toString();
        n.source = q.value(3).toString();
        n.eventId = q.value(4).toString();
        n.sender = q.value(5).toString();
        n.subject = q.value(6).toString();
        n.body = q.value(7).toString();
        n.receivedAt = fromMs(q.value(8));
        n.createdAt = fromMs(q.value(9));
        n.expiresAt = fromMs(q.value(10));
        n.openedAt = fromMs(q.value(12));
        if (!fromText(q.value(11), parseNotificationState, "notifications.state", &n.state, &error)) {
            rowError(QStringLiteral("notification %1: %2").arg(n.id, error));
            return std::nullopt;
        }
        rows.append(n);
    }
    return rows;
}

std::optional<NotificationRecord> SqlStorage::notificationById(const QString &id)
{
    const auto rows = notificationRows(QStringLiteral("select_notification_by_id"), {{QStringLiteral("id"), id}});
    if (!rows || rows->isEmpty())
        return std::nullopt;
    return rows->constFirst();
}

std::optional<NotificationRecord> SqlStorage::notificationBySourceEvent(const QString &source,
                                                                           const QString &eventId)
{
    const auto rows = notificationRows(QStringLiteral("select_notification_by_source_event"),
                                       {{QStringLiteral("source"), source}, {QStringLiteral("event_id"), eventId}});
    if (!rows || rows->isEmpty())
        return std::nullopt;
    return rows->constFirst();
}

std::optional<QList<NotificationRecord>> SqlStorage::notificationsOfAccount(qint64 accountId, bool unreadOnly,
                                                                                int limit)
{
    return notificationRows(QStringLiteral("select_notifications_of_account"),
                            {{QStringLiteral("account_id"), accountId},
                             {QStringLiteral("unread_only"), unreadOnly ? 1 : 0},
                             {QStringLiteral("now"), QDateTime::currentMSecsSinceEpoch()},
                             {QStringLiteral("limit"), limit}});
}

std::optional<int> SqlStorage::unreadNotificationCount(qint64 accountId)
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("count_unread_notifications"),
             {{QStringLiteral("account_id"), accountId}, {QStringLiteral("now"), QDateTime::currentMSecsSinceEpoch()}}) ||
        !q.next())
        return std::nullopt;
    return q.value(0).toInt();
}

bool SqlStorage::setNotificationState(const QString &id, NotificationState state, const QDateTime &openedAt)
{
    QueryLease q(*this);
    return run(q, QStringLiteral("update_notification_state"),
               {{QStringLiteral("id"), id},
                {QStringLiteral("state"), toText(state)},
                {QStringLiteral("opened_at"), openedAt.isValid() ? QVariant(toMs(openedAt)) : QVariant(QMetaType::fromType<qint64>())}}) &&
           q.numRowsAffected() == 1;
}

std::optional<bool> SqlStorage::markNotificationOpened(const QString &id, const QDateTime &openedAt)
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("update_notification_opened"),
             {{QStringLiteral("opened_at"), toMs(openedAt)}, {QStringLiteral("id"), id}}))
        return std::nullopt;
    return q.numRowsAffected() == 1;
}

static SqlParams deliveryValues(const DeliveryRecord &d)
{
    return {{QStringLiteral("id"), d.id},
            {QStringLiteral("notification_id"), d.notificationId},
            {QStringLiteral("device_id"), d.deviceId},
            {QStringLiteral("state"), toText(d.state)},
            {QStringLiteral("channel"), text(toText(d.channel))}, // None is '', never NULL
            {QStringLiteral("attempts"), d.attempts},
            {QStringLiteral("next_attempt_at"), toMs(d.nextAttemptAt)},
            {QStringLiteral("last_error"), text(d.lastError)},
            {QStringLiteral("provider_id"), text(d.providerId)},
            {QStringLiteral("now"), QDateTime::currentMSecsSinceEpoch()}};
}

bool SqlStorage::insertDelivery(const DeliveryRecord &delivery)
{
    SqlParams values = deliveryValues(delivery);
    values.set(QStringLiteral("claimer"), m_claimer); // a new delivery belongs to the run that made it
    QueryLease q(*this);
    return run(q, QStringLiteral("insert_delivery"), values);
}

bool SqlStorage::updateDelivery(const DeliveryRecord &delivery)
{
    // Whoever writes a delivery owns it: an operator's retry of a row that a previous run left
    // makes it this run's, so resume will not claim it again behind the retry.
    return writeDelivery(delivery, m_claimer);
}

bool SqlStorage::writeDelivery(const DeliveryRecord &delivery, const QVariant &claimer)
{
    SqlParams values = deliveryValues(delivery);
    values.remove(QStringLiteral("notification_id"));
    values.remove(QStringLiteral("device_id"));
    values.set(QStringLiteral("claimer"), claimer);
    QueryLease q(*this);
    return run(q, QStringLiteral("update_delivery"), values) && q.numRowsAffected() == 1;
}

bool SqlStorage::cancelDelivery(const DeliveryRecord &cancelled)
{
    return transaction([&] {
        QVariant owner; // NULL stays NULL
        {
            QueryLease q(*this);
            if (!run(q, QStringLiteral("select_delivery_claimer"), {{QStringLiteral("id"), cancelled.id}}) || !q.next())
                return false;
            owner = q.value(0);
        }
        if (!writeDelivery(cancelled, owner))
            return false;
        // Sent when this commits. The owner may hold an ack timer or a retry that would write the
        // row open again; a run that is gone holds nothing, and the notice to it is lost harmlessly.
        const QString ownerRun = owner.toString();
        return ownerRun.isEmpty() || ownerRun == m_claimer || notifyNode(ownerRun, QString(WithdrawNotice) + cancelled.id);
    });
}

bool SqlStorage::deliveryFromRow(const SqlQuery &q, DeliveryRecord *out, QString *error)
{
    DeliveryRecord &d = *out;
    d.id = q.value(0).toString();
    d.notificationId = q.value(1).toString();
    d.deviceId = q.value(2).toLongLong();
    d.attempts = q.value(5).toInt();
    d.nextAttemptAt = fromMs(q.value(6));
    d.lastError = q.value(7).toString();
    d.providerId = q.value(8).toString();
    d.createdAt = fromMs(q.value(9));
    d.updatedAt = fromMs(q.value(10));
    if (!fromText(q.value(3), parseDeliveryState, "deliveries.state", &d.state, error) ||
        !fromText(q.value(4), parseDeliveryChannel, "deliveries.channel", &d.channel, error)) {
        *error = QStringLiteral("delivery %1: %2").arg(d.id, *error);
        return false;
    }
    return true;
}

std::optional<QList<DeliveryRecord>> SqlStorage::deliveryRows(const QString &queryName, const SqlParams &values)
{
    QueryLease q(*this);
    if (!run(q, queryName, values))
        return std::nullopt;
    QList<DeliveryRecord> rows;
    QString error;
    while (q.next()) {
        DeliveryRecord d;
        if (!deliveryFromRow(q, &d, &error)) {
            rowError(error);
            return std::nullopt;
        }
        rows.append(d);
    }
    return rows;
}

std::optional<DeliveryRecord> SqlStorage::deliveryById(const QString &id)
{
    const auto rows = deliveryRows(QStringLiteral("select_delivery_by_id"), {{QStringLiteral("id"), id}});
    if (!rows || rows->isEmpty())
        return std::nullopt;
    return rows->constFirst();
}

std::optional<QList<DeliveryRecord>> SqlStorage::deliveriesOfNotification(const QString &notificationId)
{
    return deliveryRows(QStringLiteral("select_deliveries_of_notification"), {{QStringLiteral("notification_id"), notificationId}});
}

std::optional<QList<DeliveryRecord>> SqlStorage::openDeliveries(int limit)
{
    return deliveryRows(QStringLiteral("select_open_deliveries"), {{QStringLiteral("limit"), limit}});
}

bool SqlStorage::addDeliveryAttempt(const DeliveryAttemptRecord &a)
{
    QueryLease q(*this);
    return run(q, QStringLiteral("insert_delivery_attempt"),
               {{QStringLiteral("delivery_id"), a.deliveryId},
                {QStringLiteral("channel"), toText(a.channel)},
                {QStringLiteral("outcome"), a.outcome},
                {QStringLiteral("detail"), text(a.detail)},
                {QStringLiteral("at"), toMs(a.at.isValid() ? a.at : QDateTime::currentDateTimeUtc())},
                {QStringLiteral("sent_at"), toMs(a.sentAt)}});
}

std::optional<QList<DeliveryAttemptRecord>> SqlStorage::deliveryAttempts(const QString &deliveryId)
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_delivery_attempts"), {{QStringLiteral("delivery_id"), deliveryId}}))
        return std::nullopt;
    QList<DeliveryAttemptRecord> rows;
    QString error;
    while (q.next()) {
        DeliveryAttemptRecord a{q.value(0).toString(), {}, q.value(2).toString(), q.value(3).toString(),
                                fromMs(q.value(4)), fromMs(q.value(5))};
        if (!fromText(q.value(1), parseAttemptChannel, "delivery_attempts.channel", &a.channel, &error)) {
            rowError(QStringLiteral("attempt of delivery %1: %2").arg(deliveryId, error));
            return std::nullopt;
        }
        rows.append(a);
    }
    return rows;
}

std::optional<DeviceRecord> SqlStorage::deviceById(qint64 id)
{
    const auto rows = deviceRows(QStringLiteral("select_device_by_id"), {{QStringLiteral("id"), id}});
    if (!rows || rows->isEmpty())
        return std::nullopt;
    return rows->constFirst();
}

bool SqlStorage::setPushTokenState(qint64 deviceId, const QString &pushToken, PushTokenState state,
                                      const QString &reason)
{
    QueryLease q(*this);
    return run(q, QStringLiteral("update_device_push_token_state"),
               {{QStringLiteral("id"), deviceId}, {QStringLiteral("push_token"), pushToken},
                {QStringLiteral("state"), toText(state)}, {QStringLiteral("reason"), text(reason)},
                {QStringLiteral("at"), QDateTime::currentMSecsSinceEpoch()}});
}

} // namespace herald
