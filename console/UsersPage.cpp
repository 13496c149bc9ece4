#include "UsersPage.h"

#include "AdminClient.h"
#include "ConsoleFormat.h"
#include "CredentialsDialog.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace herald {

UsersPage::UsersPage(AdminClient &client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_table(new QTableWidget(this))
    , m_refresh(new QPushButton(tr("Refresh"), this))
    , m_new(new QPushButton(tr("New user…"), this))
    , m_disable(new QPushButton(tr("Disable"), this))
    , m_enable(new QPushButton(tr("Enable"), this))
    , m_reset(new QPushButton(tr("Reset password…"), this))
    , m_message(new QLabel(this))
{
    m_table->setObjectName(QStringLiteral("usersTable"));
    m_refresh->setObjectName(QStringLiteral("refreshButton"));
    m_new->setObjectName(QStringLiteral("newUserButton"));
    m_disable->setObjectName(QStringLiteral("disableButton"));
    m_enable->setObjectName(QStringLiteral("enableButton"));
    m_reset->setObjectName(QStringLiteral("resetPasswordButton"));
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setWordWrap(true);
    ConsoleFormat::prepareTable(m_table, {tr("Name"), tr("Status"), tr("Devices"), tr("Created")});

    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {m_refresh, m_new, m_disable, m_enable, m_reset})
        buttons->addWidget(b);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_table);
    layout->addWidget(m_message);

    if (!m_client.isAdmin()) {
        // Helpdesk sees everything but changes nothing; the server enforces the same.
        for (QPushButton *b : {m_new, m_disable, m_enable, m_reset})
            b->setToolTip(tr("Needs the admin role"));
    }
    connect(m_refresh, &QPushButton::clicked, this, &UsersPage::refresh);
    connect(m_new, &QPushButton::clicked, this, &UsersPage::createUser);
    connect(m_disable, &QPushButton::clicked, this, [this] { setDisabled(true); });
    connect(m_enable, &QPushButton::clicked, this, [this] { setDisabled(false); });
    connect(m_reset, &QPushButton::clicked, this, &UsersPage::resetPassword);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        updateButtons();
        if (!selectedUser().isEmpty())
            emit userSelected(selectedUser());
    });
    updateButtons();
}

QString UsersPage::selectedUser() const
{
    return ConsoleFormat::selectedKey(m_table);
}

void UsersPage::updateButtons()
{
    const bool admin = m_client.isAdmin();
    const QString user = selectedUser();
    m_new->setEnabled(admin);
    m_disable->setEnabled(admin && !user.isEmpty() && !m_disabledByName.value(user));
    m_enable->setEnabled(admin && !user.isEmpty() && m_disabledByName.value(user));
    m_reset->setEnabled(admin && !user.isEmpty());
}

void UsersPage::showMessage(const QString &text, bool error)
{
    m_message->setStyleSheet(error ? QStringLiteral("color: #b00020") : QString());
    m_message->setText(text);
}

void UsersPage::refresh()
{
    m_client.get(QStringLiteral("/admin/v1/users"), this, [this](const AdminReply &reply) {
        if (!reply.ok()) {
            showMessage(tr("Cannot list users: %1").arg(reply.errorMessage), true);
            return;
        }
        QList<QStringList> rows;
        QStringList keys;
        m_disabledByName.clear();
        const QJsonArray users = reply.array(QStringLiteral("users"));
        for (const QJsonValue &v : users) {
            const QJsonObject u = v.toObject();
            const QString name = u.value(QStringLiteral("name")).toString();
            const bool disabled = u.value(QStringLiteral("disabled")).toBool();
            m_disabledByName.insert(name, disabled);
            keys << name;
            rows << QStringList{name, disabled ? tr("Disabled") : tr("Active"),
                                QString::number(u.value(QStringLiteral("deviceCount")).toInt()),
                                ConsoleFormat::dateTime(u.value(QStringLiteral("createdAt")))};
        }
        ConsoleFormat::fillTable(m_table, rows, keys);
        showMessage(tr("%n user(s)", nullptr, int(users.size())), false);
        updateButtons();
    });
}

void UsersPage::createUser()
{
    auto *dialog = new CredentialsDialog(CredentialsDialog::Kind::NewUser, tr("New user"), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CredentialsDialog::submitted, this, [this, dialog] {
        const QString name = dialog->name();
        m_client.post(QStringLiteral("/admin/v1/users"),
                      QJsonObject{{QStringLiteral("username"), name}, {QStringLiteral("password"), dialog->password()}},
                      dialog, [this, dialog, name](const AdminReply &reply) {
                          if (!reply.ok()) {
                              dialog->showError(reply.errorMessage);
                              return;
                          }
                          dialog->accept();
                          showMessage(tr("Created user %1.").arg(name), false);
                          refresh();
                      });
    });
    dialog->open();
}

void UsersPage::setDisabled(bool disabled)
{
    const QString user = selectedUser();
    if (user.isEmpty())
        return;
    const QString path = QStringLiteral("/admin/v1/users/%1/%2")
                             .arg(AdminClient::encode(user), disabled ? QStringLiteral("disable") : QStringLiteral("enable"));
    m_client.post(path, {}, this, [this, user, disabled](const AdminReply &reply) {
        if (!reply.ok()) {
            showMessage(reply.errorMessage, true);
            return;
        }
        showMessage(disabled ? tr("Disabled %1.").arg(user) : tr("Enabled %1.").arg(user), false);
        refresh();
    });
}

void UsersPage::resetPassword()
{
    const QString user = selectedUser();
    if (user.isEmpty())
        return;
    auto *dialog = new CredentialsDialog(CredentialsDialog::Kind::ResetPassword, tr("New password for %1").arg(user), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CredentialsDialog::submitted, this, [this, dialog, user] {
        m_client.post(QStringLiteral("/admin/v1/users/%1/password").arg(AdminClient::encode(user)),
                      QJsonObject{{QStringLiteral("password"), dialog->password()}}, dialog,
                      [this, dialog, user](const AdminReply &reply) {
                          if (!reply.ok()) {
                              dialog->showError(reply.errorMessage);
                              return;
                          }
                          dialog->accept();
                          showMessage(tr("Set a new password for %1.").arg(user), false);
                      });
    });
    dialog->open();
}

} // namespace herald
