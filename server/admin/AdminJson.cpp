#include "admin/AdminJson.h"

#include "storage/Storage.h"

#include <QJsonArray>

namespace herald::AdminJson {

QJsonValue time(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue(QJsonValue::Null);
}

QString channel(DeliveryChannel channel)
{
    return channel == DeliveryChannel::InBand ? QStringLiteral("in-band") : toText(channel);
}

QString channel(AttemptChannel channel)
{
    return channel == AttemptChannel::InBand ? QStringLiteral("in-band") : toText(channel);
}

QJsonObject gatewayView(const GatewayPresence::View &view)
{
    return {{QStringLiteral("ui"), GatewayPresence::uiName(view.ui)},
            {QStringLiteral("scope"), view.accountWide ? QStringLiteral("account") : QStringLiteral("device")},
            {QStringLiteral("at"), time(view.at)},
            {QStringLiteral("expiresAt"), time(view.expiresAt)},
            {QStringLiteral("decides"), view.decides}};
}

QJsonObject account(const AccountRecord &account, int deviceCount)
{
    return {{QStringLiteral("name"), account.name},
            {QStringLiteral("disabled"), account.disabled},
            {QStringLiteral("createdAt"), time(account.createdAt)},
            {QStringLiteral("deviceCount"), deviceCount}};
}

QJsonObject device(const DeviceRecord &device)
{
    // The push token itself stays out: helpdesk reads this, and a token is a delivery credential.
    return {{QStringLiteral("deviceId"), device.deviceId},
            {QStringLiteral("platform"), device.platform},
            {QStringLiteral("name"), device.name},
            {QStringLiteral("locale"), device.locale},
            {QStringLiteral("createdAt"), time(device.createdAt)},
            {QStringLiteral("lastSeen"), time(device.lastSeen)},
            {QStringLiteral("pushTokenState"), toText(device.pushTokenState)},
            {QStringLiteral("apps"), QJsonArray::fromStringList(device.apps)}};
}

QJsonObject operatorRecord(const OperatorRecord &op)
{
    return {{QStringLiteral("name"), op.name},
            {QStringLiteral("role"), op.role},
            {QStringLiteral("disabled"), op.disabled},
            {QStringLiteral("createdAt"), time(op.createdAt)}};
}

QJsonObject audit(const AuditRecord &entry)
{
    return {{QStringLiteral("id"), entry.id},
            {QStringLiteral("at"), time(entry.at)},
            {QStringLiteral("operator"), entry.operatorName},
            {QStringLiteral("action"), entry.action},
            {QStringLiteral("target"), entry.target},
            {QStringLiteral("peer"), entry.peer},
            {QStringLiteral("outcome"), entry.outcome}};
}

const QRegularExpression &namePattern()
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}\\z"));
    return re;
}

} // namespace herald::AdminJson
