// herald-console: the Qt Widgets admin console. Talks only to the admin API (/admin/v1).
#include "AdminClient.h"
#include "CredentialStore.h"
#include "Language.h"
#include "LoginDialog.h"
#include "MainWindow.h"

#include <QApplication>
#include <QEventLoop>
#include <QTimer>

#include "HeraldVersion.h"

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Herald"));
    QApplication::setApplicationName(QStringLiteral("herald-console"));
    QApplication::setApplicationVersion(QStringLiteral(HERALD_VERSION_STRING));

    // The remembered language (or the system's), switchable later from the Language menu.
    herald::Language language;
    language.applySaved();

    herald::AdminClient client;
    herald::CredentialStore credentials;
    herald::LoginDialog login(client, credentials);
    if (login.exec() != QDialog::Accepted)
        return 0;
    herald::MainWindow window(client, language);
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
