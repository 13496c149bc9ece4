#pragma once

#include "push/Provider.h"
#include "storage/Records.h"

#include <QDateTime>
#include <QHash>
#include <QObject>

namespace herald {

class ProviderRegistry;
class Storage;

// After an open: silent "clear" updates to the devices that were pushed the notification, so the
// tray entry goes and the badge drops. Best effort, with no delivery row of their own: a busy or
// missing provider means none is sent (the next push carries the right badge); a dead-token
// verdict still retires the token, through the background writer.
class ClearPushSender : public QObject
{
    Q_OBJECT
public:
    ClearPushSender(Storage &storage, ProviderRegistry &providers, QObject *parent = nullptr);

    // One clear per device, APNs and FCM only: a browser must show something for every push it
    // gets (userVisibleOnly), so Web Push devices are left alone.
    void send(const NotificationRecord &n, const QStringList &ids, const QList<DeviceRecord> &devices, int badge);
    // A provider's answer: true when it was one of these clears (and is handled here).
    bool takeResult(const PushResult &result);

signals:
    void pushAnswered(const QString &provider, const QString &outcome, const QString &reason, double seconds);
    void pushTokenRetired(qint64 deviceId, const QString &reason);

private:
    Storage &m_storage;
    ProviderRegistry &m_providers;
    struct Sent
    {
        qint64 deviceId = 0;
        QString pushToken;
        QString provider;
        QDateTime sentAt;
    };
    QHash<QString, Sent> m_sent; // by the clear's own apns-id
};

} // namespace herald
