#include "AuditPage.h"

#include "AdminClient.h"
#include "ConsoleFormat.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace herald {

AuditPage::AuditPage(AdminClient &client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_table(new QTableWidget(this))
    , m_limit(new QSpinBox(this))
    , m_refresh(new QPushButton(tr("Refresh"), this))
    , m_message(new QLabel(this))
{
    m_table->setObjectName(QStringLiteral("auditTable"));
    m_refresh->setObjectName(QStringLiteral("refreshButton"));
    m_message->setObjectName(QStringLiteral("message"));
    // The server's own bounds for ?limit=.
    m_limit->setRange(1, 1000);
    m_limit->setValue(200);
    ConsoleFormat::prepareTable(m_table,
                                {tr("Time"), tr("Operator"), tr("Action"), tr("Target"), tr("From"), tr("Outcome")});
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(new QLabel(tr("Newest entries:"), this));
    buttons->addWidget(m_limit);
    buttons->addWidget(m_refresh);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_table);
    layout->addWidget(m_message);
    connect(m_refresh, &QPushButton::clicked, this, &AuditPage::refresh);
}

void AuditPage::refresh()
{
    m_client.get(QStringLiteral("/admin/v1/audit?limit=%1").arg(m_limit->value()), this, [this](const AdminReply &reply) {
        if (!reply.ok()) {
            m_message->setText(tr("Cannot read the audit log: %1").arg(reply.errorMessage));
            return;
        }
        QList<QStringList> rows;
        QStringList keys;
        for (const QJsonValue &v : reply.array(QStringLiteral("entries"))) {
            const QJsonObject e = v.toObject();
            keys << QString::number(e.value(QStringLiteral("id")).toInteger());
            rows << QStringList{ConsoleFormat::dateTime(e.value(QStringLiteral("at"))),
                                e.value(QStringLiteral("operator")).toString(),
                                e.value(QStringLiteral("action")).toString(),
                                e.value(QStringLiteral("target")).toString(),
                                e.value(QStringLiteral("peer")).toString(),
                                e.value(QStringLiteral("outcome")).toString()};
        }
        ConsoleFormat::fillTable(m_table, rows, keys);
        m_message->clear();
    });
}

} // namespace herald
