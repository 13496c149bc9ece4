// SqlStorage: the console's paged searches over devices and notifications (the admin API).
// Apart from SqlStorage.cpp and SqlOutbox.cpp, which serve the terminals and the outbox.
#include "storage/SqlStorage.h"
#include "storage/SqlValues.h"

namespace herald {
using namespace sqlvalues;

namespace {

SqlParams deviceFilterValues(const DeviceFilter &filter)
{
    return {{QStringLiteral("account_id"), filter.accountId},
            {QStringLiteral("text"), text(filter.text)},
            {QStringLiteral("platform"), text(filter.platform)},
            {QStringLiteral("token_state"), filter.tokenState ? toText(*filter.tokenState) : QStringLiteral("")}};
}

// The SQL speaks the admin API's words (:state = 'all' | 'pending' | 'failed').
QString deliveriesFilterText(NotificationFilter::Deliveries deliveries)
{
    switch (deliveries) {
    case NotificationFilter::Deliveries::Any: return QStringLiteral("all");
    case NotificationFilter::Deliveries::Unfinished: return QStringLiteral("pending");
    case NotificationFilter::Deliveries::Failed: return QStringLiteral("failed");
    }
    Q_UNREACHABLE();
    return {};
}

SqlParams notificationFilterValues(const NotificationFilter &filter)
{
    return {{QStringLiteral("account_id"), filter.accountId},
            {QStringLiteral("app"), text(filter.app)},
            {QStringLiteral("state"), deliveriesFilterText(filter.deliveries)}};
}

} // namespace

std::optional<int> SqlStorage::countRows(const QString &queryName, const SqlParams &values)
{
    QueryLease q(*this);
    if (!run(q, queryName, values) || !q.next())
        return std::nullopt;
    return q.value(0).toInt();
}

std::optional<QList<DeviceRecord>> SqlStorage::findDevices(const DeviceFilter &filter, int offset, int limit)
{
    SqlParams values = deviceFilterValues(filter);
    values.set(QStringLiteral("offset"), offset);
    values.set(QStringLiteral("limit"), limit);
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_devices_filtered"), values))
        return std::nullopt;
    QList<DeviceRecord> rows;
    QString error;
    while (q.next()) {
        DeviceRecord d;
        if (!deviceFrom(q, 0, &d, &error)) {
            rowError(error);
            return std::nullopt;
        }
        // App names never contain a space (protocol::isAppName), so one column carries them all.
        d.apps = q.value(17).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        d.apps.sort();
        rows.append(d);
    }
    return rows;
}

std::optional<int> SqlStorage::countDevices(const DeviceFilter &filter)
{
    return countRows(QStringLiteral("count_devices_filtered"), deviceFilterValues(filter));
}

std::optional<QList<NotificationRecord>> SqlStorage::findNotifications(const NotificationFilter &filter,
                                                                          int offset, int limit)
{
    SqlParams values = notificationFilterValues(filter);
    values.set(QStringLiteral("offset"), offset);
    values.set(QStringLiteral("limit"), limit);
    return notificationRows(QStringLiteral("select_notifications_filtered"), values);
}

std::optional<int> SqlStorage::countNotifications(const NotificationFilter &filter)
{
    return countRows(QStringLiteral("count_notifications_filtered"), notificationFilterValues(filter));
}

} // namespace herald
