#include "UsersPage.h"

#include "AdminClient.h"
#include "CredentialsDialog.h"
#include "EntityTable.h"
#include "UsersModel.h"

#include <QHBoxLayout>
#include <QPushButton>
#include <QVBoxLayout>

namespace herald {

UsersPage::UsersPage(AdminClient &client, QWidget *parent)
    : ConsolePage(client, parent)
    , m_model(new UsersModel(client, this))
    , m_table(new EntityTable(m_model, QStringLiteral("usersView"), this))
    , m_refresh(new QPushButton(this))
    , m_new(new QPushButton(this))
    , m_disable(new QPushButton(this))
    , m_enable(new QPushButton(this))
    , m_reset(new QPushButton(this))
{
    m_refresh->setObjectName(QStringLiteral("refreshButton"));
    m_new->setObjectName(QStringLiteral("newUserButton"));
    m_disable->setObjectName(QStringLiteral("disableButton"));
    m_enable->setObjectName(QStringLiteral("enableButton"));
    m_reset->setObjectName(QStringLiteral("resetPasswordButton"));
    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {m_refresh, m_new, m_disable, m_enable, m_reset})
        buttons->addWidget(b);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_table, 1);

    connect(m_refresh, &QPushButton::clicked, this, &UsersPage::refresh);
    connect(m_new, &QPushButton::clicked, this, &UsersPage::createUser);
    connect(m_disable, &QPushButton::clicked, this, [this] { setDisabled(true); });
    connect(m_enable, &QPushButton::clicked, this, [this] { setDisabled(false); });
    connect(m_reset, &QPushButton::clicked, this, &UsersPage::resetPassword);
    connect(m_table, &EntityTable::selectionChanged, this, &UsersPage::updateButtons);
    connect(m_model, &UsersModel::failed, this,
            [this](const QString &message) { emit notify(tr("Cannot list users: %1").arg(message), true); });
    retranslate();
    updateButtons();
}

void UsersPage::retranslate()
{
    m_refresh->setText(tr("Refresh"));
    m_new->setText(tr("New user…"));
    m_disable->setText(tr("Disable"));
    m_enable->setText(tr("Enable"));
    m_reset->setText(tr("Reset password…"));
    gateToolTip(m_new, tr("Create a terminal account"));
    gateToolTip(m_disable, tr("The user can no longer log in; registered devices stop receiving notifications"));
    gateToolTip(m_enable, tr("Allow the user to log in again"));
    gateToolTip(m_reset, tr("Set a new password for the user"));
    m_table->retranslate();
}

QString UsersPage::selectedUser() const
{
    return m_table->selectedKey();
}

void UsersPage::updateButtons()
{
    const QJsonObject user = m_table->selectedObject();
    const bool disabled = user.value(QStringLiteral("disabled")).toBool();
    gate(m_new);
    gate(m_disable, !user.isEmpty() && !disabled);
    gate(m_enable, !user.isEmpty() && disabled);
    gate(m_reset, !user.isEmpty());
}

void UsersPage::refresh()
{
    m_model->reload();
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
                          emit notify(tr("Created user %1.").arg(name), false);
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
            emit notify(tr("Cannot change %1: %2").arg(user, reply.errorMessage), true);
            return;
        }
        // The answer is the changed user: update the row in place.
        m_model->upsert(reply.object);
        updateButtons();
        emit notify(disabled ? tr("Disabled %1.").arg(user) : tr("Enabled %1.").arg(user), false);
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
                          emit notify(tr("Set a new password for %1.").arg(user), false);
                      });
    });
    dialog->open();
}

} // namespace herald
