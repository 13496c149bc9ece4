#include "AuditModel.h"

#include "ConsoleFormat.h"

namespace herald {

AuditModel::AuditModel(AdminClient &client, QObject *parent)
    : ApiListModel(client, QStringLiteral("entries"), QStringLiteral("id"), parent)
{
    setPath(QStringLiteral("/admin/v1/audit"));
}

QStringList AuditModel::headers() const
{
    return {tr("Time"), tr("Operator"), tr("Action"), tr("Target"), tr("From"), tr("Outcome")};
}

QVariant AuditModel::cell(const QJsonObject &row, int column, int role) const
{
    if (role == SortRole)
        return column == 0 ? QVariant(ConsoleFormat::sortTime(row.value(QStringLiteral("at")))) : QVariant();
    if (role != Qt::DisplayRole)
        return {};
    static const char *const fields[] = {"at", "operator", "action", "target", "peer", "outcome"};
    if (column == 0)
        return ConsoleFormat::dateTime(row.value(QStringLiteral("at")));
    if (column > 0 && column < 6)
        return row.value(QLatin1String(fields[column])).toString();
    return {};
}

} // namespace herald
