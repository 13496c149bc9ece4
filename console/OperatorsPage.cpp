#include "OperatorsPage.h"

#include "AdminClient.h"
#include "ConsoleFormat.h"
#include "CredentialsDialog.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace herald {

OperatorsPage::OperatorsPage(AdminClient &client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_table(new QTableWidget(this))
    , m_refresh(new QPushButton(tr("Refresh"), this))
    , m_new(new QPushButton(tr("New operator…"), this))
    , m_message(new QLabel(this))
{
    m_table->setObjectName(QStringLiteral("operatorsTable"));
    m_refresh->setObjectName(QStringLiteral("refreshButton"));
    m_new->setObjectName(QStringLiteral("newOperatorButton"));
    m_message->setObjectName(QStringLiteral("message"));
    ConsoleFormat::prepareTable(m_table, {tr("Name"), tr("Role"), tr("Status"), tr("Created")});
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_refresh);
    buttons->addWidget(m_new);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_table);
    layout->addWidget(m_message);
    m_new->setEnabled(m_client.isAdmin());
    connect(m_refresh, &QPushButton::clicked, this, &OperatorsPage::refresh);
    connect(m_new, &QPushButton::clicked, this, &OperatorsPage::createOperator);
}

void OperatorsPage::showMessage(const QString &text, bool error)
{
    m_message->setStyleSheet(error ? QStringLiteral("color: #b00020") : QString());
    m_message->setText(text);
}

void OperatorsPage::refresh()
{
    m_client.get(QStringLiteral("/admin/v1/operators"), this, [this](const AdminReply &reply) {
        if (!reply.ok()) {
            showMessage(tr("Cannot list operators: %1").arg(reply.errorMessage), true);
            return;
        }
        QList<QStringList> rows;
        QStringList keys;
        for (const QJsonValue &v : reply.array(QStringLiteral("operators"))) {
            const QJsonObject o = v.toObject();
            const QString role = o.value(QStringLiteral("role")).toString();
            keys << o.value(QStringLiteral("name")).toString();
            rows << QStringList{o.value(QStringLiteral("name")).toString(),
                                role == QLatin1String("admin") ? tr("Administrator") : tr("Helpdesk"),
                                o.value(QStringLiteral("disabled")).toBool() ? tr("Disabled") : tr("Active"),
                                ConsoleFormat::dateTime(o.value(QStringLiteral("createdAt")))};
        }
        ConsoleFormat::fillTable(m_table, rows, keys);
        m_message->clear();
    });
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
                          showMessage(tr("Created operator %1.").arg(name), false);
                          refresh();
                      });
    });
    dialog->open();
}

} // namespace herald
