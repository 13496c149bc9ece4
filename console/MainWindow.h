#pragma once

#include <QMainWindow>

class QTabWidget;

namespace herald {

class AdminClient;
class AuditPage;
class DevicesPage;
class OperatorsPage;
class UsersPage;

// The console after login: Users, Devices, Operators (admins only) and Audit log tabs. Each tab
// loads when shown, so what the operator looks at is current.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(AdminClient &client, QWidget *parent = nullptr);

    UsersPage *usersPage() const { return m_users; }
    DevicesPage *devicesPage() const { return m_devices; }
    OperatorsPage *operatorsPage() const { return m_operators; }
    AuditPage *auditPage() const { return m_audit; }
    QTabWidget *tabs() const { return m_tabs; }

    void showNotice(const QString &text);

private:
    void refreshCurrent();
    void sessionEnded(const QString &message);

    AdminClient &m_client;
    QTabWidget *m_tabs;
    UsersPage *m_users;
    DevicesPage *m_devices;
    OperatorsPage *m_operators = nullptr;
    AuditPage *m_audit;
};

} // namespace herald
