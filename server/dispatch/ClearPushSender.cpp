#include "dispatch/ClearPushSender.h"

#include "dispatch/DispatchLog.h"
#include "dispatch/PushOutcomeName.h"
#include "push/ProviderRegistry.h"
#include "storage/Storage.h"

#include <QUuid>

namespace herald {

ClearPushSender::ClearPushSender(Storage &storage, ProviderRegistry &providers, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_providers(providers)
{
}

void ClearPushSender::send(const NotificationRecord &n, const QStringList &ids, const QList<DeviceRecord> &devices,
                           int badge)
{
    for (const DeviceRecord &device : devices) {
        if (device.pushTokenState != PushTokenState::Active || device.pushToken.isEmpty() ||
            (device.platform != QLatin1String("ios") && device.platform != QLatin1String("android")))
            continue;
        Provider *provider = m_providers.providerFor(device.platform);
        if (!provider || !provider->canAccept()) {
            // A busy provider keeps its room for notifications.
            qCDebug(lcDispatch) << "clear for device" << device.id << "not sent: provider busy or missing";
            continue;
        }
        PushMessage message;
        message.deliveryId = QUuid::createUuid().toString(QUuid::WithoutBraces); // apns-id: a UUID
        message.notificationId = n.id;
        message.platform = device.platform;
        message.pushToken = device.pushToken;
        message.topic = device.pushTopic;
        message.clearIds = ids;
        message.badge = badge;
        message.expiresAt = n.expiresAt;
        message.contentAvailable = true;
        message.highPriority = false; // APNs priority 5, FCM NORMAL: nothing for the user to see
        m_sent.insert(message.deliveryId, {device.id, device.pushToken, provider->name(), QDateTime::currentDateTimeUtc()});
        provider->send(message);
    }
}

bool ClearPushSender::takeResult(const PushResult &result)
{
    const auto found = m_sent.constFind(result.deliveryId);
    if (found == m_sent.cend())
        return false;
    const Sent sent = *found;
    m_sent.erase(found);
    Q_EMIT pushAnswered(sent.provider, pushOutcomeName(result.outcome), result.reason,
                        double(sent.sentAt.msecsTo(QDateTime::currentDateTimeUtc())) / 1000.0);
    if (result.outcome == PushResult::Outcome::TokenDead) {
        m_storage.writeInBackground(
            [sent, reason = result.reason](Storage &storage) {
                return storage.setPushTokenState(sent.deviceId, sent.pushToken, PushTokenState::Retired, reason);
            },
            [deviceId = sent.deviceId](bool ok) {
                if (!ok)
                    qCCritical(lcDispatch) << "cannot retire the push token of device" << deviceId;
            });
        qCWarning(lcDispatch) << "push token of device" << sent.deviceId << "retired:" << result.reason;
        Q_EMIT pushTokenRetired(sent.deviceId, result.reason);
    } else if (result.outcome != PushResult::Outcome::Delivered) {
        qCDebug(lcDispatch) << "clear for device" << sent.deviceId << "not delivered:"
                            << pushOutcomeName(result.outcome) << result.reason;
    }
    return true;
}

} // namespace herald
