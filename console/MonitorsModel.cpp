#include "MonitorsModel.h"

#include "ConsoleFormat.h"

namespace herald {

MonitorsModel::MonitorsModel(AdminClient &client, QObject *parent)
    : ApiListModel(client, QStringLiteral("monitors"), QString(), parent)
{
    setPath(QStringLiteral("/admin/v1/monitors"));
}

QString MonitorsModel::keyOf(const QJsonObject &row) const
{
    // One monitor per login and app.
    return row.value(QStringLiteral("account")).toString() + QLatin1Char('/') + row.value(QStringLiteral("app")).toString();
}

void MonitorsModel::applyFrame(const QJsonObject &frame)
{
    if (frame.value(QStringLiteral("type")).toString() != QLatin1String("monitor"))
        return;
    QJsonObject fields{{QStringLiteral("state"), frame.value(QStringLiteral("state"))},
                       {QStringLiteral("reason"), frame.value(QStringLiteral("reason"))},
                       {QStringLiteral("since"), frame.value(QStringLiteral("at"))}};
    if (patch(keyOf(frame), fields))
        return;
    fields.insert(QStringLiteral("account"), frame.value(QStringLiteral("account")));
    fields.insert(QStringLiteral("app"), frame.value(QStringLiteral("app")));
    upsert(fields, true);
}

QStringList MonitorsModel::headers() const
{
    return {tr("Account"), tr("App"), tr("Monitor"), tr("State"), tr("Since"), tr("Reason")};
}

QVariant MonitorsModel::cell(const QJsonObject &row, int column, int role) const
{
    const QString state = row.value(QStringLiteral("state")).toString();
    if (role == SortRole)
        return column == 4 ? QVariant(ConsoleFormat::sortTime(row.value(QStringLiteral("since")))) : QVariant();
    if (role == Qt::DecorationRole && column == 3) {
        return ConsoleFormat::presenceIcon(state == QLatin1String("watching")  ? QStringLiteral("foreground")
                                           : state == QLatin1String("failing") ? QStringLiteral("failed")
                                                                               : QStringLiteral("offline"));
    }
    if (role == Qt::ToolTipRole && column == 5)
        return row.value(QStringLiteral("reason")).toString();
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case 0:
        return row.value(QStringLiteral("account")).toString();
    case 1:
        return row.value(QStringLiteral("app")).toString();
    case 2:
        return row.value(QStringLiteral("monitor")).toString();
    case 3:
        return ConsoleFormat::state(state);
    case 4:
        return ConsoleFormat::dateTime(row.value(QStringLiteral("since")));
    case 5:
        return row.value(QStringLiteral("reason")).toString();
    }
    return {};
}

} // namespace herald
