#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QTimer>

#include <functional>

#include "push/Http2Client.h"
#include "push/Provider.h"
#include "push/ProviderSettings.h"

namespace herald {

// Apple Push Notification service over HTTP/2, token (ES256 JWT) or certificate auth.
class ApnsProvider : public Provider
{
    Q_OBJECT
public:
    static constexpr int kTokenReuseSecs = 50 * 60;      // Apple: refresh no sooner than 20 min,
    static constexpr int kTokenMinRefreshSecs = 20 * 60; // tokens die after 60 min

    explicit ApnsProvider(const ProviderSettings &settings, QObject *parent = nullptr);

    QString name() const override { return QStringLiteral("apns"); }
    bool canAccept() const override;
    void send(const PushMessage &message) override;

    // Maps an APNs answer onto an outcome. Provider-token 403s come back as ProviderAuthFailed;
    // send() turns the first one into a token refresh and one internal retry.
    static PushResult classify(const Http2Response &response);
    static bool isProviderTokenError(const QString &reason);

    // Tests move the token clock to exercise expiry; seconds since the epoch.
    void setClockForTesting(std::function<qint64()> clock) { m_clock = std::move(clock); }
    int tokensIssued() const { return m_tokensIssued; }

private:
    struct Job
    {
        PushMessage message;
        Http2Request request;
        bool authRetried = false;
        qint64 startedMs = 0;
    };

    bool ensureToken(bool forceRefresh);
    void submit(Job job);
    void onResponse(quint64 id, const Http2Response &response);
    void onFailed(quint64 id, const QString &error);
    void finish(const PushResult &result);
    void finishLater(const PushResult &result);
    void sweepTimeouts();

    ProviderSettings m_settings;
    Http2Client *m_client = nullptr;
    QHash<quint64, Job> m_jobs;
    QByteArray m_token;
    qint64 m_tokenIssuedAt = 0;
    int m_tokensIssued = 0;
    bool m_authAlarmRaised = false;
    std::function<qint64()> m_clock;
    QElapsedTimer m_uptime;
    QTimer m_sweep;
};

} // namespace herald
