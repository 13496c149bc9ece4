#include "DevicesModel.h"

#include "ConsoleFormat.h"

#include <QJsonArray>

namespace herald {

DevicesModel::DevicesModel(AdminClient &client, QObject *parent)
    : ApiListModel(client, QStringLiteral("devices"), QStringLiteral("deviceId"), parent)
{
    setPath(QStringLiteral("/admin/v1/devices"));
}

QString DevicesModel::overallPresence(const QJsonObject &device)
{
    const QJsonObject apps = device.value(QStringLiteral("presence")).toObject();
    bool background = false;
    bool closed = false;
    for (auto it = apps.begin(); it != apps.end(); ++it) {
        const QString s = it.value().toString();
        if (s == QLatin1String("foreground"))
            return s;
        background |= s == QLatin1String("background");
        closed |= s == QLatin1String("closed");
    }
    if (background)
        return QStringLiteral("background");
    if (device.value(QStringLiteral("online")).toBool())
        return QStringLiteral("online");
    return closed ? QStringLiteral("closed") : QStringLiteral("offline");
}

void DevicesModel::applyFrame(const QJsonObject &frame)
{
    const QString type = frame.value(QStringLiteral("type")).toString();
    const QString deviceId = frame.value(QStringLiteral("deviceId")).toString();
    const int row = rowOf(deviceId);
    if (row < 0)
        return; // not loaded (another page or filtered out): nothing to show in place
    if (type == QLatin1String("presence")) {
        QJsonObject presence = object(row).value(QStringLiteral("presence")).toObject();
        const QJsonObject apps = frame.value(QStringLiteral("apps")).toObject();
        for (auto it = apps.begin(); it != apps.end(); ++it)
            presence.insert(it.key(), it.value());
        const bool online = frame.value(QStringLiteral("online")).toBool();
        // In a cluster a terminal that reconnected to another node is online there, while the
        // node it left may report its old session gone later: only the node that last said
        // "online" can take the device offline.
        const QString node = frame.value(QStringLiteral("node")).toString();
        const QString sessionNode = object(row).value(QStringLiteral("sessionNode")).toString();
        if (!online && !node.isEmpty() && !sessionNode.isEmpty() && node != sessionNode)
            return;
        if (!online) {
            // The session is gone: every app on that device is unreachable in-band now.
            for (auto it = presence.begin(); it != presence.end(); ++it)
                it.value() = QStringLiteral("offline");
        }
        patch(deviceId, {{QStringLiteral("online"), online},
                         {QStringLiteral("presence"), presence},
                         {QStringLiteral("sessionNode"), online ? node : QString()},
                         {QStringLiteral("lastSeen"), frame.value(QStringLiteral("at"))}});
    } else if (type == QLatin1String("token-retired")) {
        patch(deviceId, {{QStringLiteral("pushTokenState"), QStringLiteral("retired")},
                         {QStringLiteral("pushToken"), QJsonObject{{QStringLiteral("state"), QStringLiteral("retired")},
                                                                   {QStringLiteral("reason"), frame.value(QStringLiteral("reason"))},
                                                                   {QStringLiteral("at"), frame.value(QStringLiteral("at"))}}}});
    }
}

QStringList DevicesModel::headers() const
{
    return {tr("Presence"), tr("Device"), tr("Account"), tr("Name"), tr("Platform"), tr("Apps"), tr("Remote session"), tr("Push token"),
            tr("Last seen")};
}

QVariant DevicesModel::cell(const QJsonObject &row, int column, int role) const
{
    const QJsonObject token = row.value(QStringLiteral("pushToken")).toObject();
    const QString tokenState = token.value(QStringLiteral("state")).toString(row.value(QStringLiteral("pushTokenState")).toString());
    if (role == SortRole) {
        if (column == PresenceColumn) {
            static const QStringList order{QStringLiteral("foreground"), QStringLiteral("background"),
                                           QStringLiteral("online"), QStringLiteral("closed"), QStringLiteral("offline")};
            return int(order.indexOf(overallPresence(row)));
        }
        if (column == LastSeenColumn)
            return ConsoleFormat::sortTime(row.value(QStringLiteral("lastSeen")));
        return {};
    }
    if (role == Qt::DecorationRole && column == PresenceColumn)
        return ConsoleFormat::presenceIcon(overallPresence(row));
    if (role == Qt::ToolTipRole && column == PresenceColumn && !row.value(QStringLiteral("sessionNode")).toString().isEmpty())
        return tr("Session on node %1").arg(row.value(QStringLiteral("sessionNode")).toString());
    if (role == Qt::ToolTipRole && column == TokenColumn && tokenState == QLatin1String("retired")) {
        return tr("The push provider refused this token (%1) on %2. It becomes active again when the user opens the app.")
            .arg(token.value(QStringLiteral("reason")).toString(), ConsoleFormat::dateTime(token.value(QStringLiteral("at"))));
    }
    if (role == Qt::ToolTipRole && column == GatewayColumn) {
        const QString tip = ConsoleFormat::gatewayTooltip(row.value(QStringLiteral("gateway")));
        return tip.isEmpty() ? QVariant() : QVariant(tip);
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case PresenceColumn:
        return ConsoleFormat::presence(overallPresence(row));
    case DeviceColumn:
        return row.value(QStringLiteral("deviceId")).toString();
    case AccountColumn:
        return row.value(QStringLiteral("account")).toString();
    case NameColumn:
        return row.value(QStringLiteral("name")).toString();
    case PlatformColumn:
        return row.value(QStringLiteral("platform")).toString();
    case AppsColumn: {
        // "mail: foreground, chat: offline"; apps the server reports no presence for are listed bare.
        const QJsonObject presence = row.value(QStringLiteral("presence")).toObject();
        QStringList apps;
        for (const QJsonValue &a : row.value(QStringLiteral("apps")).toArray()) {
            const QString app = a.toString();
            apps << (presence.contains(app) ? tr("%1: %2").arg(app, ConsoleFormat::presence(presence.value(app).toString()))
                                            : app);
        }
        return apps.join(QStringLiteral(", "));
    }
    case GatewayColumn:
        return ConsoleFormat::gatewayReports(row.value(QStringLiteral("gateway")));
    case TokenColumn:
        if (tokenState == QLatin1String("retired")) {
            const QString reason = token.value(QStringLiteral("reason")).toString();
            return reason.isEmpty() ? ConsoleFormat::state(tokenState) : tr("retired (%1)").arg(reason);
        }
        return ConsoleFormat::state(tokenState);
    case LastSeenColumn:
        return ConsoleFormat::dateTime(row.value(QStringLiteral("lastSeen")));
    }
    return {};
}

} // namespace herald
