#include "NotificationDetail.h"

#include "AdminClient.h"
#include "ConsoleFormat.h"
#include "NotificationsModel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace herald {

NotificationDetail::NotificationDetail(AdminClient &client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_title(new QLabel(this))
    , m_deliveries(new QTreeWidget(this))
    , m_attempts(new QTreeWidget(this))
    , m_attemptsLabel(new QLabel(this))
    , m_retry(new QPushButton(this))
    , m_cancel(new QPushButton(this))
{
    m_title->setObjectName(QStringLiteral("detailTitle"));
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_deliveries->setObjectName(QStringLiteral("deliveriesTree"));
    m_attempts->setObjectName(QStringLiteral("attemptsTree"));
    m_retry->setObjectName(QStringLiteral("retryButton"));
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    for (QTreeWidget *tree : {m_deliveries, m_attempts}) {
        tree->setRootIsDecorated(false);
        tree->setAlternatingRowColors(true);
        tree->header()->setStretchLastSection(true);
    }
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_retry);
    buttons->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_deliveries, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_attemptsLabel);
    layout->addWidget(m_attempts, 1);
    connect(m_deliveries, &QTreeWidget::itemSelectionChanged, this, &NotificationDetail::updateButtons);
    connect(m_retry, &QPushButton::clicked, this, [this] { act(QStringLiteral("retry")); });
    connect(m_cancel, &QPushButton::clicked, this, [this] { act(QStringLiteral("cancel")); });
    retranslate();
    updateButtons();
}

void NotificationDetail::retranslate()
{
    m_deliveries->setHeaderLabels({tr("Device"), tr("Platform"), tr("Channel"), tr("State"), tr("Attempts"),
                                   tr("Next attempt"), tr("Last error")});
    m_attempts->setHeaderLabels({tr("Time"), tr("Device"), tr("Channel"), tr("Provider"), tr("Outcome"), tr("Detail")});
    m_attemptsLabel->setText(tr("Attempt history"));
    m_retry->setText(tr("Retry now"));
    m_cancel->setText(tr("Cancel delivery"));
    const QString helpdesk = tr("Only administrators can do this; you are logged in with the helpdesk role.");
    m_retry->setToolTip(m_client.isAdmin() ? tr("Send a failed delivery again now") : helpdesk);
    m_cancel->setToolTip(m_client.isAdmin() ? tr("Stop trying to deliver to this device") : helpdesk);
    if (!m_notification.isEmpty())
        fill(m_notification);
    else
        m_title->setText(tr("Select a notification to see its deliveries and attempts."));
}

void NotificationDetail::load(const QString &notificationId)
{
    m_id = notificationId;
    if (notificationId.isEmpty()) {
        m_notification = {};
        m_deliveries->clear();
        m_attempts->clear();
        retranslate();
        updateButtons();
        return;
    }
    m_title->setText(tr("Loading %1…").arg(notificationId));
    m_client.get(QStringLiteral("/admin/v1/notifications/%1").arg(AdminClient::encode(notificationId)), this,
                 [this, notificationId](const AdminReply &reply) {
                     if (notificationId != m_id)
                         return; // another row was selected meanwhile
                     if (!reply.ok()) {
                         m_title->setText(tr("Cannot load %1.").arg(notificationId));
                         emit notify(tr("Cannot load notification %1: %2").arg(notificationId, reply.errorMessage), true);
                         return;
                     }
                     fill(reply.object);
                 });
}

void NotificationDetail::fill(const QJsonObject &n)
{
    m_notification = n;
    const QString previous = selectedDelivery();
    QString content = n.value(QStringLiteral("subject")).toString();
    if (!n.value(QStringLiteral("sender")).toString().isEmpty())
        content = n.value(QStringLiteral("sender")).toString() + (content.isEmpty() ? QString() : QStringLiteral(" — ") + content);
    if (content.isEmpty())
        content = tr("(sender and subject hidden by the app's privacy level: %1)").arg(n.value(QStringLiteral("privacy")).toString());
    m_title->setText(tr("Notification %1 for %2 (%3), %4: %5")
                         .arg(n.value(QStringLiteral("id")).toString(), n.value(QStringLiteral("account")).toString(),
                              n.value(QStringLiteral("app")).toString(),
                              ConsoleFormat::state(NotificationsModel::overallState(n)), content));
    m_deliveries->clear();
    for (const QJsonValue &v : n.value(QStringLiteral("deliveries")).toArray()) {
        const QJsonObject d = v.toObject();
        auto *item = new QTreeWidgetItem(m_deliveries, {d.value(QStringLiteral("deviceId")).toString(),
                                                         d.value(QStringLiteral("platform")).toString(),
                                                         ConsoleFormat::channel(d.value(QStringLiteral("channel"))),
                                                         ConsoleFormat::state(d.value(QStringLiteral("state")).toString()),
                                                         QString::number(d.value(QStringLiteral("attempts")).toInt()),
                                                         ConsoleFormat::dateTime(d.value(QStringLiteral("nextAttemptAt"))),
                                                         d.value(QStringLiteral("lastError")).toString()});
        item->setData(0, Qt::UserRole, d.value(QStringLiteral("id")).toString());
        item->setData(1, Qt::UserRole, d.value(QStringLiteral("state")).toString());
        if (item->data(0, Qt::UserRole).toString() == previous)
            item->setSelected(true);
    }
    m_attempts->clear();
    for (const QJsonValue &v : n.value(QStringLiteral("attempts")).toArray()) {
        const QJsonObject a = v.toObject();
        new QTreeWidgetItem(m_attempts, {ConsoleFormat::dateTime(a.value(QStringLiteral("at"))),
                                         a.value(QStringLiteral("deviceId")).toString(),
                                         ConsoleFormat::channel(a.value(QStringLiteral("channel"))),
                                         a.value(QStringLiteral("provider")).toString(),
                                         a.value(QStringLiteral("outcome")).toString(),
                                         a.value(QStringLiteral("detail")).toString()});
    }
    for (QTreeWidget *tree : {m_deliveries, m_attempts}) {
        for (int c = 0; c + 1 < tree->columnCount(); ++c)
            tree->resizeColumnToContents(c);
    }
    if (!m_deliveries->selectedItems().isEmpty() || m_deliveries->topLevelItemCount() != 1)
        updateButtons();
    else
        m_deliveries->topLevelItem(0)->setSelected(true); // one device: nothing to choose
}

QString NotificationDetail::selectedDelivery() const
{
    const QList<QTreeWidgetItem *> selected = m_deliveries->selectedItems();
    return selected.isEmpty() ? QString() : selected.first()->data(0, Qt::UserRole).toString();
}

void NotificationDetail::updateButtons()
{
    const QList<QTreeWidgetItem *> selected = m_deliveries->selectedItems();
    const QString state = selected.isEmpty() ? QString() : selected.first()->data(1, Qt::UserRole).toString();
    // The server cancels only what is not finished and not in a provider's hands right now.
    const bool cancellable = state == QLatin1String("pending") || state == QLatin1String("inband") ||
                             state == QLatin1String("retry");
    m_retry->setEnabled(m_client.isAdmin() && state == QLatin1String("failed"));
    m_cancel->setEnabled(m_client.isAdmin() && cancellable);
}

void NotificationDetail::act(const QString &verb)
{
    const QString delivery = selectedDelivery();
    if (delivery.isEmpty())
        return;
    m_retry->setEnabled(false);
    m_cancel->setEnabled(false);
    m_client.post(QStringLiteral("/admin/v1/deliveries/%1/%2").arg(AdminClient::encode(delivery), verb), {}, this,
                  [this, verb, delivery](const AdminReply &reply) {
                      if (!reply.ok()) {
                          emit notify(verb == QLatin1String("retry")
                                          ? tr("Cannot retry delivery %1: %2").arg(delivery, reply.errorMessage)
                                          : tr("Cannot cancel delivery %1: %2").arg(delivery, reply.errorMessage),
                                      true);
                          updateButtons();
                          return;
                      }
                      emit notify(verb == QLatin1String("retry") ? tr("Delivery %1 is being sent again.").arg(delivery)
                                                                 : tr("Delivery %1 was cancelled.").arg(delivery),
                                  false);
                      emit changed(reply.object);
                      // Reload for the attempt history, which the action answer does not carry.
                      load(m_id);
                  });
}

} // namespace herald
