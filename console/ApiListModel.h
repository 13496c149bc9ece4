#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

namespace herald {

class AdminClient;

// The base of the console's table models: one admin API list (GET path → {"<listKey>":[...],
// "total","offset","limit"}) kept as the server's JSON objects, fetched a page at a time as the
// view scrolls (canFetchMore/fetchMore), and updated in place by key from the live feed. Each
// entity's model only says which columns it has and what a cell shows.
class ApiListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    // The key of a row (Qt::UserRole) and a value to sort by where the text would sort badly.
    enum Role
    {
        KeyRole = Qt::UserRole,
        SortRole,
        ObjectRole
    };

    ApiListModel(AdminClient &client, const QString &listKey, const QString &keyField, QObject *parent = nullptr);

    // The list's path with any filters ("/admin/v1/devices?presence=online"); takes effect on reload().
    void setPath(const QString &path) { m_path = path; }
    QString path() const { return m_path; }
    // Lists the server does not page (GET users) are fetched whole.
    void setPaged(bool paged) { m_paged = paged; }
    void setPageSize(int rows) { m_pageSize = rows; }
    void reload();
    bool isLoading() const { return m_loading; }
    int total() const { return m_total; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    QJsonObject object(int row) const { return m_rows.value(row); }
    QString keyAt(int row) const;
    int rowOf(const QString &key) const;
    // Replaces the object with the same key in place; inserts it at the top when asked and absent.
    void upsert(const QJsonObject &object, bool insertIfMissing = false);
    // Changes fields of the row with this key in place; false when no such row is loaded.
    bool patch(const QString &key, const QJsonObject &fields);
    void removeKey(const QString &key);

    // Headers and cells say things in the current language again (after a language switch).
    void retranslate();

signals:
    void failed(const QString &message);
    void loaded();

protected:
    // The row's identity; the key field's value unless a model combines fields.
    virtual QString keyOf(const QJsonObject &row) const;
    virtual QStringList headers() const = 0;
    // What `column` of `row` shows for `role` (Display, Decoration, ToolTip, SortRole...).
    virtual QVariant cell(const QJsonObject &row, int column, int role) const = 0;

private:
    void fetch(int offset);
    QString pagedPath(int offset) const;

    AdminClient &m_client;
    QString m_listKey;
    QString m_keyField;
    QString m_path;
    QList<QJsonObject> m_rows;
    int m_total = 0;
    int m_pageSize = 100;
    bool m_paged = true;
    bool m_loading = false;
    quint64 m_generation = 0; // answers for an older reload() are dropped
};

} // namespace herald
