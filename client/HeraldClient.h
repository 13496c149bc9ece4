#pragma once

#include "HeraldReply.h"
#include "TlsTrust.h"

#include "protocol/TerminalApi.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>

namespace herald {

// The terminal's side of the Terminal API (PROTOCOL.md): register a device, trigger monitoring with
// login/logout, list and open notifications. Every call returns a HeraldReply owned by the client
// (delete it, or let it go with the client) that finishes asynchronously.
class HeraldClient : public QObject
{
    Q_OBJECT

public:
    static constexpr int DefaultTimeoutMs = 30000;
    static constexpr qint64 DefaultMaxBodyBytes = 16 * 1024 * 1024;

    explicit HeraldClient(QObject *parent = nullptr);

    // https://host:port[/prefix]; the /v1/... paths are appended to it.
    void setBaseUrl(const QUrl &url) { m_baseUrl = url; }
    QUrl baseUrl() const { return m_baseUrl; }
    void setTlsTrust(const TlsTrust &trust) { m_trust = trust; }
    const TlsTrust &tlsTrust() const { return m_trust; }
    void setDeviceToken(const QString &token) { m_deviceToken = token; }
    QString deviceToken() const { return m_deviceToken; }
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    void setMaxBodyBytes(qint64 bytes) { m_maxBodyBytes = bytes; }

    // POST /v1/register. On success the reply's registerResponse() holds the token, and the client
    // adopts it for the following calls.
    HeraldReply *registerDevice(const protocol::RegisterRequest &request);
    // DELETE /v1/register: the device is forgotten, and so is the token here.
    HeraldReply *unregisterDevice();
    // POST /v1/login: monitoring of these apps starts now and outlives this client.
    HeraldReply *login(const QList<protocol::AppLogin> &apps);
    // POST /v1/logout: monitoring stops for these apps, or all when `apps` is empty.
    HeraldReply *logout(const QStringList &apps = {});
    // GET /v1/notifications[?state=...]; the reply's notificationList() holds the entries.
    HeraldReply *notifications(const QString &state = {});
    // POST /v1/notifications/{id}/open; the reply's openResponse() holds content and launch.
    HeraldReply *open(const QString &id);
    // POST /v1/presence with a presence source's token (gateways; herald-term presence plays one).
    HeraldReply *reportPresence(const QString &sourceToken, const QJsonObject &report);

private:
    QUrl endpoint(const QString &path) const;
    HeraldReply *send(const QByteArray &verb, const QUrl &url, const QByteArray &body, bool withToken,
                      HeraldReply::Expect expect);
    HeraldReply *sendWithBearer(const QByteArray &verb, const QUrl &url, const QByteArray &body, const QString &bearer,
                                HeraldReply::Expect expect);
    HeraldReply *refuse(const QString &code, const QString &message);
    HeraldReply *refuseAppNames(const QStringList &apps); // nullptr when every name is valid

    QNetworkAccessManager m_network;
    QUrl m_baseUrl;
    TlsTrust m_trust;
    QString m_deviceToken;
    int m_timeoutMs = DefaultTimeoutMs;
    qint64 m_maxBodyBytes = DefaultMaxBodyBytes;
};

} // namespace herald
