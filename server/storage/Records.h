#pragma once

#include "storage/RecordStates.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

namespace herald {

// Plain rows as the rest of the server sees them; no SQL types leak past Storage.

struct AccountRecord
{
    qint64 id = 0;
    QString name;
    QString passwordHash;
    bool disabled = false;
    QDateTime createdAt;
};

struct OperatorRecord
{
    qint64 id = 0;
    QString name;
    QString passwordHash;
    QString role; // "admin" | "helpdesk"
    bool disabled = false;
    QDateTime createdAt;
};

struct DeviceRecord
{
    qint64 id = 0; // storage row id
    qint64 accountId = 0;
    QString deviceId; // the terminal's own id
    QString platform; // ios | android | web | desktop
    QString pushToken;
    QString pushTopic;
    QString locale;
    QString name;
    QByteArray tokenHash; // SHA-256 of the bearer deviceToken
    PushTokenState pushTokenState = PushTokenState::Active;
    QString pushTokenRetiredReason;
    QDateTime pushTokenRetiredAt; // when it was first retired; invalid while active
    // RFC 8291 receiver key (device.pushKey): 65-byte P-256 point and 16-byte auth secret; both
    // null when the device registered none. Privacy level `encrypted` seals pushes with it.
    QByteArray pushKeyP256dh;
    QByteArray pushKeyAuth;
    bool hasPushKey() const { return !pushKeyP256dh.isEmpty() && !pushKeyAuth.isEmpty(); }
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime lastSeen;
    QStringList apps;
};

struct LoginRecord
{
    qint64 accountId = 0;
    QString app;
    QByteArray credentials; // encrypted at rest; empty when the monitor needs none
    QDateTime loggedInAt;
    QByteArray checkpoint;
    QString monitorState;
    QString monitorError;
    QString monitorClaimer; // the run that watches it (Storage::claimLogins); empty: none yet
};

struct SourceRecord
{
    qint64 id = 0;
    QString name;
    QDateTime createdAt;
    QString kind = QStringLiteral("events"); // events | presence
    QDateTime revokedAt;                     // invalid while the source may post
};

// One row of the nodes table: a server run and what its last heartbeat reported of it.
struct NodeRecord
{
    QString claimer; // the run
    QString node;    // the data folder's node name
    QString address; // HOST:PORT it listens on; "" until its first heartbeat (or from a version before 17)
    QString version;
    QDateTime startedAt;
    QDateTime heartbeatAt;
    int sessions = 0; // session channels it held at that heartbeat
    int monitors = 0; // monitors it ran then
    QByteArray activity; // JSON of its presence and activity counts (NodeActivity), "" before version 18
};

// A console session as stored (schema 18): found by SHA-256 of its bearer token, with its
// operator as the operators table has it now.
struct ConsoleSessionRecord
{
    qint64 operatorId = 0;
    QString operatorName;
    QString role;
    bool disabled = false;
    QDateTime expiresAt;
};

// One accepted event. Contents are kept for the authenticated open call; never logged.
struct NotificationRecord
{
    QString id;
    qint64 accountId = 0;
    QString app;
    QString source;
    QString eventId;
    QString sender;
    QString subject;
    QString body;
    QDateTime receivedAt;
    QDateTime createdAt;
    QDateTime expiresAt;
    NotificationState state = NotificationState::Active;
    QDateTime openedAt;
};

// One notification to one device, and where it stands.
struct DeliveryRecord
{
    QString id; // also the apns-id of its pushes, so retries carry the same id
    QString notificationId;
    qint64 deviceId = 0; // devices.id
    DeliveryState state = DeliveryState::Pending;
    DeliveryChannel channel = DeliveryChannel::None;
    int attempts = 0;
    QDateTime nextAttemptAt;
    QString lastError;
    QString providerId;
    QDateTime createdAt;
    QDateTime updatedAt;
};

// Whom an event for (account, app) may reach, read in one query: the account, whether it is logged
// in to the app, and its devices registered for the app (most recently seen first; apps = {app}).
struct EventTargets
{
    AccountRecord account; // without the password hash
    bool loggedIn = false;
    QList<DeviceRecord> devices;
};

struct DeliveryAttemptRecord
{
    QString deliveryId;
    AttemptChannel channel = AttemptChannel::InBand;
    QString outcome; // sent, acked, ack_timeout, ack_lost, seen-in-app, or a push verdict (delivered,
                     // token_dead, …): text, since only history and metric labels read it
    QString detail;
    QDateTime at;     // when the outcome was known
    QDateTime sentAt; // pushes: when the request went out; invalid for other rows
};

} // namespace herald
