#include "ClusterModel.h"

#include "ConsoleFormat.h"

#include <QFont>

namespace herald {

ClusterModel::ClusterModel(AdminClient &client, QObject *parent)
    : ApiListModel(client, QStringLiteral("nodes"), QStringLiteral("node"), parent)
{
    setPath(QStringLiteral("/admin/v1/nodes"));
}

QString ClusterModel::age(qint64 ms)
{
    const qint64 secs = std::max<qint64>(0, ms / 1000);
    if (secs < 1)
        return tr("just now");
    if (secs < 120)
        return tr("%n s ago", nullptr, int(secs));
    if (secs < 120 * 60)
        return tr("%n min ago", nullptr, int(secs / 60));
    if (secs < 48 * 3600)
        return tr("%n h ago", nullptr, int(secs / 3600));
    return tr("%n d ago", nullptr, int(secs / 86400));
}

QStringList ClusterModel::headers() const
{
    return {tr("Node"),     tr("Address"),        tr("Version"),      tr("Status"),  tr("Sessions"),
            tr("Monitors"), tr("Last heartbeat"), tr("Heartbeat at"), tr("Started")};
}

QVariant ClusterModel::cell(const QJsonObject &row, int column, int role) const
{
    const bool alive = row.value(QStringLiteral("alive")).toBool();
    const bool self = row.value(QStringLiteral("self")).toBool();
    if (role == SortRole) {
        switch (column) {
        case SessionsColumn:
            return row.value(QStringLiteral("sessions")).toInt();
        case MonitorsColumn:
            return row.value(QStringLiteral("monitors")).toInt();
        case LastHeartbeatColumn:
            return row.value(QStringLiteral("heartbeatAgeMs")).toDouble();
        case HeartbeatAtColumn:
            return ConsoleFormat::sortTime(row.value(QStringLiteral("heartbeatAt")));
        case StartedColumn:
            return ConsoleFormat::sortTime(row.value(QStringLiteral("startedAt")));
        }
        return {};
    }
    if (role == Qt::DecorationRole && column == StatusColumn)
        return ConsoleFormat::presenceIcon(alive ? QStringLiteral("foreground") : QStringLiteral("offline"));
    if (role == Qt::FontRole && column == NodeColumn && self) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == Qt::ToolTipRole && column == NodeColumn && self)
        return tr("This console is connected to this node");
    if (role == Qt::ToolTipRole && column == StatusColumn && !alive)
        return tr("No heartbeat within the node timeout: its deliveries and monitors are taken over by the live nodes");
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case NodeColumn:
        return self ? tr("%1 (this node)").arg(row.value(QStringLiteral("node")).toString())
                    : row.value(QStringLiteral("node")).toString();
    case AddressColumn:
        return row.value(QStringLiteral("address")).toString();
    case VersionColumn:
        return row.value(QStringLiteral("version")).toString();
    case StatusColumn:
        return alive ? tr("Alive") : tr("Stopped");
    case SessionsColumn:
        return row.value(QStringLiteral("sessions")).toInt();
    case MonitorsColumn:
        return row.value(QStringLiteral("monitors")).toInt();
    case LastHeartbeatColumn:
        return age(qint64(row.value(QStringLiteral("heartbeatAgeMs")).toDouble()));
    case HeartbeatAtColumn:
        return ConsoleFormat::dateTime(row.value(QStringLiteral("heartbeatAt")));
    case StartedColumn:
        return ConsoleFormat::dateTime(row.value(QStringLiteral("startedAt")));
    }
    return {};
}

} // namespace herald
