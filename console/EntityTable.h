#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace herald {

class ApiListModel;

// A searchable, sortable view of one ApiListModel: a search field that filters every column of
// the loaded rows (QSortFilterProxyModel), the table, and a line saying how many rows are loaded
// of how many there are. Scrolling to the end fetches the next page.
class EntityTable : public QWidget
{
    Q_OBJECT
public:
    EntityTable(ApiListModel *model, const QString &objectName, QWidget *parent = nullptr);

    ApiListModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    QLineEdit *searchField() const { return m_search; }

    QString selectedKey() const;
    QJsonObject selectedObject() const;
    // Selects the row with that key if it is loaded; false otherwise.
    bool selectKey(const QString &key);
    void retranslate();
    // For lists the server searches (GET devices?q=): besides filtering the loaded rows at once,
    // serverSearch() is emitted when the typing pauses, so the page can ask the server for all matches.
    void setServerSearch(bool enabled) { m_serverSearch = enabled; }

signals:
    void selectionChanged();
    void serverSearch(const QString &text);

private:
    void updateCount();

    ApiListModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QLineEdit *m_search;
    QLabel *m_count;
    QTimer *m_debounce;
    bool m_serverSearch = false;
    QString m_keepKey; // selected when a reload began
};

} // namespace herald
