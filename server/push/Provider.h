#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>

namespace herald {

// One push to one device, already reduced to what the app's privacy level allows.
// The dispatcher builds it; a Provider turns it into the platform's wire format.
struct PushMessage
{
    QString deliveryId;     // stable across retries: becomes apns-id, so APNs can deduplicate
    QString notificationId; // "nid" in the payload
    QString platform;       // "ios" or "android"
    QString pushToken;      // APNs hex device token or FCM registration token
    QString topic;          // APNs bundle id (apns-topic); empty means the provider's default
    QString title;          // may be empty (privacy "none")
    QString body;           // may be empty
    QString uri;            // deep link that opens the remote app client ("uri" in the payload)
    QString collapseId;     // optional; apns-collapse-id / FCM collapse_key and notification tag
    QString threadId;       // optional; APNs thread-id (the app, where the privacy level may name it)
    QString locKey;         // optional localisation key, for clients that localise themselves
    QDateTime expiresAt;    // invalid: provider default
    int badge = -1;         // the account's unread count (aps.badge, FCM notification_count); -1: none
    bool highPriority = true;     // false: apns-priority 5 / android NORMAL
    bool contentAvailable = false; // background push (privacy "none", clear)
    bool quiet = false;            // an update of a notification already shown: no sound
    // A silent update instead of a notification: the device drops the tray entries with these ids
    // (notification ids or collapse ids) and takes the badge. Nothing else is sent with it.
    QStringList clearIds;
    // Privacy "encrypted": the content sealed for this device alone (RFC 8291 aes128gcm blob).
    // Payload builders carry it whole ("enc", base64url; a Web Push body as is) or not at all.
    QByteArray sealed;
};

// What a provider concluded about one push. The dispatcher maps it onto delivery state.
struct PushResult
{
    enum class Outcome {
        Delivered,          // the provider accepted it (APNs/FCM 200)
        RetryLater,         // 429, 5xx, connection loss: retry with back-off (honour retryAfterSecs)
        TokenDead,          // 410 Unregistered, BadDeviceToken, DeviceTokenNotForTopic, FCM UNREGISTERED
        Rejected,           // permanent for this message (bad payload, bad topic, ...): do not retry
        ProviderAuthFailed, // our credentials are wrong even after a refresh: raise an alarm, stop sending
    };
    QString deliveryId;
    Outcome outcome = Outcome::RetryLater;
    int httpStatus = 0;         // 0 when no response arrived
    QString reason;             // provider's reason code ("Unregistered", "UNREGISTERED", ...) or our own
    QString providerMessageId;  // apns-id echoed / FCM message name
    int retryAfterSecs = -1;    // from Retry-After, -1 if absent
};

// The seam between dispatch and the push platforms (APNs, FCM, the recording provider in tests).
// Providers live on the main thread and never block it. send() may be called only while
// canAccept() is true; when it turns false the caller waits for readyForMore().
class Provider : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~Provider() override = default;

    virtual QString name() const = 0;      // "apns", "fcm", "recording", ...
    virtual bool canAccept() const = 0;    // back-pressure: false when its queues are full
    virtual void send(const PushMessage &message) = 0;

signals:
    void finished(const herald::PushResult &result); // exactly once per send()
    void readyForMore();                              // canAccept() became true again
    void alarm(const QString &reason);                // provider-level trouble an admin must see
};

} // namespace herald

Q_DECLARE_METATYPE(herald::PushResult)
