#include "PushNotice.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace herald::client {
namespace {

// Ids are Herald's own (ASCII, short); anything else in a clear list is not from Herald.
bool plausibleId(const QString &id)
{
    if (id.isEmpty() || id.size() > 128)
        return false;
    for (const QChar c : id) {
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7f || c == QLatin1Char(','))
            return false;
    }
    return true;
}

int badgeOf(const QJsonValue &value)
{
    // APNs carries a number, FCM data a string; anything else, or out of range, is no badge.
    bool ok = value.isDouble();
    const qint64 n = value.isString() ? value.toString().toLongLong(&ok) : value.toInteger(-1);
    return ok && n >= 0 && n <= 1'000'000 ? int(n) : -1;
}

} // namespace

std::optional<PushNotice> PushNotice::read(const QByteArray &push, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<PushNotice> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (push.size() > 64 * 1024)
        return fail(QStringLiteral("the push is larger than any platform delivers (%1 bytes)").arg(push.size()));
    QJsonParseError parse{};
    const QJsonDocument doc = QJsonDocument::fromJson(push, &parse);
    if (!doc.isObject())
        return fail(QStringLiteral("the push is not a JSON object: %1").arg(parse.errorString()));
    QJsonObject o = doc.object();
    if (o.value(QStringLiteral("message")).isObject())
        o = o.value(QStringLiteral("message")).toObject();
    PushNotice notice;
    QJsonObject fields = o; // where "nid", "uri", "clear", "enc" live
    if (o.value(QStringLiteral("aps")).isObject()) {
        const QJsonObject aps = o.value(QStringLiteral("aps")).toObject();
        notice.badge = aps.contains(QStringLiteral("badge")) ? badgeOf(aps.value(QStringLiteral("badge"))) : -1;
        const QJsonValue alert = aps.value(QStringLiteral("alert"));
        notice.title = alert.toObject().value(QStringLiteral("title")).toString();
        notice.body = alert.isString() ? alert.toString() : alert.toObject().value(QStringLiteral("body")).toString();
    } else {
        if (o.value(QStringLiteral("data")).isObject()) {
            fields = o.value(QStringLiteral("data")).toObject();
            const QJsonObject n = o.value(QStringLiteral("notification")).toObject();
            notice.title = n.value(QStringLiteral("title")).toString();
            notice.body = n.value(QStringLiteral("body")).toString();
        }
        if (fields.contains(QStringLiteral("badge")))
            notice.badge = badgeOf(fields.value(QStringLiteral("badge")));
    }
    const QJsonValue clear = fields.value(QStringLiteral("clear"));
    if (!clear.isUndefined()) {
        notice.kind = Kind::Clear;
        // APNs: a JSON array; FCM data values are strings, so there the ids are comma-separated.
        const QStringList ids = clear.isArray() ? [&] {
            QStringList out;
            for (const QJsonValue &v : clear.toArray())
                out << (v.isString() ? v.toString() : QString());
            return out;
        }() : clear.toString().split(QLatin1Char(','));
        for (const QString &id : ids) {
            if (!plausibleId(id))
                return fail(QStringLiteral("\"clear\" holds something that is not a notification id"));
            notice.clearIds << id;
        }
        if (notice.clearIds.isEmpty() || notice.clearIds.size() > 16)
            return fail(QStringLiteral("\"clear\" must name 1 to 16 ids"));
        return notice;
    }
    notice.notificationId = fields.value(QStringLiteral("nid")).toString();
    if (!plausibleId(notice.notificationId))
        return fail(QStringLiteral("the push has no \"nid\" or \"clear\": it is not from Herald"));
    notice.uri = fields.value(QStringLiteral("uri")).toString();
    notice.sealed = fields.value(QStringLiteral("enc")).isString();
    return notice;
}

} // namespace herald::client
