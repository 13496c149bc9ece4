// The console's Cluster tab against a real herald-server on Xvfb (a one-node cluster, as every
// server on SQLite is): the node with its address, version and "this node" mark, alive, its
// sessions following a terminal's session channel without a click (the tab reloads while shown),
// the summary line, and the tab in Chinese.
#include "AdminClient.h"
#include "AdminFixture.h"
#include "ClusterModel.h"
#include "ClusterPage.h"
#include "ConsoleTestKit.h"
#include "CredentialStore.h"
#include "EntityTable.h"
#include "HeraldVersion.h"
#include "Language.h"
#include "LoginDialog.h"
#include "MainWindow.h"
#include "SessionChannel.h"
#include "XvfbProcess.h"

#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace herald;
using namespace herald::test;

class tst_ConsoleCluster : public QObject
{
    Q_OBJECT

private:
    AdminFixture m_fx{{QStringLiteral("--node-heartbeat-secs"), QStringLiteral("1"), QStringLiteral("--node-timeout-secs"),
                       QStringLiteral("3")}};
    Language m_language;
    CredentialStore m_credentials;
    AdminClient m_client;
    std::unique_ptr<MainWindow> m_window;
    QString m_node;

    QString cell(int column) { return ConsoleTestKit::cell(m_window->clusterPage()->table(), m_node, column); }

private Q_SLOTS:
    void initTestCase()
    {
        QCOMPARE(QGuiApplication::platformName(), QStringLiteral("xcb"));
        m_language.apply(QStringLiteral("en"));
        QVERIFY(m_fx.start());
        QFile name(m_fx.server().dataDir() + QStringLiteral("/node-name"));
        QVERIFY(name.open(QIODevice::ReadOnly));
        m_node = QString::fromUtf8(name.readAll()).trimmed();
        LoginDialog dialog(m_client, m_credentials);
        dialog.show();
        QString error;
        QVERIFY2(ConsoleTestKit::logIn(dialog, m_fx.server().baseUrl(), QStringLiteral("admin"), m_fx.adminPassword(), {},
                                       &error),
                 qPrintable(error));
        m_window = std::make_unique<MainWindow>(m_client, m_language);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanupTestCase() { m_window.reset(); }

    void theNodeIsListed()
    {
        m_window->tabs()->setCurrentWidget(m_window->clusterPage());
        QCOMPARE(m_window->tabs()->tabText(m_window->tabs()->currentIndex()), QStringLiteral("Cluster"));
        QTRY_COMPARE_WITH_TIMEOUT(cell(ClusterModel::AddressColumn), QStringLiteral("127.0.0.1:%1").arg(m_fx.server().port()),
                                  15000);
        QCOMPARE(cell(ClusterModel::NodeColumn), m_node + QStringLiteral(" (this node)"));
        QCOMPARE(cell(ClusterModel::VersionColumn), QStringLiteral(HERALD_VERSION_STRING));
        QCOMPARE(cell(ClusterModel::StatusColumn), QStringLiteral("Alive"));
        QCOMPARE(cell(ClusterModel::SessionsColumn), QStringLiteral("0"));
        QVERIFY(cell(ClusterModel::LastHeartbeatColumn).endsWith(QStringLiteral("ago")) ||
                cell(ClusterModel::LastHeartbeatColumn) == QStringLiteral("just now"));
        QVERIFY(!cell(ClusterModel::HeartbeatAtColumn).isEmpty());
        QVERIFY(cell(ClusterModel::HeartbeatAtColumn) != QStringLiteral("—"));
        QVERIFY(m_window->clusterPage()->summary()->text().startsWith(QStringLiteral("Nodes alive: 1, stopped: 0")));
    }

    void sessionsFollowWithoutAClick()
    {
        const QString token = m_fx.delivery().registerDevice(QStringLiteral("phone"));
        QVERIFY(!token.isEmpty());
        auto session = m_fx.delivery().openSession(token);
        QVERIFY(session);
        // The heartbeat writes it within a second; the tab reloads itself while it is shown.
        QTRY_COMPARE_WITH_TIMEOUT(cell(ClusterModel::SessionsColumn), QStringLiteral("1"), 3 * ClusterPage::ReloadMs);
        QTRY_VERIFY(m_window->clusterPage()->summary()->text().contains(QStringLiteral("sessions: 1")));
        session.reset();
        auto *refresh = m_window->clusterPage()->findChild<QPushButton *>(QStringLiteral("refreshButton"));
        QVERIFY(refresh && refresh->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(cell(ClusterModel::SessionsColumn), QStringLiteral("0"), 3 * ClusterPage::ReloadMs);
    }

    void speaksChinese()
    {
        QVERIFY(m_language.apply(QStringLiteral("zh_CN")));
        QTRY_COMPARE(m_window->tabs()->tabText(m_window->tabs()->indexOf(m_window->clusterPage())), QStringLiteral("集群"));
        ClusterModel *model = m_window->clusterPage()->model();
        QCOMPARE(model->headerData(ClusterModel::NodeColumn, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("节点"));
        QCOMPARE(model->headerData(ClusterModel::LastHeartbeatColumn, Qt::Horizontal, Qt::DisplayRole).toString(),
                 QStringLiteral("上次心跳"));
        QCOMPARE(cell(ClusterModel::StatusColumn), QStringLiteral("存活"));
        QVERIFY(m_window->clusterPage()->summary()->text().startsWith(QStringLiteral("存活节点：1")));
        QVERIFY(m_language.apply(QStringLiteral("en")));
        QTRY_COMPARE(cell(ClusterModel::StatusColumn), QStringLiteral("Alive"));
    }
};

int main(int argc, char *argv[])
{
    // A real X server, not the offscreen plugin CTest sets for the other tests.
    XvfbProcess xvfb;
    QString error;
    if (!xvfb.start(&error)) {
        fprintf(stderr, "FAIL: tst_consolecluster needs Xvfb: %s\n", qPrintable(error));
        return 1;
    }
    qputenv("QT_QPA_PLATFORM", "xcb");
    qputenv("DISPLAY", xvfb.display().toLocal8Bit());
    // No session bus: QtKeychain finds no keychain service (deterministic, and never the real one).
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/herald-test-bus");
    QTemporaryDir config; // settings go to a throw-away folder, never the developer's own
    qputenv("XDG_CONFIG_HOME", config.path().toLocal8Bit());
    int rc = 1;
    {
        QApplication app(argc, argv);
        QApplication::setOrganizationName(QStringLiteral("HeraldTest"));
        QApplication::setApplicationName(QStringLiteral("tst_consolecluster"));
        tst_ConsoleCluster test;
        rc = QTest::qExec(&test, argc, argv);
    }
    xvfb.stop();
    return rc;
}

#include "tst_consolecluster.moc"
