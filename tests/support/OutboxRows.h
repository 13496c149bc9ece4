#pragma once

#include "storage/Records.h"

#include <QDateTime>

namespace herald::test {

// A notification as the ingest stores it for event `eventId` of the account's "mail" app: id
// "n-<eventId>", from Alice, created now, expiring in a day.
inline NotificationRecord mailNotification(qint64 accountId, const QString &eventId)
{
    NotificationRecord n;
    n.id = QStringLiteral("n-") + eventId;
    n.accountId = accountId;
    n.app = QStringLiteral("mail");
    n.source = QStringLiteral("test");
    n.eventId = eventId;
    n.sender = QStringLiteral("Alice");
    n.subject = QStringLiteral("hello");
    const QDateTime now = QDateTime::currentDateTimeUtc();
    n.receivedAt = now;
    n.createdAt = now;
    n.expiresAt = now.addDays(1);
    return n;
}

} // namespace herald::test
