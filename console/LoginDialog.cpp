#include "LoginDialog.h"

#include "AdminClient.h"
#include "CredentialStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace herald {
namespace {
// Index order of m_trustMode.
constexpr int TrustPin = 0;
constexpr int TrustCaFile = 1;
} // namespace

LoginDialog::LoginDialog(AdminClient &client, CredentialStore &credentials, QWidget *parent)
    : QDialog(parent)
    , m_client(client)
    , m_credentials(credentials)
    , m_serverUrl(new QLineEdit(this))
    , m_trustMode(new QComboBox(this))
    , m_trustValue(new QLineEdit(this))
    , m_browse(new QPushButton(tr("Browse…"), this))
    , m_username(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("Remember the password in the system keychain"), this))
    , m_message(new QLabel(this))
    , m_loginButton(new QPushButton(tr("Log in"), this))
{
    setWindowTitle(tr("Herald console — log in"));
    m_serverUrl->setObjectName(QStringLiteral("serverUrl"));
    m_serverUrl->setPlaceholderText(QStringLiteral("https://herald.example.com:7443"));
    m_trustMode->setObjectName(QStringLiteral("trustMode"));
    m_trustMode->insertItem(TrustPin, tr("SHA-256 fingerprint of the server certificate"));
    m_trustMode->insertItem(TrustCaFile, tr("CA certificate file"));
    m_trustValue->setObjectName(QStringLiteral("trustValue"));
    m_browse->setObjectName(QStringLiteral("browseCaFile"));
    m_username->setObjectName(QStringLiteral("username"));
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_remember->setObjectName(QStringLiteral("remember"));
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #b00020"));
    m_loginButton->setObjectName(QStringLiteral("loginButton"));
    m_loginButton->setDefault(true);

    auto *trustRow = new QHBoxLayout;
    trustRow->addWidget(m_trustValue, 1);
    trustRow->addWidget(m_browse);
    auto *form = new QFormLayout;
    form->addRow(tr("Server:"), m_serverUrl);
    form->addRow(tr("Trust:"), m_trustMode);
    form->addRow(QString(), trustRow);
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

    connect(m_trustMode, &QComboBox::currentIndexChanged, this, &LoginDialog::updateTrustField);
    connect(m_browse, &QPushButton::clicked, this, &LoginDialog::browseCaFile);
    // The button box would accept() at once; the dialog closes only after a successful login.
    disconnect(buttons, &QDialogButtonBox::accepted, nullptr, nullptr);
    connect(m_loginButton, &QPushButton::clicked, this, &LoginDialog::attemptLogin);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    loadSettings();
    updateTrustField();
}

void LoginDialog::updateTrustField()
{
    const bool pin = m_trustMode->currentIndex() == TrustPin;
    m_trustValue->setPlaceholderText(pin ? tr("AB:CD:… (64 hex digits, logged by the server at start)")
                                         : tr("Path of a PEM or DER file"));
    m_browse->setVisible(!pin);
}

void LoginDialog::browseCaFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("CA certificate"), QString(),
                                                      tr("Certificates (*.pem *.crt *.cer *.der);;All files (*)"));
    if (!path.isEmpty())
        m_trustValue->setText(path);
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
    ServerTrust trust;
    QString error;
    const bool trustOk = m_trustMode->currentIndex() == TrustPin ? trust.usePin(m_trustValue->text(), &error)
                                                                 : trust.useCaFile(m_trustValue->text().trimmed(), &error);
    if (!trustOk) {
        showError(error);
        return;
    }
    if (m_username->text().trimmed().isEmpty() || m_password->text().isEmpty()) {
        showError(tr("Enter the operator name and password."));
        return;
    }
    m_loginButton->setEnabled(false);
    m_message->setText(tr("Logging in…"));
    m_message->setStyleSheet(QString());
    QUrl base = url;
    base.setPath(QString());
    m_client.setServer(base, trust);
    m_client.login(m_username->text().trimmed(), m_password->text(), this, [this](const AdminReply &reply) {
        m_message->setStyleSheet(QStringLiteral("color: #b00020"));
        if (!reply.ok()) {
            showError(reply.status == 429 ? tr("Too many failed attempts: %1").arg(reply.errorMessage)
                                          : reply.errorMessage);
            return;
        }
        loggedIn();
    });
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
    m_trustMode->setCurrentIndex(settings.value(QStringLiteral("trustMode"), TrustPin).toInt() == TrustCaFile ? TrustCaFile
                                                                                                               : TrustPin);
    m_trustValue->setText(settings.value(QStringLiteral("trust")).toString());
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
    settings.setValue(QStringLiteral("trustMode"), m_trustMode->currentIndex());
    settings.setValue(QStringLiteral("trust"), m_trustValue->text().trimmed());
    settings.setValue(QStringLiteral("operator"), m_username->text().trimmed());
    settings.setValue(QStringLiteral("remember"), remember);
}

} // namespace herald
