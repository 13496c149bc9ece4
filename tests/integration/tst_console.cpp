// herald-console's real widgets against a real herald-server, drawn by the xcb platform on a
// private Xvfb display: log in through the dialog, see accounts, create and disable a user through
// the UI (checked through the API), and a helpdesk login that cannot change anything.
#include "AdminClient.h"
#include "AuditPage.h"
#include "CredentialStore.h"
#include "CredentialsDialog.h"
#include "DevicesPage.h"
#include "HttpsClient.h"
#include "LoginDialog.h"
#include "MainWindow.h"
#include "ServerProcess.h"
#include "UsersPage.h"
#include "XvfbProcess.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDialogButtonBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace herald;
using namespace herald::test;

namespace {

template<typename T>
T *child(QObject *parent, const QString &name)
{
    T *found = parent->findChild<T *>(name);
    if (!found)
        qWarning("no child %s", qPrintable(name));
    return found;
}

QStringList column(QTableWidget *table, int col)
{
    QStringList values;
    for (int r = 0; r < table->rowCount(); ++r)
        values << (table->item(r, col) ? table->item(r, col)->text() : QString());
    return values;
}

void selectRow(QTableWidget *table, const QString &firstColumn)
{
    for (int r = 0; r < table->rowCount(); ++r) {
        if (table->item(r, 0) && table->item(r, 0)->text() == firstColumn) {
            table->selectRow(r);
            return;
        }
    }
    qWarning("no row %s", qPrintable(firstColumn));
}

} // namespace

class tst_Console : public QObject
{
    Q_OBJECT

private:
    ServerProcess m_server;
    std::unique_ptr<HttpsClient> m_api;
    QString m_adminPassword;
    QString m_adminToken; // for checks through the API, beside the console's own session
    QString m_pin;
    AdminClient m_adminClient;
    CredentialStore m_credentials;
    std::unique_ptr<MainWindow> m_window;

    // Fills the login dialog as an operator would and presses "Log in".
    void fillAndSubmit(LoginDialog &dialog, const QString &user, const QString &password, const QString &pin,
                       bool remember = false)
    {
        child<QLineEdit>(&dialog, QStringLiteral("serverUrl"))->setText(m_server.baseUrl());
        child<QComboBox>(&dialog, QStringLiteral("trustMode"))->setCurrentIndex(0);
        child<QLineEdit>(&dialog, QStringLiteral("trustValue"))->setText(pin);
        child<QLineEdit>(&dialog, QStringLiteral("username"))->setText(user);
        child<QLineEdit>(&dialog, QStringLiteral("password"))->setText(password);
        child<QCheckBox>(&dialog, QStringLiteral("remember"))->setChecked(remember);
        child<QPushButton>(&dialog, QStringLiteral("loginButton"))->click();
    }

    QJsonObject apiUser(const QString &name)
    {
        const auto reply = m_api->get(QStringLiteral("/admin/v1/users"), m_adminToken);
        for (const QJsonValue &v : reply.json().object().value(QStringLiteral("users")).toArray()) {
            if (v.toObject().value(QStringLiteral("name")).toString() == name)
                return v.toObject();
        }
        return {};
    }

    void screenshot(QWidget *widget, const QString &name)
    {
        // Set HERALD_CONSOLE_SCREENSHOTS=/some/dir to look at what the test saw.
        const QString dir = qEnvironmentVariable("HERALD_CONSOLE_SCREENSHOTS");
        if (!dir.isEmpty())
            QVERIFY(widget->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png")));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCOMPARE(QGuiApplication::platformName(), QStringLiteral("xcb"));
        QVERIFY(m_server.start());
        QFile file(m_server.dataDir() + QStringLiteral("/initial-admin-password"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        m_adminPassword = QString::fromUtf8(file.readAll()).trimmed();
        QVERIFY(m_server.addUser(QStringLiteral("alice"), QStringLiteral("alice-secret")));
        const QList<QSslCertificate> ca = m_server.caCertificates();
        QCOMPARE(ca.size(), 1);
        m_pin = QString::fromLatin1(ca.first().digest(QCryptographicHash::Sha256).toHex(':'));
        m_api = std::make_unique<HttpsClient>(m_server.baseUrl(), ca);
        const auto login = m_api->post(QStringLiteral("/admin/v1/login"),
                                       QJsonObject{{QStringLiteral("username"), QStringLiteral("admin")},
                                                   {QStringLiteral("password"), m_adminPassword}});
        QCOMPARE(login.status, 200);
        m_adminToken = login.json().object().value(QStringLiteral("token")).toString();
        QCOMPARE(m_api->post(QStringLiteral("/admin/v1/operators"),
                             QJsonObject{{QStringLiteral("username"), QStringLiteral("hugo")},
                                         {QStringLiteral("password"), QStringLiteral("hugo-helps")},
                                         {QStringLiteral("role"), QStringLiteral("helpdesk")}},
                             m_adminToken)
                     .status,
                 201);
        const QJsonObject device{{QStringLiteral("id"), QStringLiteral("alice-phone")},
                                 {QStringLiteral("platform"), QStringLiteral("android")},
                                 {QStringLiteral("pushToken"), QStringLiteral("fcm-token-1")},
                                 {QStringLiteral("name"), QStringLiteral("Pixel")}};
        QCOMPARE(m_api->post(QStringLiteral("/v1/register"),
                             QJsonObject{{QStringLiteral("username"), QStringLiteral("alice")},
                                         {QStringLiteral("password"), QStringLiteral("alice-secret")},
                                         {QStringLiteral("device"), device},
                                         {QStringLiteral("apps"), QJsonArray{QStringLiteral("mail")}}})
                     .status,
                 201);
    }

    void loginDialogRefusals()
    {
        AdminClient client;
        LoginDialog dialog(client, m_credentials);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QLabel *message = child<QLabel>(&dialog, QStringLiteral("message"));

        fillAndSubmit(dialog, QStringLiteral("admin"), QStringLiteral("wrong-password"), m_pin);
        QTRY_VERIFY_WITH_TIMEOUT(message->text().contains(QStringLiteral("wrong password")), 10000);
        QVERIFY(dialog.isVisible());
        QVERIFY(!client.isLoggedIn());

        // A pin that is not the server's: refused before the password is ever sent.
        const QString otherPin = QString(QStringLiteral("00")).repeated(32);
        fillAndSubmit(dialog, QStringLiteral("admin"), m_adminPassword, otherPin);
        QTRY_VERIFY_WITH_TIMEOUT(message->text().contains(QStringLiteral("does not match the pinned fingerprint")), 10000);
        QVERIFY(!client.isLoggedIn());

        fillAndSubmit(dialog, QStringLiteral("admin"), m_adminPassword, QStringLiteral("not-hex"));
        QVERIFY(message->text().contains(QStringLiteral("64 hexadecimal digits")));
        child<QLineEdit>(&dialog, QStringLiteral("serverUrl"))->setText(QStringLiteral("http://127.0.0.1:1"));
        child<QPushButton>(&dialog, QStringLiteral("loginButton"))->click();
        QVERIFY(message->text().contains(QStringLiteral("https://")));
        QVERIFY(dialog.isVisible());
    }

    void adminLogsIn()
    {
        LoginDialog dialog(m_adminClient, m_credentials);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        screenshot(&dialog, QStringLiteral("login"));
        fillAndSubmit(dialog, QStringLiteral("admin"), m_adminPassword, m_pin, true);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 15000);
        QVERIFY(m_adminClient.isLoggedIn());
        QVERIFY(m_adminClient.isAdmin());
        // There is no keychain service here: the dialog says so and remembers nothing.
        QVERIFY2(dialog.keychainMessage().contains(QStringLiteral("not remembered")), qPrintable(dialog.keychainMessage()));
        QSettings settings;
        QCOMPARE(settings.value(QStringLiteral("login/remember")).toBool(), false);
        QCOMPARE(settings.value(QStringLiteral("login/operator")).toString(), QStringLiteral("admin"));
        settings.sync();
        QFile settingsFile(settings.fileName());
        QVERIFY(settingsFile.open(QIODevice::ReadOnly));
        QVERIFY(!settingsFile.readAll().contains(m_adminPassword.toUtf8()));
    }

    void usersTableShowsAccounts()
    {
        m_window = std::make_unique<MainWindow>(m_adminClient);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTableWidget *table = child<QTableWidget>(m_window->usersPage(), QStringLiteral("usersTable"));
        QTRY_COMPARE_WITH_TIMEOUT(column(table, 0), QStringList{QStringLiteral("alice")}, 10000);
        QCOMPARE(table->item(0, 2)->text(), QStringLiteral("1")); // one device
        QStringList tabs;
        for (int i = 0; i < m_window->tabs()->count(); ++i)
            tabs << m_window->tabs()->tabText(i);
        QCOMPARE(tabs, (QStringList{QStringLiteral("Users"), QStringLiteral("Devices"), QStringLiteral("Operators"),
                                    QStringLiteral("Audit log")}));
        QVERIFY(child<QPushButton>(m_window->usersPage(), QStringLiteral("newUserButton"))->isEnabled());
    }

    void createUserThroughUi()
    {
        UsersPage *page = m_window->usersPage();
        child<QPushButton>(page, QStringLiteral("newUserButton"))->click();
        CredentialsDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = page->findChild<CredentialsDialog *>()) && dialog->isVisible());
        child<QLineEdit>(dialog, QStringLiteral("newName"))->setText(QStringLiteral("carol"));
        child<QLineEdit>(dialog, QStringLiteral("newPassword"))->setText(QStringLiteral("carol-password"));
        child<QLineEdit>(dialog, QStringLiteral("confirmPassword"))->setText(QStringLiteral("carol-passw0rd"));
        QDialogButtonBox *buttons = dialog->findChild<QDialogButtonBox *>();
        buttons->button(QDialogButtonBox::Ok)->click();
        // Mismatch: caught in the dialog, nothing sent.
        QVERIFY(child<QLabel>(dialog, QStringLiteral("message"))->text().contains(QStringLiteral("differ")));
        QVERIFY(apiUser(QStringLiteral("carol")).isEmpty());

        child<QLineEdit>(dialog, QStringLiteral("confirmPassword"))->setText(QStringLiteral("carol-password"));
        screenshot(dialog, QStringLiteral("new-user"));
        buttons->button(QDialogButtonBox::Ok)->click();
        QTableWidget *table = child<QTableWidget>(page, QStringLiteral("usersTable"));
        QTRY_COMPARE_WITH_TIMEOUT(column(table, 0), (QStringList{QStringLiteral("alice"), QStringLiteral("carol")}), 10000);
        QTRY_VERIFY(page->findChild<CredentialsDialog *>() == nullptr); // closed and deleted

        // The server really has carol, with the password typed into the dialog.
        QCOMPARE(apiUser(QStringLiteral("carol")).value(QStringLiteral("disabled")).toBool(true), false);
        const QJsonObject device{{QStringLiteral("id"), QStringLiteral("carol-pc")},
                                 {QStringLiteral("platform"), QStringLiteral("desktop")}};
        QCOMPARE(m_api->post(QStringLiteral("/v1/register"),
                             QJsonObject{{QStringLiteral("username"), QStringLiteral("carol")},
                                         {QStringLiteral("password"), QStringLiteral("carol-password")},
                                         {QStringLiteral("device"), device}})
                     .status,
                 201);

        // A second "carol" is refused by the server; the dialog shows why and stays open.
        child<QPushButton>(page, QStringLiteral("newUserButton"))->click();
        QTRY_VERIFY((dialog = page->findChild<CredentialsDialog *>()) && dialog->isVisible());
        child<QLineEdit>(dialog, QStringLiteral("newName"))->setText(QStringLiteral("carol"));
        child<QLineEdit>(dialog, QStringLiteral("newPassword"))->setText(QStringLiteral("another-one"));
        child<QLineEdit>(dialog, QStringLiteral("confirmPassword"))->setText(QStringLiteral("another-one"));
        dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QTRY_VERIFY_WITH_TIMEOUT(child<QLabel>(dialog, QStringLiteral("message"))->text().contains(QStringLiteral("already exists")), 10000);
        dialog->reject();
    }

    void disableAndEnableThroughUi()
    {
        UsersPage *page = m_window->usersPage();
        QTableWidget *table = child<QTableWidget>(page, QStringLiteral("usersTable"));
        selectRow(table, QStringLiteral("carol"));
        QPushButton *disable = child<QPushButton>(page, QStringLiteral("disableButton"));
        QPushButton *enable = child<QPushButton>(page, QStringLiteral("enableButton"));
        QVERIFY(disable->isEnabled());
        QVERIFY(!enable->isEnabled());
        disable->click();
        QTRY_COMPARE_WITH_TIMEOUT(apiUser(QStringLiteral("carol")).value(QStringLiteral("disabled")).toBool(), true, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(column(table, 1).contains(QStringLiteral("Disabled")), 10000);
        QCOMPARE(page->selectedUser(), QStringLiteral("carol")); // the refresh kept the selection
        QTRY_VERIFY(enable->isEnabled());
        enable->click();
        QTRY_COMPARE_WITH_TIMEOUT(apiUser(QStringLiteral("carol")).value(QStringLiteral("disabled")).toBool(true), false, 10000);
    }

    void resetPasswordThroughUi()
    {
        UsersPage *page = m_window->usersPage();
        selectRow(child<QTableWidget>(page, QStringLiteral("usersTable")), QStringLiteral("carol"));
        child<QPushButton>(page, QStringLiteral("resetPasswordButton"))->click();
        CredentialsDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = page->findChild<CredentialsDialog *>()) && dialog->isVisible());
        QVERIFY(!dialog->findChild<QLineEdit *>(QStringLiteral("newName"))); // only a password is asked
        child<QLineEdit>(dialog, QStringLiteral("newPassword"))->setText(QStringLiteral("short"));
        child<QLineEdit>(dialog, QStringLiteral("confirmPassword"))->setText(QStringLiteral("short"));
        dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(child<QLabel>(dialog, QStringLiteral("message"))->text().contains(QStringLiteral("at least 8")));
        child<QLineEdit>(dialog, QStringLiteral("newPassword"))->setText(QStringLiteral("carol-second"));
        child<QLineEdit>(dialog, QStringLiteral("confirmPassword"))->setText(QStringLiteral("carol-second"));
        dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        QTRY_VERIFY_WITH_TIMEOUT(page->findChild<CredentialsDialog *>() == nullptr, 10000);
        // The new password works on the terminal API, the old one no longer does.
        const QJsonObject device{{QStringLiteral("id"), QStringLiteral("carol-pc")},
                                 {QStringLiteral("platform"), QStringLiteral("desktop")}};
        auto registerWith = [&](const QString &password) {
            return m_api->post(QStringLiteral("/v1/register"),
                               QJsonObject{{QStringLiteral("username"), QStringLiteral("carol")},
                                           {QStringLiteral("password"), password},
                                           {QStringLiteral("device"), device}})
                .status;
        };
        QCOMPARE(registerWith(QStringLiteral("carol-password")), 401);
        QCOMPARE(registerWith(QStringLiteral("carol-second")), 201);
    }

    void revokeThroughUi()
    {
        QTableWidget *users = child<QTableWidget>(m_window->usersPage(), QStringLiteral("usersTable"));
        selectRow(users, QStringLiteral("carol"));
        m_window->tabs()->setCurrentWidget(m_window->devicesPage());
        DevicesPage *page = m_window->devicesPage();
        QTableWidget *devices = child<QTableWidget>(page, QStringLiteral("devicesTable"));
        QTRY_COMPARE_WITH_TIMEOUT(column(devices, 0), QStringList{QStringLiteral("carol-pc")}, 10000);
        devices->selectRow(0);
        QPushButton *revoke = child<QPushButton>(page, QStringLiteral("revokeButton"));
        QVERIFY(revoke->isEnabled());
        revoke->click();
        QMessageBox *confirm = nullptr;
        QTRY_VERIFY((confirm = page->findChild<QMessageBox *>()) && confirm->isVisible());
        confirm->button(QMessageBox::Yes)->click();
        QTRY_COMPARE_WITH_TIMEOUT(devices->rowCount(), 0, 10000);
        const auto reply = m_api->get(QStringLiteral("/admin/v1/devices?user=carol"), m_adminToken);
        QCOMPARE(reply.json().object().value(QStringLiteral("devices")).toArray().size(), 0);
        m_window->tabs()->setCurrentWidget(m_window->usersPage());
    }

    void devicesOfSelectedUser()
    {
        QTableWidget *users = child<QTableWidget>(m_window->usersPage(), QStringLiteral("usersTable"));
        selectRow(users, QStringLiteral("alice"));
        m_window->tabs()->setCurrentWidget(m_window->devicesPage());
        QTableWidget *devices = child<QTableWidget>(m_window->devicesPage(), QStringLiteral("devicesTable"));
        QTRY_COMPARE_WITH_TIMEOUT(column(devices, 0), QStringList{QStringLiteral("alice-phone")}, 10000);
        QCOMPARE(devices->item(0, 1)->text(), QStringLiteral("Pixel"));
        QCOMPARE(devices->item(0, 2)->text(), QStringLiteral("android"));
        QCOMPARE(devices->item(0, 5)->text(), QStringLiteral("mail"));
        screenshot(m_window.get(), QStringLiteral("devices"));
    }

    void auditShowsTheUiActions()
    {
        m_window->tabs()->setCurrentWidget(m_window->auditPage());
        QTableWidget *audit = child<QTableWidget>(m_window->auditPage(), QStringLiteral("auditTable"));
        QTRY_VERIFY_WITH_TIMEOUT(column(audit, 2).contains(QStringLiteral("user.create")), 10000);
        QVERIFY(column(audit, 2).contains(QStringLiteral("user.disable")));
        QVERIFY(column(audit, 2).contains(QStringLiteral("user.password")));
        QVERIFY(column(audit, 2).contains(QStringLiteral("device.revoke")));
        QVERIFY(column(audit, 3).contains(QStringLiteral("carol")));
        m_window->tabs()->setCurrentWidget(m_window->usersPage());
        screenshot(m_window.get(), QStringLiteral("users"));
    }

    void helpdeskCannotWrite()
    {
        AdminClient client;
        LoginDialog dialog(client, m_credentials);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        fillAndSubmit(dialog, QStringLiteral("hugo"), QStringLiteral("hugo-helps"), m_pin);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 15000);
        QVERIFY(!client.isAdmin());
        QCOMPARE(client.role(), QStringLiteral("helpdesk"));

        MainWindow window(client);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        UsersPage *page = window.usersPage();
        QTableWidget *table = child<QTableWidget>(page, QStringLiteral("usersTable"));
        QTRY_COMPARE_WITH_TIMEOUT(column(table, 0), (QStringList{QStringLiteral("alice"), QStringLiteral("carol")}), 10000);
        selectRow(table, QStringLiteral("alice"));
        for (const QString &name : {QStringLiteral("newUserButton"), QStringLiteral("disableButton"),
                                    QStringLiteral("enableButton"), QStringLiteral("resetPasswordButton")})
            QVERIFY2(!child<QPushButton>(page, name)->isEnabled(), qPrintable(name));
        QVERIFY(child<QPushButton>(page, QStringLiteral("refreshButton"))->isEnabled());
        for (int i = 0; i < window.tabs()->count(); ++i)
            QVERIFY(window.tabs()->tabText(i) != QLatin1String("Operators"));
        window.tabs()->setCurrentWidget(window.devicesPage());
        QTableWidget *devices = child<QTableWidget>(window.devicesPage(), QStringLiteral("devicesTable"));
        QTRY_COMPARE_WITH_TIMEOUT(devices->rowCount(), 1, 10000);
        devices->selectRow(0);
        QVERIFY(!child<QPushButton>(window.devicesPage(), QStringLiteral("revokeButton"))->isEnabled());
        screenshot(&window, QStringLiteral("helpdesk"));
    }

    void cleanupTestCase()
    {
        m_window.reset();
        QCOMPARE(m_server.stop(), 0);
    }
};

int main(int argc, char *argv[])
{
    // A real X server, not the offscreen plugin CTest sets for the other tests.
    XvfbProcess xvfb;
    QString error;
    if (!xvfb.start(&error)) {
        fprintf(stderr, "FAIL: tst_console needs Xvfb: %s\n", qPrintable(error));
        return 1;
    }
    qputenv("QT_QPA_PLATFORM", "xcb");
    qputenv("DISPLAY", xvfb.display().toLocal8Bit());
    // No session bus: QtKeychain finds no keychain service (deterministic, and never the real one).
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/herald-test-bus");
    // Settings go to a throw-away folder, never the developer's own.
    QTemporaryDir config;
    qputenv("XDG_CONFIG_HOME", config.path().toLocal8Bit());
    int rc = 1;
    {
        QApplication app(argc, argv);
        QApplication::setOrganizationName(QStringLiteral("HeraldTest"));
        QApplication::setApplicationName(QStringLiteral("tst_console"));
        tst_Console test;
        rc = QTest::qExec(&test, argc, argv);
    }
    xvfb.stop();
    return rc;
}

#include "tst_console.moc"
