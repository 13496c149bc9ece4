#include "DevicesPage.h"

#include "AdminClient.h"
#include "ConsoleFormat.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace herald {

DevicesPage::DevicesPage(AdminClient &client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_title(new QLabel(this))
    , m_table(new QTableWidget(this))
    , m_refresh(new QPushButton(tr("Refresh"), this))
    , m_revoke(new QPushButton(tr("Revoke device…"), this))
    , m_message(new QLabel(this))
{
    m_title->setObjectName(QStringLiteral("title"));
    m_table->setObjectName(QStringLiteral("devicesTable"));
    m_refresh->setObjectName(QStringLiteral("refreshButton"));
    m_revoke->setObjectName(QStringLiteral("revokeButton"));
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setWordWrap(true);
    ConsoleFormat::prepareTable(m_table, {tr("Device"), tr("Name"), tr("Platform"), tr("Last seen"),
                                          tr("Push token"), tr("Apps"), tr("Registered")});
    if (!m_client.isAdmin())
        m_revoke->setToolTip(tr("Needs the admin role"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_title, 1);
    buttons->addWidget(m_refresh);
    buttons->addWidget(m_revoke);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_table);
    layout->addWidget(m_message);
    connect(m_refresh, &QPushButton::clicked, this, &DevicesPage::refresh);
    connect(m_revoke, &QPushButton::clicked, this, &DevicesPage::revoke);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        m_revoke->setEnabled(m_client.isAdmin() && !ConsoleFormat::selectedKey(m_table).isEmpty());
    });
    setUser(QString());
}

void DevicesPage::showMessage(const QString &text, bool error)
{
    m_message->setStyleSheet(error ? QStringLiteral("color: #b00020") : QString());
    m_message->setText(text);
}

void DevicesPage::setUser(const QString &name)
{
    m_user = name;
    m_title->setText(name.isEmpty() ? tr("Choose a user on the Users tab.") : tr("Devices of %1").arg(name));
    m_refresh->setEnabled(!name.isEmpty());
    m_revoke->setEnabled(false);
    m_table->setRowCount(0);
    m_message->clear();
    if (!name.isEmpty())
        refresh();
}

void DevicesPage::refresh()
{
    if (m_user.isEmpty())
        return;
    const QString user = m_user;
    m_client.get(QStringLiteral("/admin/v1/devices?user=%1").arg(AdminClient::encode(user)), this,
                 [this, user](const AdminReply &reply) {
                     if (user != m_user)
                         return; // an answer for a user no longer shown
                     if (!reply.ok()) {
                         showMessage(tr("Cannot list devices: %1").arg(reply.errorMessage), true);
                         return;
                     }
                     QList<QStringList> rows;
                     QStringList keys;
                     const QJsonArray devices = reply.array(QStringLiteral("devices"));
                     for (const QJsonValue &v : devices) {
                         const QJsonObject d = v.toObject();
                         QStringList apps;
                         for (const QJsonValue &a : d.value(QStringLiteral("apps")).toArray())
                             apps << a.toString();
                         const QString state = d.value(QStringLiteral("pushTokenState")).toString();
                         keys << d.value(QStringLiteral("deviceId")).toString();
                         rows << QStringList{d.value(QStringLiteral("deviceId")).toString(),
                                             d.value(QStringLiteral("name")).toString(),
                                             d.value(QStringLiteral("platform")).toString(),
                                             ConsoleFormat::dateTime(d.value(QStringLiteral("lastSeen"))),
                                             state == QLatin1String("active") ? tr("Active") : tr("Retired"),
                                             apps.join(QStringLiteral(", ")),
                                             ConsoleFormat::dateTime(d.value(QStringLiteral("createdAt")))};
                     }
                     ConsoleFormat::fillTable(m_table, rows, keys);
                     showMessage(tr("%n device(s)", nullptr, int(devices.size())), false);
                 });
}

void DevicesPage::revoke()
{
    const QString deviceId = ConsoleFormat::selectedKey(m_table);
    if (deviceId.isEmpty())
        return;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Revoke device"),
                                tr("Revoke device %1 of %2? It stops receiving notifications until it registers again.")
                                    .arg(deviceId, m_user),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::accepted, this, [this, deviceId] {
        m_client.remove(QStringLiteral("/admin/v1/devices/%1").arg(AdminClient::encode(deviceId)), this,
                        [this, deviceId](const AdminReply &reply) {
                            if (!reply.ok()) {
                                showMessage(reply.errorMessage, true);
                                return;
                            }
                            refresh();
                            showMessage(tr("Revoked %1.").arg(deviceId), false);
                        });
    });
    box->open();
}

} // namespace herald
