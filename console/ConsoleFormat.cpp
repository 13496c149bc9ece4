#include "ConsoleFormat.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLocale>
#include <QTableWidget>

namespace herald::ConsoleFormat {

QString dateTime(const QJsonValue &value)
{
    const QDateTime t = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (!t.isValid())
        return QStringLiteral("—");
    return QLocale().toString(t.toLocalTime(), QLocale::ShortFormat);
}

void prepareTable(QTableWidget *table, const QStringList &headers)
{
    table->setColumnCount(int(headers.size()));
    table->setHorizontalHeaderLabels(headers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->setVisible(false);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setAlternatingRowColors(true);
}

void fillTable(QTableWidget *table, const QList<QStringList> &rows, const QStringList &keys)
{
    const QString previous = selectedKey(table);
    table->setSortingEnabled(false);
    table->clearContents();
    table->setRowCount(int(rows.size()));
    int reselect = -1;
    for (int r = 0; r < rows.size(); ++r) {
        for (int c = 0; c < rows.at(r).size(); ++c) {
            auto *item = new QTableWidgetItem(rows.at(r).at(c));
            if (c == 0)
                item->setData(Qt::UserRole, keys.value(r));
            table->setItem(r, c, item);
        }
        if (!previous.isEmpty() && keys.value(r) == previous)
            reselect = r;
    }
    table->resizeColumnsToContents();
    table->horizontalHeader()->setStretchLastSection(true);
    // A refresh keeps the operator's place.
    if (reselect >= 0)
        table->selectRow(reselect);
}

QString selectedKey(const QTableWidget *table)
{
    const QList<QTableWidgetItem *> selected = table->selectedItems();
    if (selected.isEmpty())
        return {};
    const QTableWidgetItem *first = table->item(selected.first()->row(), 0);
    return first ? first->data(Qt::UserRole).toString() : QString();
}

} // namespace herald::ConsoleFormat
