#include "MainWindow.h"

#include "AdminClient.h"
#include "AuditPage.h"
#include "DevicesPage.h"
#include "OperatorsPage.h"
#include "UsersPage.h"

#include <QLabel>
#include <QStatusBar>
#include <QTabWidget>

namespace herald {

MainWindow::MainWindow(AdminClient &client, QWidget *parent)
    : QMainWindow(parent)
    , m_client(client)
    , m_tabs(new QTabWidget(this))
    , m_users(new UsersPage(client, this))
    , m_devices(new DevicesPage(client, this))
    , m_audit(new AuditPage(client, this))
{
    setWindowTitle(tr("Herald console — %1").arg(client.baseUrl().toDisplayString()));
    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_tabs->addTab(m_users, tr("Users"));
    m_tabs->addTab(m_devices, tr("Devices"));
    // Helpdesk may not even list operators (the server refuses), so the tab is not offered.
    if (client.isAdmin()) {
        m_operators = new OperatorsPage(client, this);
        m_tabs->addTab(m_operators, tr("Operators"));
    }
    m_tabs->addTab(m_audit, tr("Audit log"));
    setCentralWidget(m_tabs);

    const QString role = client.isAdmin() ? tr("administrator") : tr("helpdesk, read only");
    auto *who = new QLabel(tr("Logged in as %1 (%2)").arg(client.operatorName(), role), this);
    who->setObjectName(QStringLiteral("operatorLabel"));
    statusBar()->addPermanentWidget(who);

    connect(m_users, &UsersPage::userSelected, m_devices, &DevicesPage::setUser);
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::refreshCurrent);
    connect(&m_client, &AdminClient::sessionEnded, this, &MainWindow::sessionEnded);
    resize(1000, 640);
    refreshCurrent();
}

void MainWindow::showNotice(const QString &text)
{
    statusBar()->showMessage(text);
}

void MainWindow::refreshCurrent()
{
    QWidget *current = m_tabs->currentWidget();
    if (current == m_users)
        m_users->refresh();
    else if (current == m_devices)
        m_devices->refresh();
    else if (m_operators && current == m_operators)
        m_operators->refresh();
    else if (current == m_audit)
        m_audit->refresh();
}

void MainWindow::sessionEnded(const QString &message)
{
    m_tabs->setEnabled(false);
    showNotice(tr("The session ended (%1). Restart the console to log in again.").arg(message));
}

} // namespace herald
