#include "MainWindow.h"

#include "AdminClient.h"
#include "AuditPage.h"
#include "ClusterPage.h"
#include "DashboardPage.h"
#include "DevicesModel.h"
#include "DevicesPage.h"
#include "Language.h"
#include "LiveFeed.h"
#include "MessageBar.h"
#include "MonitorsModel.h"
#include "NotificationsModel.h"
#include "NotificationsPage.h"
#include "OperatorsPage.h"
#include "SourcesPage.h"
#include "TestPushDialog.h"
#include "UsersPage.h"

#include <QActionGroup>
#include <QEvent>
#include <QJsonObject>
#include <QLabel>
#include <QMenuBar>
#include <QProgressBar>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace herald {

MainWindow::MainWindow(AdminClient &client, Language &language, QWidget *parent)
    : QMainWindow(parent)
    , m_client(client)
    , m_language(language)
    , m_tabs(new QTabWidget(this))
    , m_messageBar(new MessageBar(this))
    , m_dashboard(new DashboardPage(client, this))
    , m_users(new UsersPage(client, this))
    , m_devices(new DevicesPage(client, this))
    , m_notifications(new NotificationsPage(client, this))
    , m_sources(new SourcesPage(client, this))
    , m_cluster(new ClusterPage(client, this))
    , m_operators(new OperatorsPage(client, this))
    , m_audit(new AuditPage(client, this))
    , m_live(new LiveFeed(client, this))
    , m_liveLabel(new QLabel(this))
    , m_operatorLabel(new QLabel(this))
    , m_busy(new QProgressBar(this))
    , m_languages(new QActionGroup(this))
{
    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_liveLabel->setObjectName(QStringLiteral("liveLabel"));
    m_operatorLabel->setObjectName(QStringLiteral("operatorLabel"));
    m_busy->setObjectName(QStringLiteral("busy"));
    for (ConsolePage *page : std::initializer_list<ConsolePage *>{m_dashboard, m_users, m_devices, m_notifications,
                                                                   m_sources, m_cluster, m_operators, m_audit}) {
        m_tabs->addTab(page, QString());
        connect(page, &ConsolePage::notify, this, &MainWindow::showNotice);
    }
    // Helpdesk may not list operators (the server refuses): the tab is there, disabled, and says why.
    m_tabs->setTabEnabled(m_tabs->indexOf(m_operators), client.isAdmin());

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addWidget(m_messageBar);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(120);
    m_busy->setTextVisible(false);
    m_busy->setVisible(client.isBusy());
    statusBar()->addWidget(m_liveLabel);
    statusBar()->addPermanentWidget(m_busy);
    statusBar()->addPermanentWidget(m_operatorLabel);

    m_consoleMenu = menuBar()->addMenu(QString());
    m_refreshAction = m_consoleMenu->addAction(QString(), QKeySequence::Refresh, this, &MainWindow::refreshCurrent);
    m_testPushAction = m_consoleMenu->addAction(QString(), this, [this] { openTestPush(); });
    m_consoleMenu->addSeparator();
    m_quitAction = m_consoleMenu->addAction(QString(), QKeySequence::Quit, this, &QWidget::close);
    m_languageMenu = menuBar()->addMenu(QString());
    m_languageMenu->setObjectName(QStringLiteral("languageMenu"));
    for (const QString &code : Language::available()) {
        QAction *action = m_languageMenu->addAction(Language::nativeName(code));
        action->setObjectName(QStringLiteral("language_") + code);
        action->setCheckable(true);
        action->setChecked(code == language.current());
        action->setData(code);
        m_languages->addAction(action);
    }
    connect(m_languages, &QActionGroup::triggered, this, [this](QAction *a) { m_language.apply(a->data().toString()); });
    connect(&m_language, &Language::changed, this, [this](const QString &code) {
        for (QAction *a : m_languages->actions())
            a->setChecked(a->data().toString() == code);
    });

    connect(m_devices, &DevicesPage::testPushRequested, this,
            [this](const QString &account, const QString &deviceId) { openTestPush(account, deviceId); });
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::refreshCurrent);
    connect(&m_client, &AdminClient::sessionEnded, this, &MainWindow::sessionEnded);
    connect(&m_client, &AdminClient::busyChanged, m_busy, &QWidget::setVisible);
    connect(m_live, &LiveFeed::frame, this, &MainWindow::liveFrame);
    connect(m_live, &LiveFeed::stateChanged, this, &MainWindow::liveStateChanged);
    // Frames sent while the feed was down are lost: reload what is on screen once it is back.
    connect(m_live, &LiveFeed::stateChanged, this, [this, wasLost = false](LiveFeed::State state) mutable {
        if (state == LiveFeed::State::Live && wasLost)
            refreshCurrent();
        if (state == LiveFeed::State::Waiting)
            wasLost = true;
        else if (state == LiveFeed::State::Live)
            wasLost = false;
    });
    retranslate();
    resize(1100, 700);
    m_live->start();
    refreshCurrent();
}

MainWindow::~MainWindow()
{
    m_live->stop();
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::retranslate()
{
    setWindowTitle(tr("Herald console — %1").arg(m_client.baseUrl().toDisplayString()));
    m_tabs->setTabText(m_tabs->indexOf(m_dashboard), tr("Dashboard"));
    m_tabs->setTabText(m_tabs->indexOf(m_users), tr("Users"));
    m_tabs->setTabText(m_tabs->indexOf(m_devices), tr("Devices"));
    m_tabs->setTabText(m_tabs->indexOf(m_notifications), tr("Notifications"));
    m_tabs->setTabText(m_tabs->indexOf(m_sources), tr("Sources && monitors"));
    m_tabs->setTabText(m_tabs->indexOf(m_cluster), tr("Cluster"));
    m_tabs->setTabText(m_tabs->indexOf(m_operators), tr("Operators"));
    m_tabs->setTabText(m_tabs->indexOf(m_audit), tr("Audit log"));
    m_tabs->setTabToolTip(m_tabs->indexOf(m_operators),
                          m_client.isAdmin() ? QString()
                                             : tr("Only administrators can manage operators; you are logged in with "
                                                  "the helpdesk role."));
    const QString role = m_client.isAdmin() ? tr("administrator") : tr("helpdesk");
    m_operatorLabel->setText(tr("Logged in as %1 (%2)").arg(m_client.operatorName(), role));
    m_consoleMenu->setTitle(tr("&Console"));
    m_refreshAction->setText(tr("&Refresh"));
    m_testPushAction->setText(tr("Send &test push…"));
    m_quitAction->setText(tr("&Quit"));
    m_languageMenu->setTitle(tr("&Language"));
    liveStateChanged();
}

void MainWindow::showNotice(const QString &text, bool error)
{
    m_messageBar->showMessage(text, error);
}

TestPushDialog *MainWindow::openTestPush(const QString &account, const QString &deviceId)
{
    auto *dialog = new TestPushDialog(m_client, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &TestPushDialog::notify, this, &MainWindow::showNotice);
    if (!account.isEmpty())
        dialog->preset(account, deviceId);
    dialog->open();
    return dialog;
}

void MainWindow::refreshCurrent()
{
    if (auto *page = qobject_cast<ConsolePage *>(m_tabs->currentWidget()))
        page->refresh();
}

void MainWindow::liveFrame(const QJsonObject &frame)
{
    const QString type = frame.value(QStringLiteral("type")).toString();
    // In a cluster the feed carries every node's frames, each naming its node ("node").
    const QString node = frame.value(QStringLiteral("node")).toString();
    if (type == QLatin1String("hello")) {
        m_liveNode = node;
        liveStateChanged();
        return;
    }
    m_devices->model()->applyFrame(frame);
    m_notifications->model()->applyFrame(frame);
    m_sources->monitors()->applyFrame(frame);
    // The dashboard's counts and providers are those of the node it is connected to (GET stats):
    // other nodes' frames would not survive its next refresh.
    if (node.isEmpty() || node == m_liveNode)
        m_dashboard->applyFrame(frame);
    if (type == QLatin1String("provider") && frame.value(QStringLiteral("state")).toString() == QLatin1String("alarm")) {
        const QString name = frame.value(QStringLiteral("name")).toString();
        const QString reason = frame.value(QStringLiteral("reason")).toString();
        showNotice(node.isEmpty() || node == m_liveNode
                       ? tr("Push provider %1 reports a problem: %2").arg(name, reason)
                       : tr("Push provider %1 on node %2 reports a problem: %3").arg(name, node, reason),
                   true);
    }
}

void MainWindow::liveStateChanged()
{
    switch (m_live->state()) {
    case LiveFeed::State::Live:
        m_liveLabel->setText(tr("Live updates on"));
        m_liveLabel->setToolTip(m_liveNode.isEmpty() ? QString()
                                                     : tr("Connected to node %1; updates come from every node of the cluster")
                                                           .arg(m_liveNode));
        break;
    case LiveFeed::State::Connecting:
        m_liveLabel->setText(tr("Connecting live updates…"));
        break;
    case LiveFeed::State::Waiting:
        m_liveLabel->setText(tr("Live updates lost; retrying in %n s", nullptr, (m_live->retryInMs() + 999) / 1000));
        break;
    case LiveFeed::State::Stopped:
        m_liveLabel->setText(tr("Live updates off"));
        break;
    }
}

void MainWindow::sessionEnded(const QString &message)
{
    m_live->stop();
    m_tabs->setEnabled(false);
    showNotice(tr("The session ended (%1). Restart the console to log in again.").arg(message), true);
}

} // namespace herald
