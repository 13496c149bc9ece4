#include "LoginDialog.h"

#include "AdminClient.h"
#include "CredentialStore.h"
#include "KnownServers.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace herald {
LoginDialog::LoginDialog(AdminClient &client, CredentialStore &credentials, QWidget *parent)
    : QDialog(parent)
    , m_client(client)
    , m_credentials(credentials)
    , m_serverUrl(new QLineEdit(this))
    , m_username(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("Remember the password in the system keychain"), this))
    , m_message(new QLabel(this))
    , m_loginButton(new QPushButton(tr("Log in"), this))
{
    setWindowTitle(tr("Herald console — log in"));
    m_serverUrl->setObjectName(QStringLiteral("serverUrl"));
    m_serverUrl->setPlaceholderText(QStringLiteral("https://herald.example.com:7443"));
    m_username->setObjectName(QStringLiteral("username"));
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_remember->setObjectName(QStringLiteral("remember"));
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setWordWrap(true);
    // Bold rather than a fixed colour, which could vanish on a dark palette.
    QFont bold = m_message->font();
    bold.setBold(true);
    m_message->setFont(bold);
    m_loginButton->setObjectName(QStringLiteral("loginButton"));
    m_loginButton->setDefault(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Server:"), m_serverUrl);
    form->addRow(tr("Operator:"), m_username);
    form->addRow(tr("Password:"), m_password);
    form->addRow(QString(), m_remember);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_loginButton, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    setMinimumWidth(560);

    // The button box would accept() at once; the dialog closes only after a successful login.
    disconnect(buttons, &QDialogButtonBox::accepted, nullptr, nullptr);
    connect(m_loginButton, &QPushButton::clicked, this, &LoginDialog::attemptLogin);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    loadSettings();
}

void LoginDialog::showError(const QString &message)
{
    m_message->setText(message);
    m_loginButton->setEnabled(true);
}

void LoginDialog::attemptLogin()
{
    m_message->clear();
    const QUrl url = QUrl::fromUserInput(m_serverUrl->text().trimmed());
    if (!url.isValid() || url.scheme() != QLatin1String("https") || url.host().isEmpty()) {
        showError(tr("The server address must be an https:// URL, e.g. https://herald.example.com:7443."));
        return;
    }
    if (m_username->text().trimmed().isEmpty() || m_password->text().isEmpty()) {
        showError(tr("Enter the operator name and password."));
        return;
    }
    m_loginButton->setEnabled(false);
    m_message->setText(tr("Logging in…"));
    QUrl base = url;
    base.setPath(QString());
    ServerTrust trust;
    trust.setPin(KnownServers::pinFor(base));
    m_client.setServer(base, trust);
    m_client.login(m_username->text().trimmed(), m_password->text(), this, [this, base](const AdminReply &reply) {
        if (reply.errorCode == QLatin1String("untrusted_certificate") && !reply.certificate.isNull()) {
            askTrust(base, reply.certificate);
            return;
        }
        if (reply.errorCode == QLatin1String("certificate_changed")) {
            refuseChanged(base, reply.errorMessage);
            return;
        }
        if (!reply.ok()) {
            showError(reply.status == 429 ? tr("Too many failed attempts: %1").arg(reply.errorMessage)
                                          : reply.errorMessage);
            return;
        }
        loggedIn();
    });
}

void LoginDialog::askTrust(const QUrl &server, const QSslCertificate &certificate)
{
    // Trust on first use: the operator compares the fingerprint with the one the server logged at
    // start (or the administrator gave them) and accepts it once; it is never typed.
    const QByteArray fingerprint = ServerTrust::fingerprint(certificate);
    const QString subject = certificate.subjectInfo(QSslCertificate::CommonName).join(QStringLiteral(", "));
    auto *box = new QMessageBox(QMessageBox::Question, tr("Unknown server certificate"),
                                tr("This is the first connection to %1, and its certificate is not signed by an "
                                   "authority this computer knows (it is self-signed: \"%2\").\n\n"
                                   "SHA-256 fingerprint:\n%3\n\n"
                                   "Compare it with the fingerprint the server printed when it started. If they are "
                                   "the same, trust this server; the console remembers it and warns you if it ever "
                                   "changes.")
                                    .arg(server.toDisplayString(), subject, ServerTrust::formatFingerprint(fingerprint)),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("trustPrompt"));
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPushButton *trust = box->addButton(tr("Trust this server"), QMessageBox::AcceptRole);
    trust->setObjectName(QStringLiteral("trustButton"));
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, trust, server, fingerprint](QAbstractButton *clicked) {
        if (clicked != trust) {
            showError(tr("Not connected: the server's certificate was not accepted."));
            return;
        }
        KnownServers::remember(server, fingerprint);
        attemptLogin();
    });
    box->open();
}

void LoginDialog::refuseChanged(const QUrl &server, const QString &message)
{
    showError(message);
    auto *box = new QMessageBox(QMessageBox::Critical, tr("Server certificate changed"),
                                message + QStringLiteral("\n\n") +
                                    tr("If the administrator of %1 replaced its certificate on purpose, forget the "
                                       "remembered one and connect again to check the new fingerprint.")
                                        .arg(server.toDisplayString()),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("certificateChanged"));
    QPushButton *forget = box->addButton(tr("Forget the remembered certificate"), QMessageBox::DestructiveRole);
    forget->setObjectName(QStringLiteral("forgetButton"));
    box->addButton(QMessageBox::Close);
    box->setDefaultButton(QMessageBox::Close);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, forget, server](QAbstractButton *clicked) {
        if (clicked == forget) {
            KnownServers::forget(server);
            showError(tr("The remembered certificate was forgotten; log in again to check the new one."));
        }
    });
    box->open();
}

void LoginDialog::loggedIn()
{
    const QString key = CredentialStore::accountKey(m_client.baseUrl().toString(), m_client.operatorName());
    if (!m_remember->isChecked()) {
        m_credentials.forget(key);
        saveSettings(false);
        accept();
        return;
    }
    m_credentials.save(key, m_password->text(), [this](bool ok, const QString &message) {
        m_keychainMessage = message;
        saveSettings(ok);
        accept();
    });
}

void LoginDialog::loadSettings()
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("login"));
    m_serverUrl->setText(settings.value(QStringLiteral("server")).toString());
    m_username->setText(settings.value(QStringLiteral("operator")).toString());
    const bool remember = settings.value(QStringLiteral("remember"), false).toBool();
    m_remember->setChecked(remember);
    if (!remember || m_serverUrl->text().isEmpty() || m_username->text().isEmpty())
        return;
    QUrl base = QUrl::fromUserInput(m_serverUrl->text());
    base.setPath(QString());
    m_credentials.load(CredentialStore::accountKey(base.toString(), m_username->text()),
                       [this](bool ok, const QString &password) {
                           if (ok && m_password->text().isEmpty())
                               m_password->setText(password);
                       });
}

void LoginDialog::saveSettings(bool remember)
{
    // Everything but the password, which only ever goes to the keychain.
    QSettings settings;
    settings.beginGroup(QStringLiteral("login"));
    settings.setValue(QStringLiteral("server"), m_serverUrl->text().trimmed());
    settings.setValue(QStringLiteral("operator"), m_username->text().trimmed());
    settings.setValue(QStringLiteral("remember"), remember);
}

} // namespace herald
