#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace herald::protocol {

// Request and response bodies of the Terminal API (PROTOCOL.md, "Terminal API"). Requests encode
// with toJson(); responses decode with fromJson(), which says why a body does not fit the contract.

namespace platform {
constexpr QLatin1String Ios{"ios"};
constexpr QLatin1String Android{"android"};
constexpr QLatin1String Web{"web"};
constexpr QLatin1String Desktop{"desktop"};
} // namespace platform
bool isKnownPlatform(const QString &name);
// An app's name, as registered, logged in to and configured in [app.NAME]: a lower-case letter or
// digit, then up to 63 more of those or . _ - (the pattern [a-z0-9][a-z0-9._-]{0,63}).
bool isAppName(QStringView name);
// Why `name` is not an app name, in words a person can act on ("app names are lower case: use
// \"mail\""); empty when it is one.
QString appNameProblem(QStringView name);

struct DeviceInfo
{
    QString id;
    QString platform;
    QString pushToken;
    QString pushTopic; // optional fields: empty means not sent
    QString locale;
    QString name;
    // Optional receiver key for end-to-end encrypted pushes: "pushKey":{"p256dh","auth"} (base64url)
    // is sent when both are set (65-byte P-256 point, 16-byte auth secret).
    QByteArray pushKeyP256dh;
    QByteArray pushKeyAuth;

    QJsonObject toJson() const;
};

struct RegisterRequest
{
    QString username;
    QString password;
    DeviceInfo device;
    QStringList apps;

    QJsonObject toJson() const;
};

struct RegisterResponse
{
    QString deviceToken;
    QString deviceId;

    static bool fromJson(const QJsonObject &object, RegisterResponse *out, QString *why);
};

struct AppLogin
{
    QString app;
    QJsonObject credentials;
    bool hasCredentials = false; // "credentials" is optional and an empty object is still sent

    QJsonObject toJson() const;
};

struct LoginRequest
{
    QList<AppLogin> apps;

    QJsonObject toJson() const;
};

struct LogoutRequest
{
    QStringList apps; // empty: every app

    QJsonObject toJson() const;
};

// One entry of GET /v1/notifications. Fields beyond the four required ones are kept in `raw`.
struct NotificationSummary
{
    QString id;
    QString app;
    QDateTime createdAt;
    QString state;
    QJsonObject raw;

    static bool fromJson(const QJsonObject &object, NotificationSummary *out, QString *why);
    static bool listFromJson(const QJsonArray &array, QList<NotificationSummary> *out, QString *why);
};

struct LaunchDescriptor
{
    QString app;
    QString uri;
    QString rdp; // optional: an RDP RemoteApp file body
    QJsonObject raw;

    static bool fromJson(const QJsonObject &object, LaunchDescriptor *out, QString *why);
};

struct OpenResponse
{
    QJsonObject notification; // the full content; shape grows with the server
    LaunchDescriptor launch;

    static bool fromJson(const QJsonObject &object, OpenResponse *out, QString *why);
};

} // namespace herald::protocol
