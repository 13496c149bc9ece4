#include "ApiListModel.h"

#include "AdminClient.h"

namespace herald {

ApiListModel::ApiListModel(AdminClient &client, const QString &listKey, const QString &keyField, QObject *parent)
    : QAbstractTableModel(parent)
    , m_client(client)
    , m_listKey(listKey)
    , m_keyField(keyField)
{
}

int ApiListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ApiListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(headers().size());
}

QString ApiListModel::keyOf(const QJsonObject &row) const
{
    const QJsonValue key = row.value(m_keyField);
    return key.isDouble() ? QString::number(key.toInteger()) : key.toString();
}

QString ApiListModel::keyAt(int row) const
{
    return keyOf(m_rows.value(row));
}

int ApiListModel::rowOf(const QString &key) const
{
    for (int r = 0; r < m_rows.size(); ++r) {
        if (keyAt(r) == key)
            return r;
    }
    return -1;
}

QVariant ApiListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const QJsonObject &row = m_rows.at(index.row());
    switch (role) {
    case KeyRole:
        return keyAt(index.row());
    case ObjectRole:
        return row;
    case SortRole: {
        const QVariant sortValue = cell(row, index.column(), SortRole);
        return sortValue.isValid() ? sortValue : cell(row, index.column(), Qt::DisplayRole);
    }
    default:
        return cell(row, index.column(), role);
    }
}

QVariant ApiListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    return headers().value(section);
}

QString ApiListModel::pagedPath(int offset) const
{
    if (!m_paged)
        return m_path;
    const QChar joiner = m_path.contains(QLatin1Char('?')) ? QLatin1Char('&') : QLatin1Char('?');
    return m_path + joiner + QStringLiteral("offset=%1&limit=%2").arg(offset).arg(m_pageSize);
}

void ApiListModel::reload()
{
    ++m_generation;
    m_loading = false;
    fetch(0);
}

bool ApiListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_paged && !m_loading && m_rows.size() < m_total;
}

void ApiListModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        fetch(int(m_rows.size()));
}

void ApiListModel::fetch(int offset)
{
    m_loading = true;
    const quint64 generation = m_generation;
    m_client.get(pagedPath(offset), this, [this, offset, generation](const AdminReply &reply) {
        if (generation != m_generation)
            return;
        m_loading = false;
        if (!reply.ok()) {
            emit failed(reply.errorMessage);
            return;
        }
        const QJsonArray list = reply.array(m_listKey);
        QList<QJsonObject> page;
        page.reserve(list.size());
        for (const QJsonValue &v : list)
            page.append(v.toObject());
        // Lists without paging fields (the older calls) are complete in one answer.
        m_total = reply.object.contains(QStringLiteral("total"))
                      ? reply.object.value(QStringLiteral("total")).toInt()
                      : offset + int(page.size());
        if (offset == 0) {
            beginResetModel();
            m_rows = page;
            endResetModel();
        } else if (!page.isEmpty()) {
            // Rows the live feed inserted meanwhile may come again in this page: keep one of each.
            QList<QJsonObject> fresh;
            for (const QJsonObject &o : page) {
                if (rowOf(keyOf(o)) < 0)
                    fresh.append(o);
            }
            if (!fresh.isEmpty()) {
                beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + fresh.size() - 1));
                m_rows.append(fresh);
                endInsertRows();
            }
        }
        if (page.isEmpty())
            m_total = int(m_rows.size()); // the list shrank under us: stop asking
        emit loaded();
    });
}

void ApiListModel::upsert(const QJsonObject &object, bool insertIfMissing)
{
    const int row = rowOf(keyOf(object));
    if (row >= 0) {
        m_rows[row] = object;
        emit dataChanged(index(row, 0), index(row, columnCount() - 1));
        return;
    }
    if (!insertIfMissing)
        return;
    beginInsertRows({}, 0, 0);
    m_rows.prepend(object);
    ++m_total;
    endInsertRows();
}

bool ApiListModel::patch(const QString &key, const QJsonObject &fields)
{
    const int row = rowOf(key);
    if (row < 0)
        return false;
    QJsonObject &o = m_rows[row];
    for (auto it = fields.begin(); it != fields.end(); ++it)
        o.insert(it.key(), it.value());
    emit dataChanged(index(row, 0), index(row, columnCount() - 1));
    return true;
}

void ApiListModel::removeKey(const QString &key)
{
    const int row = rowOf(key);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    --m_total;
    endRemoveRows();
}

void ApiListModel::retranslate()
{
    if (columnCount() > 0)
        emit headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

} // namespace herald
