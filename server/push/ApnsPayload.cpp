#include "push/ApnsPayload.h"

#include "push/PushText.h"

namespace herald {

QByteArray ApnsPayload::build(const PushMessage &message, int maxBytes)
{
    if (!message.clearIds.isEmpty())
        return buildClear(message, maxBytes);
    auto render = [&](const QString &title, const QString &body) {
        QByteArray out;
        out.reserve(256 + title.size() * 3 + body.size() * 3);
        out.append("{\"aps\":{");
        const bool visible = !title.isEmpty() || !body.isEmpty() || !message.locKey.isEmpty();
        if (visible && !message.contentAvailable) {
            out.append("\"alert\":{");
            bool first = true;
            auto field = [&](const char *name, const QString &value) {
                if (value.isEmpty())
                    return;
                if (!first)
                    out.append(',');
                first = false;
                out.append('"').append(name).append("\":");
                PushText::appendJsonString(out, value);
            };
            field("title", title);
            field("body", body);
            field("loc-key", message.locKey);
            // mutable-content lets a notification service extension swap in what the client fetches.
            out.append('}');
            if (!message.quiet)
                out.append(",\"sound\":\"default\"");
            out.append(",\"mutable-content\":1");
        } else {
            out.append("\"content-available\":1");
        }
        if (message.badge >= 0)
            out.append(",\"badge\":").append(QByteArray::number(message.badge));
        if (!message.threadId.isEmpty()) {
            out.append(",\"thread-id\":");
            PushText::appendJsonString(out, message.threadId);
        }
        out.append("},\"nid\":");
        PushText::appendJsonString(out, message.notificationId);
        out.append(",\"uri\":");
        PushText::appendJsonString(out, message.uri);
        if (!message.sealed.isEmpty())
            out.append(",\"enc\":\"").append(message.sealed.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)).append('"');
        out.append('}');
        return out;
    };
    return PushText::fit(message.title, message.body, maxBytes, render);
}

QByteArray ApnsPayload::buildClear(const PushMessage &message, int maxBytes)
{
    // A background push: the app wakes, removes the delivered notifications with these
    // identifiers (apns-collapse-id values) and sets the badge. No alert, no sound.
    QByteArray out("{\"aps\":{\"content-available\":1");
    if (message.badge >= 0)
        out.append(",\"badge\":").append(QByteArray::number(message.badge));
    out.append("},\"clear\":[");
    for (qsizetype i = 0; i < message.clearIds.size(); ++i) {
        if (i)
            out.append(',');
        PushText::appendJsonString(out, message.clearIds.at(i));
    }
    out.append("]}");
    return out.size() <= maxBytes ? out : QByteArray();
}

} // namespace herald
