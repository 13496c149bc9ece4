#include "TestPushDialog.h"

#include "AdminClient.h"
#include "ConsoleFormat.h"
#include "TestPushVerdict.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace herald {
namespace {
constexpr int MaxTextLength = 200; // the API's limit
}

TestPushDialog::TestPushDialog(AdminClient &client, QWidget *parent)
    : QDialog(parent)
    , m_client(client)
    , m_user(new QComboBox(this))
    , m_device(new QComboBox(this))
    , m_text(new QLineEdit(this))
    , m_userLabel(new QLabel(this))
    , m_deviceLabel(new QLabel(this))
    , m_textLabel(new QLabel(this))
    , m_verdictIcon(new QLabel(this))
    , m_verdictLabel(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_send(new QPushButton(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Close, this))
{
    setObjectName(QStringLiteral("testPushDialog"));
    m_user->setObjectName(QStringLiteral("userCombo"));
    m_device->setObjectName(QStringLiteral("deviceCombo"));
    m_text->setObjectName(QStringLiteral("pushText"));
    m_verdictLabel->setObjectName(QStringLiteral("verdict"));
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_progress->setObjectName(QStringLiteral("progress"));
    m_text->setMaxLength(MaxTextLength);
    m_verdictLabel->setWordWrap(true);
    m_verdictLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_verdictLabel->setMinimumHeight(fontMetrics().height() * 3);
    m_verdictLabel->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_progress->setRange(0, 0); // busy: the server answers once the verdict is known
    m_progress->setTextVisible(false);
    m_progress->hide();
    m_send->setDefault(true);
    m_buttons->addButton(m_send, QDialogButtonBox::ActionRole);

    auto *form = new QFormLayout;
    form->addRow(m_userLabel, m_user);
    form->addRow(m_deviceLabel, m_device);
    form->addRow(m_textLabel, m_text);
    auto *verdictRow = new QHBoxLayout;
    verdictRow->addWidget(m_verdictIcon, 0, Qt::AlignTop);
    verdictRow->addWidget(m_verdictLabel, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addLayout(verdictRow);
    layout->addWidget(m_buttons);
    setMinimumWidth(520);

    connect(m_user, &QComboBox::currentIndexChanged, this, &TestPushDialog::loadDevices);
    connect(m_device, &QComboBox::currentIndexChanged, this, [this] { m_send->setEnabled(m_device->currentIndex() >= 0); });
    connect(m_send, &QPushButton::clicked, this, &TestPushDialog::send);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_send->setEnabled(false);
    retranslate();
    loadUsers();
}

void TestPushDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void TestPushDialog::retranslate()
{
    setWindowTitle(tr("Send test push"));
    m_userLabel->setText(tr("User:"));
    m_deviceLabel->setText(tr("Device:"));
    m_textLabel->setText(tr("Text (optional):"));
    m_text->setPlaceholderText(tr("This is a test notification from your IT helpdesk."));
    m_send->setText(tr("Send"));
    if (m_verdict.isEmpty() && !m_progress->isVisible())
        m_verdictLabel->setText(tr("Herald decides like for a real notification: in-band when the app is in the "
                                   "foreground on that device, otherwise through the device's push provider."));
    else if (!m_verdict.isEmpty())
        m_verdictLabel->setText(TestPushVerdict::describe(m_verdict));
}

void TestPushDialog::preset(const QString &account, const QString &deviceId)
{
    m_wantedUser = account;
    m_wantedDevice = deviceId;
    const int index = m_user->findData(account);
    if (index >= 0) {
        if (index == m_user->currentIndex())
            loadDevices();
        else
            m_user->setCurrentIndex(index);
    }
}

QString TestPushDialog::verdictText() const
{
    return m_verdictLabel->text();
}

void TestPushDialog::loadUsers()
{
    m_client.get(QStringLiteral("/admin/v1/users"), this, [this](const AdminReply &reply) {
        if (!reply.ok()) {
            emit notify(tr("Cannot list users: %1").arg(reply.errorMessage), true);
            return;
        }
        const QSignalBlocker block(m_user);
        m_user->clear();
        for (const QJsonValue &v : reply.array(QStringLiteral("users"))) {
            const QString name = v.toObject().value(QStringLiteral("name")).toString();
            m_user->addItem(name, name);
        }
        const int wanted = m_user->findData(m_wantedUser);
        m_user->setCurrentIndex(wanted >= 0 ? wanted : 0);
        loadDevices();
    });
}

void TestPushDialog::loadDevices()
{
    const QString user = m_user->currentData().toString();
    m_device->clear();
    m_send->setEnabled(false);
    if (user.isEmpty())
        return;
    m_client.get(QStringLiteral("/admin/v1/devices?user=%1").arg(AdminClient::encode(user)), this,
                 [this, user](const AdminReply &reply) {
                     if (user != m_user->currentData().toString())
                         return;
                     if (!reply.ok()) {
                         emit notify(tr("Cannot list the devices of %1: %2").arg(user, reply.errorMessage), true);
                         return;
                     }
                     const QSignalBlocker block(m_device);
                     m_device->clear();
                     for (const QJsonValue &v : reply.array(QStringLiteral("devices"))) {
                         const QJsonObject d = v.toObject();
                         const QString id = d.value(QStringLiteral("deviceId")).toString();
                         const QString name = d.value(QStringLiteral("name")).toString();
                         const QString platform = d.value(QStringLiteral("platform")).toString();
                         m_device->addItem(name.isEmpty() ? tr("%1 (%2)").arg(id, platform)
                                                          : tr("%1 — %2 (%3)").arg(name, id, platform),
                                           id);
                     }
                     const int wanted = m_device->findData(m_wantedDevice);
                     m_device->setCurrentIndex(wanted >= 0 ? wanted : (m_device->count() ? 0 : -1));
                     m_send->setEnabled(m_device->currentIndex() >= 0);
                 });
}

void TestPushDialog::send()
{
    const QString deviceId = m_device->currentData().toString();
    if (deviceId.isEmpty())
        return;
    QJsonObject body{{QStringLiteral("deviceId"), deviceId}};
    if (!m_text->text().trimmed().isEmpty())
        body.insert(QStringLiteral("text"), m_text->text().trimmed());
    m_verdict = {};
    m_send->setEnabled(false);
    m_progress->show();
    m_verdictIcon->clear();
    m_verdictLabel->setText(tr("Sending to %1 and waiting for the outcome…").arg(deviceId));
    m_client.post(QStringLiteral("/admin/v1/test-push"), body, this, [this](const AdminReply &reply) {
        m_progress->hide();
        m_send->setEnabled(m_device->currentIndex() >= 0);
        if (!reply.ok()) {
            const QString text = reply.status == 504
                                     ? tr("No verdict within the server's time limit; the push may still arrive.")
                                     : tr("The test push was not sent: %1").arg(reply.errorMessage);
            showVerdict(text, false);
            emit notify(text, true);
            return;
        }
        m_verdict = reply.object;
        showVerdict(TestPushVerdict::describe(m_verdict), TestPushVerdict::succeeded(m_verdict));
        emit verdictArrived(m_verdict);
    });
}

void TestPushDialog::showVerdict(const QString &text, bool good)
{
    const int size = style()->pixelMetric(QStyle::PM_MessageBoxIconSize);
    const QIcon icon = style()->standardIcon(good ? QStyle::SP_DialogApplyButton : QStyle::SP_MessageBoxWarning);
    m_verdictIcon->setPixmap(icon.pixmap(size / 2, size / 2));
    m_verdictLabel->setText(text);
}

} // namespace herald
