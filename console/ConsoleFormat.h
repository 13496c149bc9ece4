#pragma once

#include <QJsonValue>
#include <QStringList>

class QTableWidget;

namespace herald {

// Small shared helpers of the pages: how times look, and filling a read-only table.
namespace ConsoleFormat {
// An API time (ISO 8601 UTC) in the user's locale and time zone; "—" when absent.
QString dateTime(const QJsonValue &value);
// Replaces the rows of `table`; each row's first cell keeps `keys[i]` as Qt::UserRole.
void fillTable(QTableWidget *table, const QList<QStringList> &rows, const QStringList &keys);
// The key of the selected row, or empty.
QString selectedKey(const QTableWidget *table);
void prepareTable(QTableWidget *table, const QStringList &headers);
} // namespace ConsoleFormat

} // namespace herald
