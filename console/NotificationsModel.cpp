#include "NotificationsModel.h"

#include "ConsoleFormat.h"

#include <QJsonArray>

namespace herald {

NotificationsModel::NotificationsModel(AdminClient &client, QObject *parent)
    : ApiListModel(client, QStringLiteral("notifications"), QStringLiteral("id"), parent)
{
    setStateFilter(QStringLiteral("all"));
}

void NotificationsModel::setStateFilter(const QString &state)
{
    m_state = state;
    setPath(QStringLiteral("/admin/v1/notifications?state=%1").arg(state));
}

void NotificationsModel::applyFrame(const QJsonObject &frame)
{
    const QString type = frame.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("notification")) {
        // A new notification is pending until its deliveries finish; a "failed" list has no room for it yet.
        if (m_state == QLatin1String("failed"))
            return;
        QJsonObject row{{QStringLiteral("id"), frame.value(QStringLiteral("id"))},
                        {QStringLiteral("account"), frame.value(QStringLiteral("account"))},
                        {QStringLiteral("app"), frame.value(QStringLiteral("app"))},
                        {QStringLiteral("createdAt"), frame.value(QStringLiteral("createdAt"))},
                        {QStringLiteral("state"), QStringLiteral("active")},
                        {QStringLiteral("deliveries"), QJsonArray()}};
        upsert(row, true);
        return;
    }
    if (type != QLatin1String("delivery"))
        return;
    const QString id = frame.value(QStringLiteral("notificationId")).toString();
    const int row = rowOf(id);
    if (row < 0)
        return;
    QJsonArray deliveries = object(row).value(QStringLiteral("deliveries")).toArray();
    bool found = false;
    for (int i = 0; i < deliveries.size(); ++i) {
        QJsonObject d = deliveries.at(i).toObject();
        if (d.value(QStringLiteral("id")).toString() != frame.value(QStringLiteral("deliveryId")).toString())
            continue;
        d.insert(QStringLiteral("state"), frame.value(QStringLiteral("state")));
        d.insert(QStringLiteral("channel"), frame.value(QStringLiteral("channel")));
        if (frame.value(QStringLiteral("state")).toString() == QLatin1String("failed"))
            d.insert(QStringLiteral("lastError"), frame.value(QStringLiteral("detail")));
        deliveries[i] = d;
        found = true;
    }
    if (!found) {
        deliveries.append(QJsonObject{{QStringLiteral("id"), frame.value(QStringLiteral("deliveryId"))},
                                      {QStringLiteral("deviceId"), frame.value(QStringLiteral("deviceId"))},
                                      {QStringLiteral("channel"), frame.value(QStringLiteral("channel"))},
                                      {QStringLiteral("state"), frame.value(QStringLiteral("state"))}});
    }
    patch(id, {{QStringLiteral("deliveries"), deliveries}});
}

QString NotificationsModel::overallState(const QJsonObject &notification)
{
    // The stored state says whether the notification still counts (active, opened, expired...);
    // what the operator looks for is where its deliveries stand.
    const QString stored = notification.value(QStringLiteral("state")).toString();
    if (stored != QLatin1String("active") && stored != QLatin1String("test") && !stored.isEmpty())
        return stored;
    bool unfinished = false;
    bool delivered = false;
    for (const QJsonValue &v : notification.value(QStringLiteral("deliveries")).toArray()) {
        const QString s = v.toObject().value(QStringLiteral("state")).toString();
        if (s == QLatin1String("failed"))
            return s;
        unfinished |= s == QLatin1String("pending") || s == QLatin1String("inband") || s == QLatin1String("push") ||
                      s == QLatin1String("retry");
        delivered |= s == QLatin1String("delivered");
    }
    if (unfinished || !delivered)
        return QStringLiteral("pending");
    return QStringLiteral("delivered");
}

QStringList NotificationsModel::headers() const
{
    return {tr("Created"), tr("Account"), tr("App"), tr("State"), tr("Deliveries"), tr("Content")};
}

QVariant NotificationsModel::cell(const QJsonObject &row, int column, int role) const
{
    if (role == SortRole)
        return column == CreatedColumn ? QVariant(ConsoleFormat::sortTime(row.value(QStringLiteral("createdAt")))) : QVariant();
    const QString state = overallState(row);
    if (role == Qt::ToolTipRole && column == StateColumn && row.value(QStringLiteral("state")).toString() == QLatin1String("test"))
        return tr("A test push sent from the console");
    if (role == Qt::DecorationRole && column == StateColumn) {
        return ConsoleFormat::presenceIcon(state == QLatin1String("pending")     ? QStringLiteral("online")
                                           : state == QLatin1String("delivered") ? QStringLiteral("foreground")
                                           : state == QLatin1String("failed")    ? state
                                                                                 : QStringLiteral("offline"));
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case CreatedColumn:
        return ConsoleFormat::dateTime(row.value(QStringLiteral("createdAt")));
    case AccountColumn:
        return row.value(QStringLiteral("account")).toString();
    case AppColumn:
        return row.value(QStringLiteral("app")).toString();
    case StateColumn:
        return ConsoleFormat::state(state);
    case DeliveriesColumn: {
        QStringList parts;
        for (const QJsonValue &v : row.value(QStringLiteral("deliveries")).toArray()) {
            const QJsonObject d = v.toObject();
            parts << tr("%1 %2").arg(d.value(QStringLiteral("deviceId")).toString(),
                                     ConsoleFormat::state(d.value(QStringLiteral("state")).toString()));
        }
        return parts.join(QStringLiteral(", "));
    }
    case ContentColumn: {
        // The server leaves out what the privacy level forbids; say so rather than show blanks.
        const QString sender = row.value(QStringLiteral("sender")).toString();
        const QString subject = row.value(QStringLiteral("subject")).toString();
        if (sender.isEmpty() && subject.isEmpty())
            return tr("(hidden by the app's privacy level)");
        return subject.isEmpty() ? sender : tr("%1 — %2").arg(sender, subject);
    }
    }
    return {};
}

} // namespace herald
