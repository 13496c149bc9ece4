#include "NotificationsPage.h"

#include "EntityTable.h"
#include "NotificationDetail.h"
#include "NotificationsModel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace herald {

NotificationsPage::NotificationsPage(AdminClient &client, QWidget *parent)
    : ConsolePage(client, parent)
    , m_model(new NotificationsModel(client, this))
    , m_table(new EntityTable(m_model, QStringLiteral("notificationsView"), this))
    , m_detail(new NotificationDetail(client, this))
    , m_state(new QComboBox(this))
    , m_refresh(new QPushButton(this))
{
    m_state->setObjectName(QStringLiteral("stateFilter"));
    m_refresh->setObjectName(QStringLiteral("refreshButton"));
    for (const char *value : {"pending", "failed", "all"})
        m_state->addItem(QString(), QString::fromLatin1(value));
    m_state->setCurrentIndex(2);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_state);
    buttons->addWidget(m_refresh);
    buttons->addStretch();
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(splitter, 1);

    connect(m_refresh, &QPushButton::clicked, this, &NotificationsPage::refresh);
    connect(m_state, &QComboBox::activated, this, &NotificationsPage::refresh);
    connect(m_table, &EntityTable::selectionChanged, this, [this] {
        const QString id = m_table->selectedKey();
        if (id != m_detail->notificationId())
            m_detail->load(id);
    });
    connect(m_detail, &NotificationDetail::notify, this, &NotificationsPage::notify);
    connect(m_detail, &NotificationDetail::changed, this, [this](const QJsonObject &n) { m_model->upsert(n); });
    connect(m_model, &NotificationsModel::failed, this,
            [this](const QString &message) { emit notify(tr("Cannot list notifications: %1").arg(message), true); });
    retranslate();
}

void NotificationsPage::retranslate()
{
    m_state->setItemText(0, tr("Pending"));
    m_state->setItemText(1, tr("Failed"));
    m_state->setItemText(2, tr("All (newest first)"));
    m_refresh->setText(tr("Refresh"));
    m_table->retranslate();
    m_detail->retranslate();
}

void NotificationsPage::showState(const QString &state)
{
    m_state->setCurrentIndex(qMax(0, m_state->findData(state)));
    refresh();
}

void NotificationsPage::refresh()
{
    m_model->setStateFilter(m_state->currentData().toString());
    m_model->reload();
    if (!m_detail->notificationId().isEmpty())
        m_detail->load(m_detail->notificationId());
}

} // namespace herald
