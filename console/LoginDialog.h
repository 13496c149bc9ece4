#pragma once

#include <QDialog>

class QCheckBox;
class QSslCertificate;
class QUrl;
class QLabel;
class QLineEdit;
class QPushButton;

namespace herald {

class AdminClient;
class CredentialStore;

// Asks for the server and the operator's credentials, then logs in through AdminClient. The
// server's certificate is trusted like SSH host keys: a CA-signed one through the system store; a
// self-signed one after the operator accepted its SHA-256 fingerprint once (remembered per server,
// KnownServers); a remembered server presenting another certificate is refused loudly. Settings
// (not the password) are remembered in QSettings; the password only in the OS keychain, and only
// when asked to.
class LoginDialog : public QDialog
{
    Q_OBJECT
public:
    LoginDialog(AdminClient &client, CredentialStore &credentials, QWidget *parent = nullptr);

    // Why "remember" could not be honoured (e.g. no keychain service), to show after login.
    QString keychainMessage() const { return m_keychainMessage; }

private:
    void attemptLogin();
    void loggedIn();
    void showError(const QString &message);
    void askTrust(const QUrl &server, const QSslCertificate &certificate);
    void refuseChanged(const QUrl &server, const QString &message);
    void loadSettings();
    void saveSettings(bool remember);

    AdminClient &m_client;
    CredentialStore &m_credentials;
    QLineEdit *m_serverUrl;
    QLineEdit *m_username;
    QLineEdit *m_password;
    QCheckBox *m_remember;
    QLabel *m_message;
    QPushButton *m_loginButton;
    QString m_keychainMessage;
};

} // namespace herald
