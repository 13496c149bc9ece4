#include "SourcesModel.h"

#include "ConsoleFormat.h"

namespace herald {

SourcesModel::SourcesModel(AdminClient &client, QObject *parent)
    : ApiListModel(client, QStringLiteral("sources"), QStringLiteral("name"), parent)
{
    setPath(QStringLiteral("/admin/v1/sources"));
}

QStringList SourcesModel::headers() const
{
    return {tr("Name"), tr("Kind"), tr("Status"), tr("Created"), tr("Revoked")};
}

QVariant SourcesModel::cell(const QJsonObject &row, int column, int role) const
{
    const bool revoked = !row.value(QStringLiteral("revokedAt")).toString().isEmpty();
    if (role == SortRole) {
        if (column == 3)
            return ConsoleFormat::sortTime(row.value(QStringLiteral("createdAt")));
        if (column == 4)
            return ConsoleFormat::sortTime(row.value(QStringLiteral("revokedAt")));
        return {};
    }
    if (role == Qt::DecorationRole && column == 0)
        return ConsoleFormat::presenceIcon(revoked ? QStringLiteral("offline") : QStringLiteral("foreground"));
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case 0:
        return row.value(QStringLiteral("name")).toString();
    case 1:
        return row.value(QStringLiteral("kind")).toString();
    case 2:
        return revoked ? tr("Revoked") : tr("Active");
    case 3:
        return ConsoleFormat::dateTime(row.value(QStringLiteral("createdAt")));
    case 4:
        return ConsoleFormat::dateTime(row.value(QStringLiteral("revokedAt")));
    }
    return {};
}

} // namespace herald
