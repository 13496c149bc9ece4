#include "AuditPage.h"

#include "AuditModel.h"
#include "EntityTable.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QUrlQuery>
#include <QVBoxLayout>

namespace herald {

AuditPage::AuditPage(AdminClient &client, QWidget *parent)
    : ConsolePage(client, parent)
    , m_model(new AuditModel(client, this))
    , m_table(new EntityTable(m_model, QStringLiteral("auditView"), this))
    , m_operator(new QLineEdit(this))
    , m_action(new QComboBox(this))
    , m_useSince(new QCheckBox(this))
    , m_since(new QDateTimeEdit(QDateTime::currentDateTime().addDays(-1), this))
    , m_useUntil(new QCheckBox(this))
    , m_until(new QDateTimeEdit(QDateTime::currentDateTime(), this))
    , m_apply(new QPushButton(this))
    , m_operatorLabel(new QLabel(this))
    , m_actionLabel(new QLabel(this))
{
    m_operator->setObjectName(QStringLiteral("operatorFilter"));
    m_action->setObjectName(QStringLiteral("actionFilter"));
    m_useSince->setObjectName(QStringLiteral("sinceEnabled"));
    m_since->setObjectName(QStringLiteral("since"));
    m_useUntil->setObjectName(QStringLiteral("untilEnabled"));
    m_until->setObjectName(QStringLiteral("until"));
    m_apply->setObjectName(QStringLiteral("refreshButton"));
    m_operator->setClearButtonEnabled(true);
    // The actions the server records; the field also takes any other text.
    m_action->setEditable(true);
    m_action->addItems({QString(), QStringLiteral("user.create"), QStringLiteral("user.disable"),
                        QStringLiteral("user.enable"), QStringLiteral("user.password"), QStringLiteral("device.revoke"),
                        QStringLiteral("operator.create"), QStringLiteral("operator.disable"),
                        QStringLiteral("operator.enable"), QStringLiteral("operator.role"),
                        QStringLiteral("operator.password"), QStringLiteral("source.create"),
                        QStringLiteral("source.revoke"), QStringLiteral("delivery.retry"),
                        QStringLiteral("delivery.cancel"), QStringLiteral("test-push")});
    for (QDateTimeEdit *edit : {m_since, m_until}) {
        edit->setCalendarPopup(true);
        edit->setEnabled(false);
    }
    auto *filters = new QHBoxLayout;
    filters->addWidget(m_operatorLabel);
    filters->addWidget(m_operator);
    filters->addWidget(m_actionLabel);
    filters->addWidget(m_action);
    filters->addWidget(m_useSince);
    filters->addWidget(m_since);
    filters->addWidget(m_useUntil);
    filters->addWidget(m_until);
    filters->addWidget(m_apply);
    filters->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_table, 1);
    connect(m_useSince, &QCheckBox::toggled, m_since, &QWidget::setEnabled);
    connect(m_useUntil, &QCheckBox::toggled, m_until, &QWidget::setEnabled);
    connect(m_apply, &QPushButton::clicked, this, &AuditPage::refresh);
    connect(m_operator, &QLineEdit::returnPressed, this, &AuditPage::refresh);
    connect(m_model, &AuditModel::failed, this,
            [this](const QString &message) { emit notify(tr("Cannot read the audit log: %1").arg(message), true); });
    retranslate();
}

void AuditPage::retranslate()
{
    m_operatorLabel->setText(tr("Operator:"));
    m_actionLabel->setText(tr("Action:"));
    m_operator->setPlaceholderText(tr("anyone"));
    m_useSince->setText(tr("From"));
    m_useUntil->setText(tr("To"));
    m_apply->setText(tr("Apply"));
    m_table->retranslate();
}

QString AuditPage::filteredPath() const
{
    QUrlQuery query;
    if (!m_operator->text().trimmed().isEmpty())
        query.addQueryItem(QStringLiteral("operator"), m_operator->text().trimmed());
    if (!m_action->currentText().trimmed().isEmpty())
        query.addQueryItem(QStringLiteral("action"), m_action->currentText().trimmed());
    if (m_useSince->isChecked())
        query.addQueryItem(QStringLiteral("since"), m_since->dateTime().toUTC().toString(Qt::ISODateWithMs));
    if (m_useUntil->isChecked())
        query.addQueryItem(QStringLiteral("until"), m_until->dateTime().toUTC().toString(Qt::ISODateWithMs));
    const QString q = query.toString(QUrl::FullyEncoded);
    return QStringLiteral("/admin/v1/audit") + (q.isEmpty() ? QString() : QLatin1Char('?') + q);
}

void AuditPage::refresh()
{
    m_model->setPath(filteredPath());
    m_model->reload();
}

} // namespace herald
