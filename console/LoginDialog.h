#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace herald {

class AdminClient;
class CredentialStore;

// Asks for the server, how to trust its certificate, and the operator's credentials, then logs in
// through AdminClient. Settings (not the password) are remembered in QSettings; the password only
// in the OS keychain, and only when asked to.
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
    void updateTrustField();
    void browseCaFile();
    void loadSettings();
    void saveSettings(bool remember);

    AdminClient &m_client;
    CredentialStore &m_credentials;
    QLineEdit *m_serverUrl;
    QComboBox *m_trustMode;
    QLineEdit *m_trustValue;
    QPushButton *m_browse;
    QLineEdit *m_username;
    QLineEdit *m_password;
    QCheckBox *m_remember;
    QLabel *m_message;
    QPushButton *m_loginButton;
    QString m_keychainMessage;
};

} // namespace herald
