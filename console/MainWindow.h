#pragma once

#include <QMainWindow>

class QActionGroup;
class QLabel;
class QMenu;
class QProgressBar;
class QTabWidget;

namespace herald {

class AdminClient;
class AuditPage;
class ClusterPage;
class ConsolePage;
class DashboardPage;
class DevicesPage;
class Language;
class LiveFeed;
class MessageBar;
class NotificationsPage;
class OperatorsPage;
class SourcesPage;
class TestPushDialog;
class UsersPage;

// The console after login: Dashboard, Users, Devices, Notifications, Sources & monitors,
// Cluster, Operators and Audit tabs; one message bar for everything the operator must read; a status bar
// with the live feed's state and a busy indicator; a Language menu that switches at once.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(AdminClient &client, Language &language, QWidget *parent = nullptr);
    ~MainWindow() override;

    DashboardPage *dashboardPage() const { return m_dashboard; }
    UsersPage *usersPage() const { return m_users; }
    DevicesPage *devicesPage() const { return m_devices; }
    NotificationsPage *notificationsPage() const { return m_notifications; }
    SourcesPage *sourcesPage() const { return m_sources; }
    ClusterPage *clusterPage() const { return m_cluster; }
    OperatorsPage *operatorsPage() const { return m_operators; }
    AuditPage *auditPage() const { return m_audit; }
    QTabWidget *tabs() const { return m_tabs; }
    MessageBar *messageBar() const { return m_messageBar; }
    LiveFeed *liveFeed() const { return m_live; }

    void showNotice(const QString &text, bool error = false);
    // Opens the test push dialog, with a device chosen when both are given.
    TestPushDialog *openTestPush(const QString &account = {}, const QString &deviceId = {});

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void refreshCurrent();
    void sessionEnded(const QString &message);
    void liveFrame(const QJsonObject &frame);
    void liveStateChanged();

    AdminClient &m_client;
    Language &m_language;
    QTabWidget *m_tabs;
    MessageBar *m_messageBar;
    DashboardPage *m_dashboard;
    UsersPage *m_users;
    DevicesPage *m_devices;
    NotificationsPage *m_notifications;
    SourcesPage *m_sources;
    ClusterPage *m_cluster;
    OperatorsPage *m_operators;
    AuditPage *m_audit;
    LiveFeed *m_live;
    QLabel *m_liveLabel;
    QString m_liveNode; // the server node the feed is connected to (its hello says)
    QLabel *m_operatorLabel;
    QProgressBar *m_busy;
    QMenu *m_consoleMenu;
    QMenu *m_languageMenu;
    QAction *m_refreshAction;
    QAction *m_testPushAction;
    QAction *m_quitAction;
    QActionGroup *m_languages;
};

} // namespace herald
