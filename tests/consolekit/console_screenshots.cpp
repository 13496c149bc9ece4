// console-screenshots OUT_DIR: starts a herald-server with demo data (ConsoleDemo) and a private
// Xvfb, logs the console in through the trust-on-first-use prompt, and writes a PNG of every tab
// and of the test-push dialog with its verdict, in English and in Simplified Chinese, plus the
// Devices tab under a dark palette. Used by scripts/screenshots.sh.
#include "AdminClient.h"
#include "ConsoleDemo.h"
#include "ConsoleTestKit.h"
#include "CredentialStore.h"
#include "DashboardPage.h"
#include "DevicesPage.h"
#include "EntityTable.h"
#include "Language.h"
#include "LoginDialog.h"
#include "MainWindow.h"
#include "NotificationsPage.h"
#include "TestPushDialog.h"
#include "XvfbProcess.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QMessageBox>
#include <QPushButton>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace herald;
using namespace herald::test;

namespace {

bool waitFor(const std::function<bool()> &done, int timeoutMs = 15000)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (done())
            return true;
        QTest::qWait(25);
    }
    return done();
}

class Shooter
{
public:
    Shooter(const QString &dir)
        : m_dir(dir)
    {
    }
    bool shoot(QWidget *widget, const QString &name)
    {
        QTest::qWait(150); // let repaints that follow the last answer land before grabbing
        const QString path = QDir(m_dir).filePath(name + QStringLiteral(".png"));
        if (!widget->grab().save(path)) {
            fprintf(stderr, "screenshots: cannot write %s\n", qPrintable(path));
            return false;
        }
        printf("%s\n", qPrintable(path));
        return true;
    }

private:
    QString m_dir;
};

int run(const QString &outDir)
{
    ConsoleDemo demo;
    QString error;
    if (!demo.start(&error) || !demo.populate(&error)) {
        fprintf(stderr, "screenshots: %s\n", qPrintable(error));
        return 1;
    }
    Shooter shooter(outDir);
    Language language;
    AdminClient client;
    CredentialStore credentials;
    language.apply(QStringLiteral("en"));
    {
        LoginDialog dialog(client, credentials);
        dialog.show();
        ConsoleTestKit::fill(dialog, demo.baseUrl(), QStringLiteral("admin"), demo.adminPassword());
        QMessageBox *prompt = nullptr;
        if (!waitFor([&] { return (prompt = dialog.findChild<QMessageBox *>(QStringLiteral("trustPrompt"))) && prompt->isVisible(); })) {
            fprintf(stderr, "screenshots: no trust prompt\n");
            return 1;
        }
        shooter.shoot(prompt, QStringLiteral("en-00-trust-prompt"));
        prompt->findChild<QPushButton *>(QStringLiteral("trustButton"))->click();
        if (!waitFor([&] { return dialog.result() == QDialog::Accepted; })) {
            fprintf(stderr, "screenshots: login failed\n");
            return 1;
        }
    }
    MainWindow window(client, language);
    window.resize(1200, 720);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        fprintf(stderr, "screenshots: the window was not shown\n");
    const QStringList names{QStringLiteral("dashboard"), QStringLiteral("users"), QStringLiteral("devices"),
                            QStringLiteral("notifications"), QStringLiteral("sources"), QStringLiteral("cluster"),
                            QStringLiteral("operators"), QStringLiteral("audit")};
    int failures = 0;
    for (const QString &code : {QStringLiteral("en"), QStringLiteral("zh_CN")}) {
        language.apply(code);
        const QString prefix = code == QLatin1String("en") ? QStringLiteral("en") : QStringLiteral("zh");
        for (int i = 0; i < window.tabs()->count(); ++i) {
            window.tabs()->setCurrentIndex(i);
            // The tab reloads when shown; wait for its answers (and any page it fetches next).
            waitFor([&] { return !client.isBusy(); });
            if (window.tabs()->currentWidget() == window.notificationsPage()) {
                // Show the detail pane of a failed notification.
                NotificationsPage *page = window.notificationsPage();
                QTableView *view = page->table()->view();
                for (int r = 0; r < view->model()->rowCount(); ++r) {
                    if (view->model()->index(r, 3).data().toString() == QCoreApplication::translate("herald::ConsoleFormat", "failed")) {
                        view->selectRow(r);
                        break;
                    }
                }
                waitFor([&] { return !client.isBusy(); });
            }
            failures += !shooter.shoot(&window, QStringLiteral("%1-%2-%3").arg(prefix).arg(i + 1, 2, 10, QLatin1Char('0')).arg(names.value(i)));
        }
        window.tabs()->setCurrentWidget(window.devicesPage());
        TestPushDialog *dialog = window.openTestPush(QStringLiteral("alice"), QStringLiteral("alice-iphone"));
        waitFor([&] { return !client.isBusy() && dialog->findChild<QPushButton *>(QStringLiteral("sendButton"))->isEnabled(); });
        dialog->findChild<QPushButton *>(QStringLiteral("sendButton"))->click();
        waitFor([&] { return !dialog->lastVerdict().isEmpty() || !client.isBusy(); }, 20000);
        failures += !shooter.shoot(dialog, QStringLiteral("%1-08-test-push").arg(prefix));
        dialog->close();
    }
    // The same console under a dark palette: every colour comes from it.
    language.apply(QStringLiteral("en"));
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::AlternateBase, QColor(0x33, 0x33, 0x33));
    dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3a));
    dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::Highlight, QColor(0x2f, 0x80, 0xed));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::Mid, QColor(0x55, 0x55, 0x55));
    QApplication::setPalette(dark);
    for (QWidget *page : {static_cast<QWidget *>(window.dashboardPage()), static_cast<QWidget *>(window.devicesPage())}) {
        window.tabs()->setCurrentWidget(page);
        waitFor([&] { return !client.isBusy(); });
        failures += !shooter.shoot(&window, QStringLiteral("dark-%1").arg(page == window.devicesPage() ? QStringLiteral("devices")
                                                                                                    : QStringLiteral("dashboard")));
    }
    return failures == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc != 2) {
        fprintf(stderr, "usage: console-screenshots OUT_DIR\n");
        return 2;
    }
    const QString outDir = QString::fromLocal8Bit(argv[1]);
    if (!QDir().mkpath(outDir)) {
        fprintf(stderr, "screenshots: cannot create %s\n", argv[1]);
        return 1;
    }
    XvfbProcess xvfb;
    QString error;
    if (!xvfb.start(&error)) {
        fprintf(stderr, "screenshots: needs Xvfb: %s\n", qPrintable(error));
        return 1;
    }
    qputenv("QT_QPA_PLATFORM", "xcb");
    qputenv("DISPLAY", xvfb.display().toLocal8Bit());
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/herald-screenshots-bus");
    QTemporaryDir config; // never the user's own console settings
    qputenv("XDG_CONFIG_HOME", config.path().toLocal8Bit());
    int rc = 1;
    {
        QApplication app(argc, argv);
        QApplication::setOrganizationName(QStringLiteral("HeraldScreenshots"));
        QApplication::setApplicationName(QStringLiteral("console-screenshots"));
        rc = run(outDir);
    }
    xvfb.stop();
    return rc;
}
