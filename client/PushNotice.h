#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace herald::client {

// What a push from Herald asks of the terminal, read the way the platform hands it over (an APNs
// payload, an FCM message, {"message":…} or its data object). Two kinds (docs/protocol.md,
// "Push payloads"): a notification to show, and a silent update after the user opened a
// notification on another device — drop these tray entries, show this badge.
struct PushNotice
{
    enum class Kind { Notification, Clear };
    Kind kind = Kind::Notification;
    QString notificationId; // Notification: its "nid"
    QString uri;            // Notification: the deep link (PushLink reads the id in it)
    QString title, body;    // Notification: what the platform shows (may be empty)
    bool sealed = false;    // Notification: carries "enc" (SealedPush opens it)
    QStringList clearIds;   // Clear: tray entries to drop, by notification id or collapse id/tag
    int badge = -1;         // both: the account's unread count; -1 when the push has none

    // nullopt with *error saying why for anything that is not one of Herald's pushes.
    static std::optional<PushNotice> read(const QByteArray &push, QString *error = nullptr);
};

} // namespace herald::client
