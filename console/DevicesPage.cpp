#include "DevicesPage.h"

#include "AdminClient.h"
#include "DevicesModel.h"
#include "EntityTable.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QUrlQuery>
#include <QVBoxLayout>

namespace herald {

DevicesPage::DevicesPage(AdminClient &client, QWidget *parent)
    : ConsolePage(client, parent)
    , m_model(new DevicesModel(client, this))
    , m_table(new EntityTable(m_model, QStringLiteral("devicesView"), this))
    , m_presence(new QComboBox(this))
    , m_platform(new QComboBox(this))
    , m_refresh(new QPushButton(this))
    , m_revoke(new QPushButton(this))
    , m_testPush(new QPushButton(this))
{
    m_presence->setObjectName(QStringLiteral("presenceFilter"));
    m_platform->setObjectName(QStringLiteral("platformFilter"));
    m_refresh->setObjectName(QStringLiteral("refreshButton"));
    m_revoke->setObjectName(QStringLiteral("revokeButton"));
    m_testPush->setObjectName(QStringLiteral("testPushButton"));
    // Item data are the API's filter values; texts are set in retranslate().
    for (const char *value : {"", "online", "foreground", "background", "closed", "offline"})
        m_presence->addItem(QString(), QString::fromLatin1(value));
    for (const char *value : {"", "ios", "android", "web", "desktop"})
        m_platform->addItem(QString::fromLatin1(value), QString::fromLatin1(value));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_presence);
    buttons->addWidget(m_platform);
    buttons->addWidget(m_refresh);
    buttons->addStretch();
    buttons->addWidget(m_testPush);
    buttons->addWidget(m_revoke);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_table, 1);

    connect(m_refresh, &QPushButton::clicked, this, &DevicesPage::refresh);
    connect(m_revoke, &QPushButton::clicked, this, &DevicesPage::revoke);
    connect(m_testPush, &QPushButton::clicked, this, [this] {
        const QJsonObject device = m_table->selectedObject();
        emit testPushRequested(device.value(QStringLiteral("account")).toString(),
                               device.value(QStringLiteral("deviceId")).toString());
    });
    // With thousands of devices the loaded pages are not all there is: the server searches too.
    m_table->setServerSearch(true);
    connect(m_table, &EntityTable::serverSearch, this, [this](const QString &text) {
        m_search = text;
        refresh();
    });
    connect(m_presence, &QComboBox::activated, this, &DevicesPage::refresh);
    connect(m_platform, &QComboBox::activated, this, &DevicesPage::refresh);
    connect(m_table, &EntityTable::selectionChanged, this, &DevicesPage::updateButtons);
    connect(m_model, &DevicesModel::failed, this,
            [this](const QString &message) { emit notify(tr("Cannot list devices: %1").arg(message), true); });
    retranslate();
    updateButtons();
}

void DevicesPage::retranslate()
{
    m_refresh->setText(tr("Refresh"));
    m_revoke->setText(tr("Revoke device…"));
    m_testPush->setText(tr("Send test push…"));
    m_testPush->setToolTip(tr("Send a test notification to this device and see what happens to it"));
    gateToolTip(m_revoke, tr("The device stops receiving notifications until it registers again"));
    const QStringList presence{tr("Any presence"), tr("Online"), tr("Foreground"), tr("Background"), tr("Closed"),
                               tr("Offline")};
    for (int i = 0; i < presence.size(); ++i)
        m_presence->setItemText(i, presence.at(i));
    m_platform->setItemText(0, tr("Any platform"));
    m_table->retranslate();
}

void DevicesPage::updateButtons()
{
    const bool selected = !m_table->selectedKey().isEmpty();
    gate(m_revoke, selected);
    m_testPush->setEnabled(selected);
}

void DevicesPage::setUser(const QString &name)
{
    m_user = name;
    refresh();
}

void DevicesPage::applyFilters()
{
    QUrlQuery query;
    if (!m_user.isEmpty())
        query.addQueryItem(QStringLiteral("user"), m_user);
    if (!m_search.isEmpty())
        query.addQueryItem(QStringLiteral("q"), m_search);
    if (!m_presence->currentData().toString().isEmpty())
        query.addQueryItem(QStringLiteral("presence"), m_presence->currentData().toString());
    if (!m_platform->currentData().toString().isEmpty())
        query.addQueryItem(QStringLiteral("platform"), m_platform->currentData().toString());
    const QString q = query.toString(QUrl::FullyEncoded);
    m_model->setPath(QStringLiteral("/admin/v1/devices") + (q.isEmpty() ? QString() : QLatin1Char('?') + q));
}

void DevicesPage::refresh()
{
    applyFilters();
    m_model->reload();
}

void DevicesPage::revoke()
{
    const QJsonObject device = m_table->selectedObject();
    const QString deviceId = device.value(QStringLiteral("deviceId")).toString();
    if (deviceId.isEmpty())
        return;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Revoke device"),
                                tr("Revoke device %1 of %2? It stops receiving notifications until it registers again.")
                                    .arg(deviceId, device.value(QStringLiteral("account")).toString()),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::accepted, this, [this, deviceId] {
        m_client.remove(QStringLiteral("/admin/v1/devices/%1").arg(AdminClient::encode(deviceId)), this,
                        [this, deviceId](const AdminReply &reply) {
                            if (!reply.ok()) {
                                emit notify(tr("Cannot revoke %1: %2").arg(deviceId, reply.errorMessage), true);
                                return;
                            }
                            m_model->removeKey(deviceId);
                            emit notify(tr("Revoked %1.").arg(deviceId), false);
                        });
    });
    box->open();
}

} // namespace herald
