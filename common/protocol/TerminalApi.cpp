#include "protocol/TerminalApi.h"

#include <algorithm>

namespace herald::protocol {

namespace {

void insertIfSet(QJsonObject *object, const QString &key, const QString &value)
{
    if (!value.isEmpty())
        object->insert(key, value);
}

bool requireString(const QJsonObject &object, const QString &key, bool allowEmpty, QString *out, QString *why)
{
    const QJsonValue value = object.value(key);
    if (!value.isString() || (!allowEmpty && value.toString().isEmpty())) {
        if (why)
            *why = QStringLiteral("\"%1\" is missing or not a non-empty string").arg(key);
        return false;
    }
    *out = value.toString();
    return true;
}

} // namespace

bool isKnownPlatform(const QString &name)
{
    return name == platform::Ios || name == platform::Android || name == platform::Web ||
           name == platform::Desktop;
}

bool isAppName(QStringView name)
{
    auto lowerOrDigit = [](QChar c) { return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9'); };
    if (name.isEmpty() || name.size() > 64 || !lowerOrDigit(name.front()))
        return false;
    return std::all_of(name.begin() + 1, name.end(),
                       [&](QChar c) { return lowerOrDigit(c) || c == u'.' || c == u'_' || c == u'-'; });
}

QString appNameProblem(QStringView name)
{
    if (isAppName(name))
        return {};
    if (name.isEmpty())
        return QStringLiteral("an app name must not be empty");
    if (name.size() > 64)
        return QStringLiteral("an app name has at most 64 characters");
    const QString lower = name.toString().toLower();
    if (lower != name && isAppName(lower))
        return QStringLiteral("app names are lower case: use \"%1\"").arg(lower);
    if (name.front() == u'.' || name.front() == u'_' || name.front() == u'-')
        return QStringLiteral("an app name starts with a lower-case letter or digit");
    return QStringLiteral("an app name has only lower-case letters, digits, '.', '_' and '-'");
}

QJsonObject DeviceInfo::toJson() const
{
    QJsonObject object{{QStringLiteral("id"), id},
                       {QStringLiteral("platform"), platform},
                       {QStringLiteral("pushToken"), pushToken}};
    insertIfSet(&object, QStringLiteral("pushTopic"), pushTopic);
    insertIfSet(&object, QStringLiteral("locale"), locale);
    insertIfSet(&object, QStringLiteral("name"), name);
    if (!pushKeyP256dh.isEmpty() && !pushKeyAuth.isEmpty()) {
        constexpr auto url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
        object.insert(QStringLiteral("pushKey"),
                      QJsonObject{{QStringLiteral("p256dh"), QString::fromLatin1(pushKeyP256dh.toBase64(url))},
                                  {QStringLiteral("auth"), QString::fromLatin1(pushKeyAuth.toBase64(url))}});
    }
    return object;
}

QJsonObject RegisterRequest::toJson() const
{
    return QJsonObject{{QStringLiteral("username"), username},
                       {QStringLiteral("password"), password},
                       {QStringLiteral("device"), device.toJson()},
                       {QStringLiteral("apps"), QJsonArray::fromStringList(apps)}};
}

bool RegisterResponse::fromJson(const QJsonObject &object, RegisterResponse *out, QString *why)
{
    RegisterResponse response;
    if (!requireString(object, QStringLiteral("deviceToken"), false, &response.deviceToken, why) ||
        !requireString(object, QStringLiteral("deviceId"), false, &response.deviceId, why))
        return false;
    *out = response;
    return true;
}

QJsonObject AppLogin::toJson() const
{
    QJsonObject object{{QStringLiteral("app"), app}};
    if (hasCredentials)
        object.insert(QStringLiteral("credentials"), credentials);
    return object;
}

QJsonObject LoginRequest::toJson() const
{
    QJsonArray array;
    for (const AppLogin &app : apps)
        array.append(app.toJson());
    return QJsonObject{{QStringLiteral("apps"), array}};
}

QJsonObject LogoutRequest::toJson() const
{
    // PROTOCOL.md makes "apps" optional; leaving it out is the documented "all apps".
    QJsonObject object;
    if (!apps.isEmpty())
        object.insert(QStringLiteral("apps"), QJsonArray::fromStringList(apps));
    return object;
}

bool NotificationSummary::fromJson(const QJsonObject &object, NotificationSummary *out, QString *why)
{
    NotificationSummary summary;
    QString createdAt;
    if (!requireString(object, QStringLiteral("id"), false, &summary.id, why) ||
        !requireString(object, QStringLiteral("app"), false, &summary.app, why) ||
        !requireString(object, QStringLiteral("createdAt"), false, &createdAt, why) ||
        !requireString(object, QStringLiteral("state"), false, &summary.state, why))
        return false;
    summary.createdAt = QDateTime::fromString(createdAt, Qt::ISODateWithMs);
    if (!summary.createdAt.isValid()) {
        if (why)
            *why = QStringLiteral("\"createdAt\" is not an ISO 8601 time");
        return false;
    }
    summary.raw = object;
    *out = summary;
    return true;
}

bool NotificationSummary::listFromJson(const QJsonArray &array, QList<NotificationSummary> *out, QString *why)
{
    QList<NotificationSummary> list;
    list.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        NotificationSummary summary;
        QString entryWhy;
        if (!array.at(i).isObject() || !fromJson(array.at(i).toObject(), &summary, &entryWhy)) {
            if (why)
                *why = QStringLiteral("entry %1: %2")
                           .arg(i)
                           .arg(entryWhy.isEmpty() ? QStringLiteral("not an object") : entryWhy);
            return false;
        }
        list.append(summary);
    }
    *out = list;
    return true;
}

bool LaunchDescriptor::fromJson(const QJsonObject &object, LaunchDescriptor *out, QString *why)
{
    LaunchDescriptor launch;
    if (!requireString(object, QStringLiteral("app"), false, &launch.app, why) ||
        !requireString(object, QStringLiteral("uri"), false, &launch.uri, why))
        return false;
    const QJsonValue rdp = object.value(QStringLiteral("rdp"));
    if (!rdp.isUndefined() && !rdp.isNull()) {
        if (!rdp.isString()) {
            if (why)
                *why = QStringLiteral("\"rdp\" is not a string");
            return false;
        }
        launch.rdp = rdp.toString();
    }
    launch.raw = object;
    *out = launch;
    return true;
}

bool OpenResponse::fromJson(const QJsonObject &object, OpenResponse *out, QString *why)
{
    OpenResponse response;
    const QJsonValue notification = object.value(QStringLiteral("notification"));
    const QJsonValue launch = object.value(QStringLiteral("launch"));
    if (!notification.isObject() || !launch.isObject()) {
        if (why)
            *why = QStringLiteral("\"notification\" and \"launch\" must both be objects");
        return false;
    }
    QString launchWhy;
    if (!LaunchDescriptor::fromJson(launch.toObject(), &response.launch, &launchWhy)) {
        if (why)
            *why = QStringLiteral("launch: %1").arg(launchWhy);
        return false;
    }
    response.notification = notification.toObject();
    *out = response;
    return true;
}

} // namespace herald::protocol
