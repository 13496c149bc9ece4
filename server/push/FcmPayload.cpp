#include "push/FcmPayload.h"

#include <QJsonDocument>
#include <QJsonObject>

#include "push/PushText.h"

namespace herald {

QByteArray FcmPayload::build(const PushMessage &message, const QDateTime &now, int maxBytes)
{
    auto buildMessage = [&](const QString &title, const QString &body) {
        QJsonObject msg;
        // A sealed push is data-only: the app decrypts it and shows the notification itself.
        const bool sealed = !message.sealed.isEmpty();
        if (!sealed && !message.contentAvailable && message.clearIds.isEmpty() && (!title.isEmpty() || !body.isEmpty())) {
            QJsonObject n;
            if (!title.isEmpty())
                n.insert(QStringLiteral("title"), title);
            if (!body.isEmpty())
                n.insert(QStringLiteral("body"), body);
            msg.insert(QStringLiteral("notification"), n);
        }
        // FCM data values must be strings. The badge is there too, for data-only messages (privacy
        // none, encrypted) that the app turns into its badge itself.
        // A silent update (clearIds) is data only: "clear" (the ids, comma-separated) and the badge.
        QJsonObject data = message.clearIds.isEmpty()
            ? QJsonObject{{QStringLiteral("nid"), message.notificationId}, {QStringLiteral("uri"), message.uri}}
            : QJsonObject{{QStringLiteral("clear"), message.clearIds.join(QLatin1Char(','))}};
        if (message.badge >= 0)
            data.insert(QStringLiteral("badge"), QString::number(message.badge));
        if (sealed)
            data.insert(QStringLiteral("enc"), QString::fromLatin1(message.sealed.toBase64(
                                                   QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)));
        msg.insert(QStringLiteral("data"), data);
        const bool visible = msg.contains(QStringLiteral("notification"));
        QJsonObject android{{QStringLiteral("priority"),
                             message.highPriority ? QStringLiteral("HIGH") : QStringLiteral("NORMAL")}};
        if (message.expiresAt.isValid())
            android.insert(QStringLiteral("ttl"),
                           QStringLiteral("%1s").arg(qMax<qint64>(0, now.secsTo(message.expiresAt))));
        if (!message.collapseId.isEmpty())
            android.insert(QStringLiteral("collapse_key"), message.collapseId);
        QJsonObject androidNotification;
        if (!message.locKey.isEmpty() && !message.contentAvailable && !sealed)
            androidNotification.insert(QStringLiteral("body_loc_key"), message.locKey);
        if (message.badge >= 0 && visible)
            androidNotification.insert(QStringLiteral("notification_count"), message.badge);
        // The tray entry's identity: a later push of the same group replaces it instead of adding one.
        if (!message.collapseId.isEmpty() && visible)
            androidNotification.insert(QStringLiteral("tag"), message.collapseId);
        if (!androidNotification.isEmpty())
            android.insert(QStringLiteral("notification"), androidNotification);
        msg.insert(QStringLiteral("android"), android);
        return msg;
    };
    // The limit is on the message itself, not on the token or our envelope: fit that, then wrap it.
    const QByteArray fitted =
        PushText::fit(message.title, message.body, maxBytes, [&](const QString &t, const QString &b) {
            return QJsonDocument(buildMessage(t, b)).toJson(QJsonDocument::Compact);
        });
    if (fitted.isEmpty())
        return {};
    QJsonObject msg = QJsonDocument::fromJson(fitted).object();
    msg.insert(QStringLiteral("token"), message.pushToken);
    return QJsonDocument(QJsonObject{{QStringLiteral("message"), msg}}).toJson(QJsonDocument::Compact);
}

} // namespace herald
