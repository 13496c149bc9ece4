#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace herald {

class AdminClient;

// Console operators (admins only): list, and create helpdesk or admin accounts.
class OperatorsPage : public QWidget
{
    Q_OBJECT
public:
    explicit OperatorsPage(AdminClient &client, QWidget *parent = nullptr);
    void refresh();

private:
    void createOperator();
    void showMessage(const QString &text, bool error);

    AdminClient &m_client;
    QTableWidget *m_table;
    QPushButton *m_refresh;
    QPushButton *m_new;
    QLabel *m_message;
};

} // namespace herald
