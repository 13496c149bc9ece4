#include "admin/AdminFeedNames.h"

#include "storage/Storage.h"

namespace herald {

namespace {
const QString kDeviceRow = QStringLiteral("deviceRow");
const QString kAccountRow = QStringLiteral("accountRow");
} // namespace

AdminFeedNames::AdminFeedNames(const QJsonObject &frame)
    : m_deviceRow(frame.value(kDeviceRow).toInteger())
    , m_accountRow(frame.value(kAccountRow).toInteger())
{
    const QString type = frame.value(QStringLiteral("type")).toString();
    m_wantsAccount = m_accountRow > 0 || type == QLatin1String("presence") || type == QLatin1String("token-retired");
}

void AdminFeedNames::read(Storage &storage)
{
    qint64 accountId = m_accountRow;
    if (m_deviceRow > 0) {
        m_device = storage.deviceById(m_deviceRow);
        accountId = m_device ? m_device->accountId : 0;
    }
    if (m_wantsAccount && accountId > 0) {
        const auto account = storage.accountById(accountId);
        m_account = account ? account->name : QString();
    }
}

std::optional<QJsonObject> AdminFeedNames::present(QJsonObject frame, const QString &node) const
{
    frame.remove(kDeviceRow);
    frame.remove(kAccountRow);
    frame.insert(QStringLiteral("node"), node);
    if (m_wantsAccount)
        frame.insert(QStringLiteral("account"), m_account);
    if (m_deviceRow <= 0)
        return frame;
    const QString type = frame.value(QStringLiteral("type")).toString();
    if (!m_device && type != QLatin1String("delivery"))
        return std::nullopt;
    frame.insert(QStringLiteral("deviceId"), m_device ? m_device->deviceId : QString());
    if (type == QLatin1String("presence")) {
        // Every app the device registered: as its session reported it where it runs, else closed
        // (online, never reported) or offline.
        const QJsonObject reported = frame.value(QStringLiteral("apps")).toObject();
        const QString unreported =
            frame.value(QStringLiteral("online")).toBool() ? QStringLiteral("closed") : QStringLiteral("offline");
        QJsonObject apps;
        for (const QString &app : m_device->apps)
            apps.insert(app, reported.value(app).toString(unreported));
        frame.insert(QStringLiteral("apps"), apps);
    }
    return frame;
}

} // namespace herald
