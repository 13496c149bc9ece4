#include "HeraldClient.h"

#include "ClientLog.h"

#include <QJsonDocument>
#include <QNetworkReply>
#include <QUrlQuery>

namespace herald {

using protocol::ApiError;

HeraldClient::HeraldClient(QObject *parent) : QObject(parent), m_network(this)
{
    // Notification content and tokens must not end up in a disk cache or a cookie jar.
    m_network.setCookieJar(nullptr);
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

QUrl HeraldClient::endpoint(const QString &path) const
{
    QUrl url = m_baseUrl;
    QString prefix = url.path();
    while (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    url.setPath(prefix + path, QUrl::TolerantMode);
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

HeraldReply *HeraldClient::refuse(const QString &code, const QString &message)
{
    return new HeraldReply(ApiError{0, code, message}, this);
}

HeraldReply *HeraldClient::refuseAppNames(const QStringList &apps)
{
    // The server's rule, checked here so that a caller learns of a bad name without a round trip.
    for (const QString &app : apps) {
        if (!protocol::isAppName(app))
            return refuse(QStringLiteral("bad_argument"),
                          QStringLiteral("invalid app name \"%1\": %2").arg(app.left(80), protocol::appNameProblem(app)));
    }
    return nullptr;
}

HeraldReply *HeraldClient::send(const QByteArray &verb, const QUrl &url, const QByteArray &body,
                                bool withToken, HeraldReply::Expect expect)
{
    if (!m_baseUrl.isValid() || m_baseUrl.host().isEmpty())
        return refuse(QStringLiteral("bad_argument"), QStringLiteral("no valid server URL configured"));
    if (withToken && m_deviceToken.isEmpty())
        return refuse(QStringLiteral("not_registered"), QStringLiteral("no device token: register first"));
    return sendWithBearer(verb, url, body, withToken ? m_deviceToken : QString(), expect);
}

HeraldReply *HeraldClient::sendWithBearer(const QByteArray &verb, const QUrl &url, const QByteArray &body,
                                          const QString &bearer, HeraldReply::Expect expect)
{
    QNetworkRequest request(url);
    request.setSslConfiguration(m_trust.configuration());
    request.setRawHeader("Accept", "application/json");
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearer.toUtf8());
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);

    qCDebug(lcClient).noquote() << verb << url.path();
    QNetworkReply *reply = body.isNull() ? m_network.sendCustomRequest(request, verb)
                                         : m_network.sendCustomRequest(request, verb, body);
    return new HeraldReply(reply, expect, m_trust, m_timeoutMs, m_maxBodyBytes, this);
}

HeraldReply *HeraldClient::registerDevice(const protocol::RegisterRequest &request)
{
    if (request.username.isEmpty())
        return refuse(QStringLiteral("bad_argument"), QStringLiteral("username must not be empty"));
    if (request.device.id.isEmpty() || request.device.pushToken.isEmpty())
        return refuse(QStringLiteral("bad_argument"),
                      QStringLiteral("device id and push token are required"));
    if (!protocol::isKnownPlatform(request.device.platform)) {
        return refuse(QStringLiteral("bad_argument"),
                      QStringLiteral("platform must be ios, android, web or desktop"));
    }
    if (HeraldReply *refused = refuseAppNames(request.apps))
        return refused;
    HeraldReply *reply = send("POST", endpoint(QStringLiteral("/v1/register")),
                              QJsonDocument(request.toJson()).toJson(QJsonDocument::Compact), false,
                              HeraldReply::Expect::Register);
    connect(reply, &HeraldReply::finished, this, [this, reply] {
        if (reply->isOk())
            m_deviceToken = reply->registerResponse().deviceToken;
    });
    return reply;
}

HeraldReply *HeraldClient::unregisterDevice()
{
    HeraldReply *reply = send("DELETE", endpoint(QStringLiteral("/v1/register")), QByteArray(), true,
                              HeraldReply::Expect::Nothing);
    connect(reply, &HeraldReply::finished, this, [this, reply] {
        if (reply->isOk())
            m_deviceToken.clear();
    });
    return reply;
}

HeraldReply *HeraldClient::login(const QList<protocol::AppLogin> &apps)
{
    if (apps.isEmpty())
        return refuse(QStringLiteral("bad_argument"), QStringLiteral("login needs at least one app"));
    QStringList names;
    for (const protocol::AppLogin &app : apps)
        names << app.app;
    if (HeraldReply *refused = refuseAppNames(names))
        return refused;
    protocol::LoginRequest request{apps};
    return send("POST", endpoint(QStringLiteral("/v1/login")),
                QJsonDocument(request.toJson()).toJson(QJsonDocument::Compact), true,
                HeraldReply::Expect::AnyJson);
}

HeraldReply *HeraldClient::logout(const QStringList &apps)
{
    if (HeraldReply *refused = refuseAppNames(apps))
        return refused;
    protocol::LogoutRequest request{apps};
    return send("POST", endpoint(QStringLiteral("/v1/logout")),
                QJsonDocument(request.toJson()).toJson(QJsonDocument::Compact), true,
                HeraldReply::Expect::AnyJson);
}

HeraldReply *HeraldClient::notifications(const QString &state)
{
    QUrl url = endpoint(QStringLiteral("/v1/notifications"));
    if (!state.isEmpty())
        url.setQuery(QUrlQuery{{QStringLiteral("state"), state}});
    return send("GET", url, QByteArray(), true, HeraldReply::Expect::NotificationList);
}

HeraldReply *HeraldClient::open(const QString &id)
{
    if (id.isEmpty())
        return refuse(QStringLiteral("bad_argument"), QStringLiteral("notification id must not be empty"));
    // The id is one path segment whatever it contains.
    const QString segment = QString::fromLatin1(QUrl::toPercentEncoding(id));
    QUrl url = endpoint(QStringLiteral("/v1/notifications/"));
    url.setPath(url.path(QUrl::FullyEncoded) + segment + QStringLiteral("/open"), QUrl::TolerantMode);
    // An empty (but present) body: POST with Content-Length 0.
    return send("POST", url, QByteArray(""), true, HeraldReply::Expect::Open);
}

HeraldReply *HeraldClient::reportPresence(const QString &sourceToken, const QJsonObject &report)
{
    if (!m_baseUrl.isValid() || m_baseUrl.host().isEmpty())
        return refuse(QStringLiteral("bad_argument"), QStringLiteral("no valid server URL configured"));
    if (sourceToken.isEmpty())
        return refuse(QStringLiteral("bad_argument"), QStringLiteral("a presence source token is required"));
    return sendWithBearer("POST", endpoint(QStringLiteral("/v1/presence")),
                          QJsonDocument(report).toJson(QJsonDocument::Compact), sourceToken,
                          HeraldReply::Expect::AnyJson);
}

} // namespace herald
