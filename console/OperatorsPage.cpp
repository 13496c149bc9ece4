#include "OperatorsPage.h"

#include "AdminClient.h"
#include "ConsoleFormat.h"
#include "CredentialsDialog.h"
#include "EntityTable.h"
#include "OperatorsModel.h"

#include <QHBoxLayout>
#include <QInputDialog>
#include <QPushButton>
#include <QVBoxLayout>

namespace herald {

OperatorsPage::OperatorsPage(AdminClient &client, QWidget *parent)
    : ConsolePage(client, parent)
    , m_model(new OperatorsModel(client, this))
    , m_table(new EntityTable(m_model, QStringLiteral("operatorsView"), this))
    , m_refresh(new QPushButton(this))
    , m_new(new QPushButton(this))
    , m_disable(new QPushButton(this))
    , m_enable(new QPushButton(this))
    , m_role(new QPushButton(this))
    , m_reset(new QPushButton(this))
{
    m_refresh->setObjectName(QStringLiteral("refreshButton"));
    m_new->setObjectName(QStringLiteral("newOperatorButton"));
    m_disable->setObjectName(QStringLiteral("disableOperatorButton"));
    m_enable->setObjectName(QStringLiteral("enableOperatorButton"));
    m_role->setObjectName(QStringLiteral("roleButton"));
    m_reset->setObjectName(QStringLiteral("operatorPasswordButton"));
    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {m_refresh, m_new, m_disable, m_enable, m_role, m_reset})
        buttons->addWidget(b);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_table, 1);
    connect(m_refresh, &QPushButton::clicked, this, &OperatorsPage::refresh);
    connect(m_new, &QPushButton::clicked, this, &OperatorsPage::createOperator);
    connect(m_disable, &QPushButton::clicked, this, [this] {
        const QString name = m_table->selectedKey();
        post(name, QStringLiteral("disable"), {}, tr("Disabled operator %1.").arg(name));
    });
    connect(m_enable, &QPushButton::clicked, this, [this] {
        const QString name = m_table->selectedKey();
        post(name, QStringLiteral("enable"), {}, tr("Enabled operator %1.").arg(name));
    });
    connect(m_role, &QPushButton::clicked, this, &OperatorsPage::changeRole);
    connect(m_reset, &QPushButton::clicked, this, &OperatorsPage::resetPassword);
    connect(m_table, &EntityTable::selectionChanged, this, &OperatorsPage::updateButtons);
    connect(m_model, &OperatorsModel::failed, this,
            [this](const QString &message) { emit notify(tr("Cannot list operators: %1").arg(message), true); });
    retranslate();
    updateButtons();
}

void OperatorsPage::retranslate()
{
    m_refresh->setText(tr("Refresh"));
    m_new->setText(tr("New operator…"));
    m_disable->setText(tr("Disable"));
    m_enable->setText(tr("Enable"));
    m_role->setText(tr("Change role…"));
    m_reset->setText(tr("Reset password…"));
    gateToolTip(m_new, tr("Create a console operator"));
    gateToolTip(m_disable, tr("The operator's sessions end at once"));
    gateToolTip(m_enable, tr("Allow the operator to log in again"));
    gateToolTip(m_role, tr("Administrator or helpdesk"));
    gateToolTip(m_reset, tr("Set a new password for the operator"));
    gateToolTip(m_refresh, tr("Reload the list"));
    m_table->retranslate();
}

void OperatorsPage::updateButtons()
{
    const QJsonObject op = m_table->selectedObject();
    const bool disabled = op.value(QStringLiteral("disabled")).toBool();
    gate(m_refresh);
    gate(m_new);
    gate(m_disable, !op.isEmpty() && !disabled);
    gate(m_enable, !op.isEmpty() && disabled);
    gate(m_role, !op.isEmpty());
    gate(m_reset, !op.isEmpty());
}

void OperatorsPage::refresh()
{
    // Helpdesk may not list operators; the page explains that instead of showing a refusal.
    if (isAdmin())
        m_model->reload();
}

void OperatorsPage::post(const QString &name, const QString &verb, const QJsonObject &body, const QString &done)
{
    if (name.isEmpty())
        return;
    m_client.post(QStringLiteral("/admin/v1/operators/%1/%2").arg(AdminClient::encode(name), verb), body, this,
                  [this, name, done](const AdminReply &reply) {
                      if (!reply.ok()) {
                          const QString why = reply.errorCode == QLatin1String("last_admin")
                                                  ? tr("%1 is the last enabled administrator; make another operator "
                                                       "an administrator first.")
                                                        .arg(name)
                                                  : reply.errorMessage;
                          emit notify(tr("Cannot change operator %1: %2").arg(name, why), true);
                          return;
                      }
                      emit notify(done, false);
                      refresh();
                  });
}

void OperatorsPage::changeRole()
{
    const QJsonObject op = m_table->selectedObject();
    const QString name = op.value(QStringLiteral("name")).toString();
    if (name.isEmpty())
        return;
    const QStringList roles{ConsoleFormat::role(QStringLiteral("admin")), ConsoleFormat::role(QStringLiteral("helpdesk"))};
    bool ok = false;
    const int current = op.value(QStringLiteral("role")).toString() == QLatin1String("admin") ? 0 : 1;
    const QString chosen = QInputDialog::getItem(this, tr("Change role"), tr("Role of %1:").arg(name), roles, current,
                                                 false, &ok);
    if (!ok)
        return;
    const QString role = chosen == roles.at(0) ? QStringLiteral("admin") : QStringLiteral("helpdesk");
    post(name, QStringLiteral("role"), QJsonObject{{QStringLiteral("role"), role}},
         tr("%1 is now %2.").arg(name, chosen));
}

void OperatorsPage::resetPassword()
{
    const QString name = m_table->selectedKey();
    if (name.isEmpty())
        return;
    auto *dialog = new CredentialsDialog(CredentialsDialog::Kind::ResetPassword, tr("New password for %1").arg(name), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CredentialsDialog::submitted, this, [this, dialog, name] {
        m_client.post(QStringLiteral("/admin/v1/operators/%1/password").arg(AdminClient::encode(name)),
                      QJsonObject{{QStringLiteral("password"), dialog->password()}}, dialog,
                      [this, dialog, name](const AdminReply &reply) {
                          if (!reply.ok()) {
                              dialog->showError(reply.errorMessage);
                              return;
                          }
                          dialog->accept();
                          emit notify(tr("Set a new password for operator %1.").arg(name), false);
                      });
    });
    dialog->open();
}

void OperatorsPage::createOperator()
{
    auto *dialog = new CredentialsDialog(CredentialsDialog::Kind::NewOperator, tr("New operator"), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CredentialsDialog::submitted, this, [this, dialog] {
        const QString name = dialog->name();
        m_client.post(QStringLiteral("/admin/v1/operators"),
                      QJsonObject{{QStringLiteral("username"), name},
                                  {QStringLiteral("password"), dialog->password()},
                                  {QStringLiteral("role"), dialog->role()}},
                      dialog, [this, dialog, name](const AdminReply &reply) {
                          if (!reply.ok()) {
                              dialog->showError(reply.errorMessage);
                              return;
                          }
                          dialog->accept();
                          emit notify(tr("Created operator %1.").arg(name), false);
                          refresh();
                      });
    });
    dialog->open();
}

} // namespace herald
