// herald-console: the Qt Widgets admin console. Talks only to the admin API (/admin/v1).
#include "AdminClient.h"
#include "CredentialStore.h"
#include "LoginDialog.h"
#include "MainWindow.h"

#include <QApplication>
#include <QEventLoop>
#include <QTimer>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include "HeraldVersion.h"

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Herald"));
    QApplication::setApplicationName(QStringLiteral("herald-console"));
    QApplication::setApplicationVersion(QStringLiteral(HERALD_VERSION_STRING));

    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                          QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("herald_console"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

    herald::AdminClient client;
    herald::CredentialStore credentials;
    herald::LoginDialog login(client, credentials);
    if (login.exec() != QDialog::Accepted)
        return 0;
    herald::MainWindow window(client);
    if (!login.keychainMessage().isEmpty())
        window.showNotice(login.keychainMessage());
    window.show();
    const int rc = QApplication::exec();
    // End the session on the server too, so the token is dead even before it expires; bounded wait.
    QEventLoop loop;
    QTimer::singleShot(2000, &loop, &QEventLoop::quit);
    client.logout([&loop] { loop.quit(); });
    loop.exec();
    return rc;
}
