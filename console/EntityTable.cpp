#include "EntityTable.h"

#include "ApiListModel.h"
#include "ConsoleFormat.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace herald {

EntityTable::EntityTable(ApiListModel *model, const QString &objectName, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_search(new QLineEdit(this))
    , m_count(new QLabel(this))
    , m_debounce(new QTimer(this))
{
    m_view->setObjectName(objectName);
    m_search->setObjectName(objectName + QStringLiteral("Search"));
    m_count->setObjectName(objectName + QStringLiteral("Count"));
    m_search->setClearButtonEnabled(true);
    m_proxy->setSourceModel(model);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setSortRole(ApiListModel::SortRole);
    m_proxy->setDynamicSortFilter(true);
    m_view->setModel(m_proxy);
    ConsoleFormat::prepareView(m_view);
    m_view->sortByColumn(-1, Qt::AscendingOrder); // the server's order until the operator picks a column

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_search, 1);
    bottom->addWidget(m_count);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view, 1);
    layout->addLayout(bottom);

    connect(m_search, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(400);
    connect(m_search, &QLineEdit::textChanged, this, [this] {
        if (m_serverSearch)
            m_debounce->start();
    });
    connect(m_debounce, &QTimer::timeout, this, [this] { emit serverSearch(m_search->text().trimmed()); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &EntityTable::selectionChanged);
    // A reload keeps the operator's place: the selected row is selected again if it is still there.
    connect(model, &QAbstractItemModel::modelAboutToBeReset, this, [this] { m_keepKey = selectedKey(); });
    connect(model, &QAbstractItemModel::modelReset, this, [this] {
        updateCount();
        if (!m_keepKey.isEmpty())
            selectKey(m_keepKey);
        m_view->resizeColumnsToContents();
        m_view->horizontalHeader()->setStretchLastSection(true);
        emit selectionChanged();
    });
    connect(model, &QAbstractItemModel::rowsInserted, this, &EntityTable::updateCount);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &EntityTable::updateCount);
    connect(model, &QAbstractItemModel::dataChanged, this, &EntityTable::selectionChanged);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &EntityTable::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &EntityTable::updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &EntityTable::updateCount);
    retranslate();
}

void EntityTable::retranslate()
{
    m_search->setPlaceholderText(tr("Search the loaded rows…"));
    m_model->retranslate();
    updateCount();
}

void EntityTable::updateCount()
{
    const int loaded = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    if (shown != loaded)
        m_count->setText(tr("%1 shown of %2 loaded, %3 in all").arg(shown).arg(loaded).arg(qMax(loaded, m_model->total())));
    else if (loaded < m_model->total())
        m_count->setText(tr("%1 of %2 loaded (scroll for more)").arg(loaded).arg(m_model->total()));
    else
        m_count->setText(tr("%n row(s)", nullptr, loaded));
}

QString EntityTable::selectedKey() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(ApiListModel::KeyRole).toString();
}

QJsonObject EntityTable::selectedObject() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QJsonObject() : rows.first().data(ApiListModel::ObjectRole).toJsonObject();
}

bool EntityTable::selectKey(const QString &key)
{
    const int row = m_model->rowOf(key);
    if (row < 0)
        return false;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid())
        return false;
    m_view->selectRow(index.row());
    m_view->scrollTo(index);
    return true;
}

} // namespace herald
