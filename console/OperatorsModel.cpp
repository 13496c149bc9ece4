#include "OperatorsModel.h"

#include "ConsoleFormat.h"

namespace herald {

OperatorsModel::OperatorsModel(AdminClient &client, QObject *parent)
    : ApiListModel(client, QStringLiteral("operators"), QStringLiteral("name"), parent)
{
    setPath(QStringLiteral("/admin/v1/operators"));
    setPaged(false);
}

QStringList OperatorsModel::headers() const
{
    return {tr("Name"), tr("Role"), tr("Status"), tr("Created")};
}

QVariant OperatorsModel::cell(const QJsonObject &row, int column, int role) const
{
    if (role == SortRole)
        return column == 3 ? QVariant(ConsoleFormat::sortTime(row.value(QStringLiteral("createdAt")))) : QVariant();
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case 0:
        return row.value(QStringLiteral("name")).toString();
    case 1:
        return ConsoleFormat::role(row.value(QStringLiteral("role")).toString());
    case 2:
        return row.value(QStringLiteral("disabled")).toBool() ? tr("Disabled") : tr("Active");
    case 3:
        return ConsoleFormat::dateTime(row.value(QStringLiteral("createdAt")));
    }
    return {};
}

} // namespace herald
