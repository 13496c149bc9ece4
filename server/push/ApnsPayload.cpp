#include "push/ApnsPayload.h"

#include <QJsonDocument>
#include <QJsonObject>

#include "push/PushText.h"

namespace herald {

QByteArray ApnsPayload::build(const PushMessage &message, int maxBytes)
{
    auto render = [&](const QString &title, const QString &body) {
        QJsonObject aps;
        const bool visible = !title.isEmpty() || !body.isEmpty() || !message.locKey.isEmpty();
        if (visible && !message.contentAvailable) {
            QJsonObject alert;
            if (!title.isEmpty())
                alert.insert(QStringLiteral("title"), title);
            if (!body.isEmpty())
                alert.insert(QStringLiteral("body"), body);
            if (!message.locKey.isEmpty())
                alert.insert(QStringLiteral("loc-key"), message.locKey);
            aps.insert(QStringLiteral("alert"), alert);
            aps.insert(QStringLiteral("sound"), QStringLiteral("default"));
            // Lets a notification service extension replace the text by what the client fetches.
            aps.insert(QStringLiteral("mutable-content"), 1);
        } else {
            aps.insert(QStringLiteral("content-available"), 1);
        }
        if (!message.collapseId.isEmpty())
            aps.insert(QStringLiteral("thread-id"), message.collapseId);
        QJsonObject root;
        root.insert(QStringLiteral("aps"), aps);
        root.insert(QStringLiteral("nid"), message.notificationId);
        root.insert(QStringLiteral("uri"), message.uri);
        return QJsonDocument(root).toJson(QJsonDocument::Compact);
    };
    return PushText::fit(message.title, message.body, maxBytes, render);
}

} // namespace herald
