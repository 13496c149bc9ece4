// The console's live half against a real herald-server on Xvfb: the admin live feed moves a
// device's presence in the Devices tab without a refresh; the test-push dialog shows the verdict
// for a foreground device (in-band), a background iPhone (through the APNs stand-in) and a dead
// token (the provider's refusal); a device is revoked; a failed delivery is retried from the
// Notifications tab; helpdesk finds those admin actions disabled; the tabs speak Chinese.
// Needs the admin API of issue 13 (devices without ?user, notifications, test-push, live).
#include "AdminClient.h"
#include "ApnsStandin.h"
#include "ConsoleDemo.h"
#include "ConsoleTestKit.h"
#include "CredentialStore.h"
#include "DevicesModel.h"
#include "DevicesPage.h"
#include "EntityTable.h"
#include "Language.h"
#include "LiveFeed.h"
#include "LoginDialog.h"
#include "MainWindow.h"
#include "MessageBar.h"
#include "NotificationDetail.h"
#include "NotificationsModel.h"
#include "NotificationsPage.h"
#include "SessionChannel.h"
#include "TestPushDialog.h"
#include "XvfbProcess.h"

#include <QApplication>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonObject>
#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

using namespace herald;
using namespace herald::test;

class tst_ConsoleLive : public QObject
{
    Q_OBJECT

private:
    ConsoleDemo m_demo;
    Language m_language;
    CredentialStore m_credentials;
    AdminClient m_client;
    std::unique_ptr<MainWindow> m_window;
    SessionChannel *m_phone = nullptr; // alice-phone's session channel

    QString deviceCell(const QString &deviceId, int column)
    {
        return ConsoleTestKit::cell(m_window->devicesPage()->table(), deviceId, column);
    }

    QJsonObject apiNotification(const QString &id)
    {
        return m_demo.fixture().http().get(QStringLiteral("/admin/v1/notifications/") + id, m_demo.adminToken()).json().object();
    }

    QString deliveryState(const QJsonObject &notification, const QString &deviceId, QString *deliveryId = nullptr)
    {
        for (const QJsonValue &v : notification.value(QStringLiteral("deliveries")).toArray()) {
            const QJsonObject d = v.toObject();
            if (d.value(QStringLiteral("deviceId")).toString() == deviceId) {
                if (deliveryId)
                    *deliveryId = d.value(QStringLiteral("id")).toString();
                return d.value(QStringLiteral("state")).toString();
            }
        }
        return {};
    }

    // Opens the test-push dialog on a device and returns the verdict text once it arrived.
    QString testPush(const QString &account, const QString &deviceId)
    {
        TestPushDialog *dialog = m_window->openTestPush(account, deviceId);
        QPushButton *send = dialog->findChild<QPushButton *>(QStringLiteral("sendButton"));
        auto *devices = dialog->findChild<QComboBox *>(QStringLiteral("deviceCombo"));
        if (!QTest::qWaitFor([&] { return send->isEnabled() && devices->currentData().toString() == deviceId; }, 10000))
            return QStringLiteral("(the dialog never offered %1)").arg(deviceId);
        QSignalSpy verdict(dialog, &TestPushDialog::verdictArrived);
        send->click();
        if (!verdict.wait(20000))
            return QStringLiteral("(no verdict: %1)").arg(dialog->verdictText());
        const QString text = dialog->verdictText();
        dialog->close();
        return text;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCOMPARE(QGuiApplication::platformName(), QStringLiteral("xcb"));
        m_language.apply(QStringLiteral("en"));
        QString error;
        QVERIFY2(m_demo.start(&error), qPrintable(error));
        // Without the issue-13 admin API every test below would only wait out its timeouts.
        QVERIFY2(m_demo.fixture().http().get(QStringLiteral("/admin/v1/devices"), m_demo.adminToken()).status == 200,
                 "the server lacks GET /admin/v1/devices without ?user (the admin API of issue 13)");
        QVERIFY(m_demo.fixture().server().addUser(QStringLiteral("bob"), QStringLiteral("bob-password")));
        QCOMPARE(m_demo.fixture().http().post(QStringLiteral("/admin/v1/operators"),
                                              QJsonObject{{QStringLiteral("username"), QStringLiteral("hugo")},
                                                          {QStringLiteral("password"), QStringLiteral("hugo-helps")},
                                                          {QStringLiteral("role"), QStringLiteral("helpdesk")}},
                                              m_demo.adminToken())
                     .status,
                 201);
        LoginDialog dialog(m_client, m_credentials);
        dialog.show();
        QVERIFY2(ConsoleTestKit::logIn(dialog, m_demo.baseUrl(), QStringLiteral("admin"), m_demo.adminPassword(), {}, &error),
                 qPrintable(error));
        m_window = std::make_unique<MainWindow>(m_client, m_language);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void liveFeedConnects()
    {
        QTRY_COMPARE_WITH_TIMEOUT(m_window->liveFeed()->state(), LiveFeed::State::Live, 15000);
        QCOMPARE(m_window->findChild<QLabel *>(QStringLiteral("liveLabel"))->text(), QStringLiteral("Live updates on"));
        // The feed's hello names the node the console is connected to.
        QFile nodeName(m_demo.fixture().server().dataDir() + QStringLiteral("/node-name"));
        QVERIFY(nodeName.open(QIODevice::ReadOnly));
        const QString node = QString::fromUtf8(nodeName.readAll()).trimmed();
        QTRY_VERIFY(m_window->findChild<QLabel *>(QStringLiteral("liveLabel"))->toolTip().contains(node));
    }

    void deviceGoesOnlineAndForegroundWithoutRefresh()
    {
        const QString token = m_demo.registerDevice(QStringLiteral("alice"), QString::fromLatin1(DeliveryFixture::Password),
                                                    QStringLiteral("alice-phone"), QStringLiteral("ios"), QStringLiteral("iPhone"));
        QVERIFY(!token.isEmpty());
        m_window->tabs()->setCurrentWidget(m_window->devicesPage());
        QTRY_COMPARE_WITH_TIMEOUT(deviceCell(QStringLiteral("alice-phone"), DevicesModel::PresenceColumn), QStringLiteral("offline"), 10000);
        // From here on nothing reloads the list: every change comes over the live feed.
        QSignalSpy reloads(m_window->devicesPage()->model(), &QAbstractItemModel::modelReset);
        m_phone = m_demo.connect(token);
        QVERIFY(m_phone);
        QTRY_COMPARE_WITH_TIMEOUT(deviceCell(QStringLiteral("alice-phone"), DevicesModel::PresenceColumn), QStringLiteral("online"), 10000);
        QVERIFY(m_phone->setState(QStringLiteral("mail"), protocol::UiState::Foreground));
        QTRY_COMPARE_WITH_TIMEOUT(deviceCell(QStringLiteral("alice-phone"), DevicesModel::PresenceColumn), QStringLiteral("foreground"), 10000);
        QCOMPARE(deviceCell(QStringLiteral("alice-phone"), DevicesModel::AppsColumn), QStringLiteral("mail: foreground"));
        QCOMPARE(reloads.count(), 0);
    }

    void testPushToAForegroundDeviceGoesInBand()
    {
        const QString verdict = testPush(QStringLiteral("alice"), QStringLiteral("alice-phone"));
        QVERIFY2(verdict.startsWith(QStringLiteral("Delivered in-band and acknowledged in ")), qPrintable(verdict));
    }

    void testPushToABackgroundIphoneGoesThroughApns()
    {
        const QString token = m_demo.registerDevice(QStringLiteral("bob"), QStringLiteral("bob-password"),
                                                    QStringLiteral("bob-iphone"), QStringLiteral("ios"), QStringLiteral("iPhone"));
        QVERIFY(m_demo.connect(token, QStringLiteral("background")));
        const int before = int(m_demo.apns().records().size());
        const QString verdict = testPush(QStringLiteral("bob"), QStringLiteral("bob-iphone"));
        QVERIFY2(verdict.startsWith(QStringLiteral("APNs accepted it")), qPrintable(verdict));
        QCOMPARE(int(m_demo.apns().records().size()), before + 1);
        QCOMPARE(m_demo.apns().records().last().deviceToken, ConsoleDemo::apnsTokenFor(QStringLiteral("bob-iphone")));
    }

    void testPushToADeadTokenShowsTheRefusal()
    {
        standin::ApnsStandin::Behaviour dead;
        dead.status = 410;
        dead.reason = QStringLiteral("Unregistered");
        m_demo.apns().setBehaviour(QString::fromLatin1(ConsoleDemo::DeadToken), dead);
        QVERIFY(!m_demo.registerDevice(QStringLiteral("bob"), QStringLiteral("bob-password"), QStringLiteral("bob-old-iphone"),
                                       QStringLiteral("ios"), QStringLiteral("old iPhone"), QString::fromLatin1(ConsoleDemo::DeadToken))
                     .isEmpty());
        m_window->devicesPage()->refresh();
        QTRY_COMPARE_WITH_TIMEOUT(deviceCell(QStringLiteral("bob-old-iphone"), DevicesModel::TokenColumn), QStringLiteral("active"), 10000);
        const QString verdict = testPush(QStringLiteral("bob"), QStringLiteral("bob-old-iphone"));
        QVERIFY2(verdict.startsWith(QStringLiteral("The phone's push token is no longer valid: Unregistered")), qPrintable(verdict));
        QVERIFY(verdict.contains(QStringLiteral("ask the user to open the app")));
        // The retirement reaches the Devices row over the live feed.
        QTRY_COMPARE_WITH_TIMEOUT(deviceCell(QStringLiteral("bob-old-iphone"), DevicesModel::TokenColumn),
                                  QStringLiteral("retired (Unregistered)"), 10000);
    }

    void revokeADevice()
    {
        DevicesPage *page = m_window->devicesPage();
        m_window->tabs()->setCurrentWidget(page);
        QTRY_VERIFY_WITH_TIMEOUT(page->table()->selectKey(QStringLiteral("bob-old-iphone")), 10000);
        QPushButton *revoke = page->findChild<QPushButton *>(QStringLiteral("revokeButton"));
        QVERIFY(revoke->isEnabled());
        revoke->click();
        QMessageBox *confirm = nullptr;
        QTRY_VERIFY((confirm = page->findChild<QMessageBox *>()) && confirm->isVisible());
        confirm->button(QMessageBox::Yes)->click();
        QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowOf(QStringLiteral("bob-old-iphone")), -1, 10000);
        const auto reply = m_demo.fixture().http().get(QStringLiteral("/admin/v1/devices?user=bob"), m_demo.adminToken());
        for (const QJsonValue &v : reply.json().object().value(QStringLiteral("devices")).toArray())
            QVERIFY(v.toObject().value(QStringLiteral("deviceId")).toString() != QLatin1String("bob-old-iphone"));
    }

    void retryAFailedDeliveryFromNotifications()
    {
        // bob-iphone is bob's only device now. Its first push is refused for good; the retry is accepted.
        standin::ApnsStandin::Behaviour once;
        once.status = 400;
        once.reason = QStringLiteral("BadExpirationDate");
        once.times = 1;
        m_demo.apns().setBehaviour(ConsoleDemo::apnsTokenFor(QStringLiteral("bob-iphone")), once);
        const QString id = m_demo.postEvent(QStringLiteral("bob"), QStringLiteral("retry-me"));
        QVERIFY(!id.isEmpty());
        QString deliveryId;
        QTRY_COMPARE_WITH_TIMEOUT(deliveryState(apiNotification(id), QStringLiteral("bob-iphone"), &deliveryId), QStringLiteral("failed"), 20000);

        NotificationsPage *page = m_window->notificationsPage();
        m_window->tabs()->setCurrentWidget(page);
        page->showState(QStringLiteral("failed"));
        QTRY_VERIFY_WITH_TIMEOUT(!page->model()->isLoading(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(page->table()->selectKey(id), 10000);
        auto *deliveries = page->detail()->findChild<QTreeWidget *>(QStringLiteral("deliveriesTree"));
        QTRY_VERIFY_WITH_TIMEOUT(deliveries->topLevelItemCount() >= 1, 10000);
        QTreeWidgetItem *row = nullptr;
        for (int i = 0; i < deliveries->topLevelItemCount(); ++i) {
            if (deliveries->topLevelItem(i)->text(0) == QLatin1String("bob-iphone"))
                row = deliveries->topLevelItem(i);
        }
        QVERIFY(row);
        deliveries->clearSelection();
        row->setSelected(true);
        // The attempt history shows the refusal.
        auto *attempts = page->detail()->findChild<QTreeWidget *>(QStringLiteral("attemptsTree"));
        QVERIFY(attempts->topLevelItemCount() >= 1);
        QPushButton *retry = page->detail()->findChild<QPushButton *>(QStringLiteral("retryButton"));
        QVERIFY(retry->isEnabled());
        QVERIFY(!page->detail()->findChild<QPushButton *>(QStringLiteral("cancelButton"))->isEnabled());
        retry->click();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->messageBar()->text().contains(QStringLiteral("is being sent again")), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(deliveryState(apiNotification(id), QStringLiteral("bob-iphone")), QStringLiteral("delivered"), 20000);
        const QJsonArray audit = m_demo.fixture().http().get(QStringLiteral("/admin/v1/audit?action=delivery.retry"), m_demo.adminToken())
                                     .json().object().value(QStringLiteral("entries")).toArray();
        QCOMPARE(audit.size(), 1);
    }

    void helpdeskMayTestPushButNotRevokeOrRetry()
    {
        AdminClient client;
        LoginDialog dialog(client, m_credentials);
        dialog.show();
        QString error;
        QVERIFY2(ConsoleTestKit::logIn(dialog, m_demo.baseUrl(), QStringLiteral("hugo"), QStringLiteral("hugo-helps"), {}, &error),
                 qPrintable(error));
        MainWindow window(client, m_language);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.tabs()->setCurrentWidget(window.devicesPage());
        QTRY_VERIFY_WITH_TIMEOUT(window.devicesPage()->table()->selectKey(QStringLiteral("bob-iphone")), 10000);
        QPushButton *revoke = window.devicesPage()->findChild<QPushButton *>(QStringLiteral("revokeButton"));
        QVERIFY(!revoke->isEnabled());
        QVERIFY(revoke->toolTip().contains(QStringLiteral("Only administrators")));
        QVERIFY(window.devicesPage()->findChild<QPushButton *>(QStringLiteral("testPushButton"))->isEnabled());

        NotificationsPage *page = window.notificationsPage();
        window.tabs()->setCurrentWidget(page);
        QTRY_VERIFY_WITH_TIMEOUT(page->table()->view()->model()->rowCount() > 0, 10000);
        page->table()->view()->selectRow(0);
        auto *deliveries = page->detail()->findChild<QTreeWidget *>(QStringLiteral("deliveriesTree"));
        QTRY_VERIFY_WITH_TIMEOUT(deliveries->topLevelItemCount() >= 1, 10000);
        deliveries->topLevelItem(0)->setSelected(true);
        QPushButton *retry = page->detail()->findChild<QPushButton *>(QStringLiteral("retryButton"));
        QVERIFY(!retry->isEnabled());
        QVERIFY(retry->toolTip().contains(QStringLiteral("Only administrators")));
    }

    void presenceInChinese()
    {
        QVERIFY(m_language.apply(QStringLiteral("zh_CN")));
        m_window->tabs()->setCurrentWidget(m_window->devicesPage());
        QTRY_COMPARE(m_window->tabs()->tabText(m_window->tabs()->currentIndex()), QStringLiteral("设备"));
        QTRY_COMPARE_WITH_TIMEOUT(deviceCell(QStringLiteral("alice-phone"), DevicesModel::PresenceColumn), QStringLiteral("前台"), 10000);
        m_language.apply(QStringLiteral("en"));
    }

    void cleanupTestCase()
    {
        m_window.reset();
    }
};

int main(int argc, char *argv[])
{
    XvfbProcess xvfb;
    QString error;
    if (!xvfb.start(&error)) {
        fprintf(stderr, "FAIL: tst_consolelive needs Xvfb: %s\n", qPrintable(error));
        return 1;
    }
    qputenv("QT_QPA_PLATFORM", "xcb");
    qputenv("DISPLAY", xvfb.display().toLocal8Bit());
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/herald-test-bus");
    QTemporaryDir config;
    qputenv("XDG_CONFIG_HOME", config.path().toLocal8Bit());
    int rc = 1;
    {
        QApplication app(argc, argv);
        QApplication::setOrganizationName(QStringLiteral("HeraldTest"));
        QApplication::setApplicationName(QStringLiteral("tst_consolelive"));
        tst_ConsoleLive test;
        rc = QTest::qExec(&test, argc, argv);
    }
    xvfb.stop();
    return rc;
}

#include "tst_consolelive.moc"
