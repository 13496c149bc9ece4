#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QTimer>

#include "push/Http2Client.h"
#include "push/Provider.h"
#include "push/ProviderSettings.h"
#include "push/VapidSigner.h"

namespace herald {

// Web Push (RFC 8030) for `web` devices: the device's push token is its subscription endpoint,
// an https URL of the browser vendor's push service. One POST per push over HTTP/2, with VAPID
// (RFC 8292), TTL, Urgency and, when the device registered a push key and the app's level is
// `encrypted`, the RFC 8291 blob as body (Content-Encoding: aes128gcm); otherwise the push has no
// body and the service worker fetches what it may show. One Http2Client per push-service origin.
class WebPushProvider : public Provider
{
    Q_OBJECT
public:
    static constexpr int kMaxBodyBytes = 4096; // what RFC 8030 push services must accept
    static constexpr int kMaxOrigins = 64;     // push services are few; endpoints beyond are refused

    explicit WebPushProvider(const ProviderSettings &settings, QObject *parent = nullptr);

    QString name() const override { return QStringLiteral("webpush"); }
    bool canAccept() const override;
    void send(const PushMessage &message) override;

    // 201 (and any 2xx) Delivered; 404/410 TokenDead (the subscription is gone); 401/403
    // ProviderAuthFailed (VAPID refused); 413 and other 4xx Rejected; 429/5xx RetryLater.
    static PushResult classify(const Http2Response &response);
    // Empty when `endpoint` is a usable subscription endpoint, else why not.
    static QString endpointProblem(const QString &endpoint);

private:
    struct Job
    {
        PushMessage message;
        Http2Client *client = nullptr;
        qint64 startedMs = 0;
    };

    Http2Client *clientFor(const QUrl &endpoint);
    void onResponse(Http2Client *client, quint64 id, const Http2Response &response);
    void onFailed(Http2Client *client, quint64 id, const QString &error);
    void finishLater(const PushResult &result);
    void announceRoom(); // readyForMore() once after canAccept() was false
    void sweepTimeouts();

    ProviderSettings m_settings;
    VapidSigner m_vapid;
    QHash<QString, Http2Client *> m_clients; // by origin
    QHash<QPair<Http2Client *, quint64>, Job> m_jobs;
    bool m_authAlarmRaised = false;
    bool m_wasFull = false;
    QElapsedTimer m_uptime;
    QTimer m_sweep;
};

} // namespace herald
