#include "UsersModel.h"

#include "ConsoleFormat.h"

namespace herald {

UsersModel::UsersModel(AdminClient &client, QObject *parent)
    : ApiListModel(client, QStringLiteral("users"), QStringLiteral("name"), parent)
{
    setPath(QStringLiteral("/admin/v1/users"));
    setPaged(false);
}

QStringList UsersModel::headers() const
{
    return {tr("Name"), tr("Status"), tr("Devices"), tr("Created"), tr("Remote session")};
}

QVariant UsersModel::cell(const QJsonObject &row, int column, int role) const
{
    if (role == SortRole) {
        if (column == 2)
            return row.value(QStringLiteral("deviceCount")).toInt();
        if (column == 3)
            return ConsoleFormat::sortTime(row.value(QStringLiteral("createdAt")));
        return {};
    }
    if (role == Qt::ToolTipRole && column == 4) {
        const QString tip = ConsoleFormat::gatewayTooltip(row.value(QStringLiteral("gateway")));
        return tip.isEmpty() ? QVariant() : QVariant(tip);
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case 0:
        return row.value(QStringLiteral("name")).toString();
    case 1:
        return row.value(QStringLiteral("disabled")).toBool() ? tr("Disabled") : tr("Active");
    case 2:
        return QString::number(row.value(QStringLiteral("deviceCount")).toInt());
    case 3:
        return ConsoleFormat::dateTime(row.value(QStringLiteral("createdAt")));
    case 4:
        return ConsoleFormat::gatewayReports(row.value(QStringLiteral("gateway")));
    }
    return {};
}

} // namespace herald
