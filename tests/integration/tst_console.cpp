// herald-console's real widgets against a real herald-server, drawn by the xcb platform on a
// private Xvfb display: connect through the trust-on-first-use prompt (and be refused when the
// certificate changes; a CA-signed one needs no prompt), see accounts, create, disable and reset a user through the UI (checked
// through the API), a helpdesk login that finds every admin action disabled with a reason, and the
// language switched to Chinese while the window is open. Only calls that main already serves are
// used here; tst_consolelive covers the live feed, devices, notifications and test pushes.
#include "AdminClient.h"
#include "AuditPage.h"
#include "ConsoleTestKit.h"
#include "CredentialStore.h"
#include "CredentialsDialog.h"
#include "EntityTable.h"
#include "HttpsClient.h"
#include "KnownServers.h"
#include "Language.h"
#include "LoginDialog.h"
#include "MainWindow.h"
#include "MessageBar.h"
#include "ServerProcess.h"
#include "ServerTrust.h"
#include "TestPki.h"
#include "OperatorsPage.h"
#include "UsersModel.h"
#include "UsersPage.h"
#include "XvfbProcess.h"

#include <QApplication>
#include <QCheckBox>
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
#include <QTableView>
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

QStringList tabTexts(const QTabWidget *tabs)
{
    QStringList texts;
    for (int i = 0; i < tabs->count(); ++i)
        texts << tabs->tabText(i);
    return texts;
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
    QByteArray m_digest;
    QString m_fingerprint; // as the prompt shows it
    AdminClient m_adminClient;
    CredentialStore m_credentials;
    Language m_language;
    std::unique_ptr<MainWindow> m_window;

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

    QTableView *usersView() { return m_window->usersPage()->table()->view(); }

private Q_SLOTS:
    void initTestCase()
    {
        QCOMPARE(QGuiApplication::platformName(), QStringLiteral("xcb"));
        m_language.apply(QStringLiteral("en"));
        QVERIFY(m_server.start());
        QFile file(m_server.dataDir() + QStringLiteral("/initial-admin-password"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        m_adminPassword = QString::fromUtf8(file.readAll()).trimmed();
        QVERIFY(m_server.addUser(QStringLiteral("alice"), QStringLiteral("alice-secret")));
        const QList<QSslCertificate> ca = m_server.caCertificates();
        QCOMPARE(ca.size(), 1);
        m_digest = ServerTrust::fingerprint(ca.first());
        m_fingerprint = ServerTrust::formatFingerprint(m_digest);
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
    }

    void firstConnectionAsksAboutTheCertificate()
    {
        AdminClient client;
        LoginDialog dialog(client, m_credentials);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(KnownServers::pinFor(QUrl(m_server.baseUrl())).isEmpty());
        // Nothing asks for a fingerprint to be typed: the dialog has no such field.
        QCOMPARE(dialog.findChildren<QLineEdit *>().size(), 3);

        ConsoleTestKit::fill(dialog, m_server.baseUrl(), QStringLiteral("admin"), m_adminPassword);
        QMessageBox *prompt = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((prompt = dialog.findChild<QMessageBox *>(QStringLiteral("trustPrompt"))) &&
                                     prompt->isVisible(),
                                 10000);
        QVERIFY2(prompt->text().contains(m_fingerprint), qPrintable(prompt->text()));
        screenshot(prompt, QStringLiteral("trust-prompt"));
        // Declined: not logged in, nothing remembered, and the dialog says why.
        prompt->button(QMessageBox::Cancel)->click();
        QLabel *message = child<QLabel>(&dialog, QStringLiteral("message"));
        QTRY_VERIFY(message->text().contains(QStringLiteral("not accepted")));
        QVERIFY(!client.isLoggedIn());
        QVERIFY(KnownServers::pinFor(QUrl(m_server.baseUrl())).isEmpty());

        // Accepted, with a wrong password: the fingerprint is remembered, the password refused.
        ConsoleTestKit::fill(dialog, m_server.baseUrl(), QStringLiteral("admin"), QStringLiteral("wrong-password"));
        QTRY_VERIFY_WITH_TIMEOUT((prompt = dialog.findChild<QMessageBox *>(QStringLiteral("trustPrompt"))) &&
                                     prompt->isVisible(),
                                 10000);
        child<QPushButton>(prompt, QStringLiteral("trustButton"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(message->text().contains(QStringLiteral("wrong password")), 10000);
        QCOMPARE(KnownServers::pinFor(QUrl(m_server.baseUrl())), m_digest);
        QVERIFY(!client.isLoggedIn());

        // Once remembered, the next login does not ask again.
        ConsoleTestKit::fill(dialog, m_server.baseUrl(), QStringLiteral("admin"), m_adminPassword);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 10000);
        QVERIFY(client.isLoggedIn());
        client.logout();
    }

    void changedCertificateIsRefusedLoudly()
    {
        // Pretend the operator accepted another certificate for this server before.
        const QUrl server(m_server.baseUrl());
        KnownServers::remember(server, QByteArray(32, '\x42'));
        AdminClient client;
        LoginDialog dialog(client, m_credentials);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        ConsoleTestKit::fill(dialog, m_server.baseUrl(), QStringLiteral("admin"), m_adminPassword);
        QMessageBox *box = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((box = dialog.findChild<QMessageBox *>(QStringLiteral("certificateChanged"))) &&
                                     box->isVisible(),
                                 10000);
        QVERIFY(box->text().contains(QStringLiteral("has changed")));
        QVERIFY(box->text().contains(m_fingerprint)); // what it presents now
        QVERIFY(child<QLabel>(&dialog, QStringLiteral("message"))->text().contains(QStringLiteral("WARNING")));
        QVERIFY(!client.isLoggedIn());
        QVERIFY(dialog.findChild<QMessageBox *>(QStringLiteral("trustPrompt")) == nullptr); // no easy "yes"
        screenshot(box, QStringLiteral("certificate-changed"));
        // Forgetting is explicit; the next connection asks again.
        child<QPushButton>(box, QStringLiteral("forgetButton"))->click();
        QVERIFY(KnownServers::pinFor(server).isEmpty());

        child<QLineEdit>(&dialog, QStringLiteral("serverUrl"))->setText(QStringLiteral("http://127.0.0.1:1"));
        child<QPushButton>(&dialog, QStringLiteral("loginButton"))->click();
        QVERIFY(child<QLabel>(&dialog, QStringLiteral("message"))->text().contains(QStringLiteral("https://")));
    }

    void adminLogsIn()
    {
        LoginDialog dialog(m_adminClient, m_credentials);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        screenshot(&dialog, QStringLiteral("login"));
        child<QCheckBox>(&dialog, QStringLiteral("remember"))->setChecked(true);
        child<QLineEdit>(&dialog, QStringLiteral("serverUrl"))->setText(m_server.baseUrl());
        child<QLineEdit>(&dialog, QStringLiteral("username"))->setText(QStringLiteral("admin"));
        child<QLineEdit>(&dialog, QStringLiteral("password"))->setText(m_adminPassword);
        child<QPushButton>(&dialog, QStringLiteral("loginButton"))->click();
        QMessageBox *prompt = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((prompt = dialog.findChild<QMessageBox *>(QStringLiteral("trustPrompt"))) &&
                                     prompt->isVisible(),
                                 10000);
        child<QPushButton>(prompt, QStringLiteral("trustButton"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 15000);
        QVERIFY(m_adminClient.isAdmin());
        // There is no keychain service here: the dialog says so and remembers nothing.
        QVERIFY2(dialog.keychainMessage().contains(QStringLiteral("not remembered")), qPrintable(dialog.keychainMessage()));
        QSettings settings;
        QCOMPARE(settings.value(QStringLiteral("login/remember")).toBool(), false);
        QCOMPARE(settings.value(QStringLiteral("login/operator")).toString(), QStringLiteral("admin"));
        QCOMPARE(settings.value(QStringLiteral("login/server")).toString(), m_server.baseUrl());
        settings.sync();
        QFile settingsFile(settings.fileName());
        QVERIFY(settingsFile.open(QIODevice::ReadOnly));
        QVERIFY(!settingsFile.readAll().contains(m_adminPassword.toUtf8()));

        // The next dialog starts with the server and operator filled in.
        LoginDialog again(m_adminClient, m_credentials);
        QCOMPARE(child<QLineEdit>(&again, QStringLiteral("serverUrl"))->text(), m_server.baseUrl());
        QCOMPARE(child<QLineEdit>(&again, QStringLiteral("username"))->text(), QStringLiteral("admin"));
    }

    void usersTableShowsAccounts()
    {
        m_window = std::make_unique<MainWindow>(m_adminClient, m_language);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->tabs()->setCurrentWidget(m_window->usersPage());
        QTRY_COMPARE_WITH_TIMEOUT(ConsoleTestKit::column(usersView(), 0), QStringList{QStringLiteral("alice")}, 10000);
        QCOMPARE(ConsoleTestKit::column(usersView(), 2), QStringList{QStringLiteral("0")}); // no devices
        QCOMPARE(tabTexts(m_window->tabs()),
                 (QStringList{QStringLiteral("Dashboard"), QStringLiteral("Users"), QStringLiteral("Devices"),
                              QStringLiteral("Notifications"), QStringLiteral("Sources && monitors"),
                              QStringLiteral("Cluster"), QStringLiteral("Operators"), QStringLiteral("Audit log")}));
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
        buttons->button(QDialogButtonBox::Ok)->click();
        QTRY_COMPARE_WITH_TIMEOUT(ConsoleTestKit::column(usersView(), 0),
                                  (QStringList{QStringLiteral("alice"), QStringLiteral("carol")}), 10000);
        QTRY_VERIFY(page->findChild<CredentialsDialog *>() == nullptr); // closed and deleted
        QVERIFY(m_window->messageBar()->text().contains(QStringLiteral("Created user carol")));
        QCOMPARE(apiUser(QStringLiteral("carol")).value(QStringLiteral("disabled")).toBool(true), false);

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

    void searchFiltersTheLoadedRows()
    {
        EntityTable *table = m_window->usersPage()->table();
        table->searchField()->setText(QStringLiteral("CAR"));
        QCOMPARE(ConsoleTestKit::column(table->view(), 0), QStringList{QStringLiteral("carol")});
        table->searchField()->clear();
        QCOMPARE(ConsoleTestKit::column(table->view(), 0).size(), 2);
    }

    void disableAUserAsAdmin()
    {
        UsersPage *page = m_window->usersPage();
        QVERIFY(page->table()->selectKey(QStringLiteral("carol")));
        QPushButton *disable = child<QPushButton>(page, QStringLiteral("disableButton"));
        QPushButton *enable = child<QPushButton>(page, QStringLiteral("enableButton"));
        QVERIFY(disable->isEnabled());
        QVERIFY(!enable->isEnabled());
        disable->click();
        QTRY_COMPARE_WITH_TIMEOUT(apiUser(QStringLiteral("carol")).value(QStringLiteral("disabled")).toBool(), true, 10000);
        // The row changes in place from the server's answer, and stays selected.
        QTRY_COMPARE_WITH_TIMEOUT(ConsoleTestKit::cell(page->table(), QStringLiteral("carol"), 1), QStringLiteral("Disabled"), 10000);
        QCOMPARE(page->selectedUser(), QStringLiteral("carol"));
        QTRY_VERIFY(enable->isEnabled());
        QVERIFY(!disable->isEnabled());
        enable->click();
        QTRY_COMPARE_WITH_TIMEOUT(apiUser(QStringLiteral("carol")).value(QStringLiteral("disabled")).toBool(true), false, 10000);
    }

    void resetPasswordThroughUi()
    {
        UsersPage *page = m_window->usersPage();
        QVERIFY(page->table()->selectKey(QStringLiteral("carol")));
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

    void apiErrorsReachTheMessageBar()
    {
        // A row the server no longer knows (as after a deletion behind the console's back): the
        // server's 404 and its words reach the message bar.
        UsersPage *page = m_window->usersPage();
        QJsonObject ghost{{QStringLiteral("name"), QStringLiteral("ghost")},
                          {QStringLiteral("disabled"), false},
                          {QStringLiteral("deviceCount"), 0}};
        page->model()->upsert(ghost, true);
        QVERIFY(page->table()->selectKey(QStringLiteral("ghost")));
        child<QPushButton>(page, QStringLiteral("disableButton"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->messageBar()->text().contains(QStringLiteral("no account named 'ghost'")), 10000);
        QVERIFY(m_window->messageBar()->isError());
        page->refresh();
        QTRY_COMPARE_WITH_TIMEOUT(ConsoleTestKit::column(usersView(), 0).size(), 2, 10000);
    }

    void auditFilters()
    {
        m_window->tabs()->setCurrentWidget(m_window->auditPage());
        QTableView *audit = m_window->auditPage()->table()->view();
        QTRY_VERIFY_WITH_TIMEOUT(ConsoleTestKit::column(audit, 2).contains(QStringLiteral("user.create")), 10000);
        QVERIFY(ConsoleTestKit::column(audit, 2).contains(QStringLiteral("user.disable")));
        QVERIFY(ConsoleTestKit::column(audit, 2).contains(QStringLiteral("user.password")));
        QVERIFY(ConsoleTestKit::column(audit, 3).contains(QStringLiteral("carol")));
        screenshot(m_window.get(), QStringLiteral("audit"));
    }

    void helpdeskFindsAdminActionsDisabled()
    {
        AdminClient client;
        LoginDialog dialog(client, m_credentials);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QString why;
        QVERIFY2(ConsoleTestKit::logIn(dialog, m_server.baseUrl(), QStringLiteral("hugo"), QStringLiteral("hugo-helps"), {}, &why),
                 qPrintable(why));
        QCOMPARE(client.role(), QStringLiteral("helpdesk"));

        MainWindow window(client, m_language);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.tabs()->setCurrentWidget(window.usersPage());
        UsersPage *page = window.usersPage();
        QTRY_COMPARE_WITH_TIMEOUT(ConsoleTestKit::column(page->table()->view(), 0),
                                  (QStringList{QStringLiteral("alice"), QStringLiteral("carol")}), 10000);
        QVERIFY(page->table()->selectKey(QStringLiteral("alice")));
        for (const QString &name : {QStringLiteral("newUserButton"), QStringLiteral("disableButton"),
                                    QStringLiteral("enableButton"), QStringLiteral("resetPasswordButton")}) {
            QPushButton *button = child<QPushButton>(page, name);
            QVERIFY2(!button->isEnabled(), qPrintable(name));
            QVERIFY2(button->toolTip().contains(QStringLiteral("Only administrators")), qPrintable(button->toolTip()));
        }
        QVERIFY(child<QPushButton>(page, QStringLiteral("refreshButton"))->isEnabled());
        const int operators = window.tabs()->indexOf(window.operatorsPage());
        QVERIFY(!window.tabs()->isTabEnabled(operators));
        QVERIFY(window.tabs()->tabToolTip(operators).contains(QStringLiteral("helpdesk role")));
        screenshot(&window, QStringLiteral("helpdesk"));
    }

    void switchToChineseAndBack()
    {
        QVERIFY(m_language.apply(QStringLiteral("zh_CN")));
        QTRY_COMPARE(m_window->tabs()->tabText(0), QStringLiteral("仪表盘"));
        QCOMPARE(tabTexts(m_window->tabs()),
                 (QStringList{QStringLiteral("仪表盘"), QStringLiteral("用户"), QStringLiteral("设备"), QStringLiteral("通知"),
                              QStringLiteral("来源与监视器"), QStringLiteral("集群"), QStringLiteral("操作员"),
                              QStringLiteral("审计日志")}));
        // Pages and models follow: a button and a column header of the Users tab.
        QCOMPARE(child<QPushButton>(m_window->usersPage(), QStringLiteral("newUserButton"))->text(), QStringLiteral("新建用户…"));
        QCOMPARE(m_window->usersPage()->model()->headerData(0, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("名称"));
        QCOMPARE(QSettings().value(QStringLiteral("language")).toString(), QStringLiteral("zh_CN"));
        m_window->tabs()->setCurrentWidget(m_window->usersPage());
        screenshot(m_window.get(), QStringLiteral("users-zh"));

        // The menu does the same, and the choice is remembered for the next start.
        QAction *english = m_window->findChild<QAction *>(QStringLiteral("language_en"));
        QVERIFY(english);
        english->trigger();
        QTRY_COMPARE(m_window->tabs()->tabText(0), QStringLiteral("Dashboard"));
        QCOMPARE(QSettings().value(QStringLiteral("language")).toString(), QStringLiteral("en"));
    }

    void caSignedCertificateNeedsNoPrompt()
    {
        // A second server whose certificate a CA in the "system store" vouches for (the test's own
        // CA, added to Qt's default configuration the way the OS store would be).
        const standin::TestPki::Certificate tls = standin::TestPki::selfSigned();
        QTemporaryDir keys;
        const QString cert = keys.filePath(QStringLiteral("cert.pem"));
        const QString key = keys.filePath(QStringLiteral("key.pem"));
        for (const auto &[path, data] : {std::pair{cert, tls.certPem}, std::pair{key, tls.keyPem}}) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(data);
        }
        ServerProcess server;
        QVERIFY(server.start({QStringLiteral("--tls-cert"), cert, QStringLiteral("--tls-key"), key}));
        QFile file(server.dataDir() + QStringLiteral("/initial-admin-password"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString password = QString::fromUtf8(file.readAll()).trimmed();
        const QSslConfiguration original = QSslConfiguration::defaultConfiguration();
        QSslConfiguration withCa = original;
        withCa.addCaCertificates(QSslCertificate::fromData(tls.certPem));
        QSslConfiguration::setDefaultConfiguration(withCa);

        AdminClient client;
        LoginDialog dialog(client, m_credentials);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        ConsoleTestKit::fill(dialog, server.baseUrl(), QStringLiteral("admin"), password);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 10000);
        QVERIFY(dialog.findChild<QMessageBox *>(QStringLiteral("trustPrompt")) == nullptr); // never asked
        QVERIFY(KnownServers::pinFor(QUrl(server.baseUrl())).isEmpty());                 // nothing to remember
        client.logout();
        QSslConfiguration::setDefaultConfiguration(original);
        QCOMPARE(server.stop(), 0);
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
