#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace herald {

class AdminClient;

// The audit log, newest first: who did what to which account or device, from where.
class AuditPage : public QWidget
{
    Q_OBJECT
public:
    explicit AuditPage(AdminClient &client, QWidget *parent = nullptr);
    void refresh();

private:
    AdminClient &m_client;
    QTableWidget *m_table;
    QSpinBox *m_limit;
    QPushButton *m_refresh;
    QLabel *m_message;
};

} // namespace herald
