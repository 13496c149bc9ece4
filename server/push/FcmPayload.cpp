#include "push/FcmPayload.h"

#include <QJsonDocument>
#include <QJsonObject>

#include "push/PushText.h"

namespace herald {

QByteArray FcmPayload::build(const PushMessage &message, const QDateTime &now, int maxBytes)
{
    auto render = [&](const QString &title, const QString &body) {
        QJsonObject msg;
        msg.insert(QStringLiteral("token"), message.pushToken);
        if (!message.contentAvailable && (!title.isEmpty() || !body.isEmpty())) {
            QJsonObject n;
            if (!title.isEmpty())
                n.insert(QStringLiteral("title"), title);
            if (!body.isEmpty())
                n.insert(QStringLiteral("body"), body);
            msg.insert(QStringLiteral("notification"), n);
        }
        // FCM data values must be strings.
        msg.insert(QStringLiteral("data"), QJsonObject{{QStringLiteral("nid"), message.notificationId},
                                                       {QStringLiteral("uri"), message.uri}});
        QJsonObject android{{QStringLiteral("priority"),
                             message.highPriority ? QStringLiteral("HIGH") : QStringLiteral("NORMAL")}};
        if (message.expiresAt.isValid())
            android.insert(QStringLiteral("ttl"),
                           QStringLiteral("%1s").arg(qMax<qint64>(0, now.secsTo(message.expiresAt))));
        if (!message.collapseId.isEmpty())
            android.insert(QStringLiteral("collapse_key"), message.collapseId);
        if (!message.locKey.isEmpty() && !message.contentAvailable)
            android.insert(QStringLiteral("notification"),
                           QJsonObject{{QStringLiteral("body_loc_key"), message.locKey}});
        msg.insert(QStringLiteral("android"), android);
        return QJsonDocument(QJsonObject{{QStringLiteral("message"), msg}}).toJson(QJsonDocument::Compact);
    };
    // The limit is on the message, not our envelope around the token; allow for the token itself.
    const int budget = maxBytes + int(message.pushToken.toUtf8().size()) + 40;
    return PushText::fit(message.title, message.body, budget, render);
}

} // namespace herald
