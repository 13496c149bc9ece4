#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QTimer>

#include <functional>

#include "push/Http2Client.h"
#include "push/Provider.h"
#include "push/ProviderSettings.h"

namespace herald {

// Firebase Cloud Messaging HTTP v1 over our HTTP/2 client, with the OAuth2 service-account flow
// (RS256 assertion to the account's token_uri, token cached until five minutes before expiry).
class FcmProvider : public Provider
{
    Q_OBJECT
public:
    explicit FcmProvider(const ProviderSettings &settings, QObject *parent = nullptr);

    QString name() const override { return QStringLiteral("fcm"); }
    bool canAccept() const override;
    void send(const PushMessage &message) override;

    static PushResult classify(const Http2Response &response);
    int accessTokensFetched() const { return m_tokensFetched; }
    void setClockForTesting(std::function<qint64()> clock) { m_clock = std::move(clock); }

private:
    struct Job
    {
        PushMessage message;
        Http2Request request;
        bool authRetried = false;
        qint64 startedMs = 0;
        QByteArray accessToken; // the one it went out with, so a burst of 401s refreshes only once
    };

    bool haveToken() const;
    void fetchToken();
    void onTokenResponse(const Http2Response &response);
    void onTokenFailure(const QString &error, bool authProblem);
    void submit(Job job);
    void onResponse(quint64 id, const Http2Response &response);
    void onFailed(quint64 id, const QString &error);
    void finishLater(const PushResult &result);
    void sweepTimeouts();

    ProviderSettings m_settings;
    Http2Client *m_client = nullptr;     // fcm.googleapis.com
    Http2Client *m_authClient = nullptr; // token_uri's host
    QByteArray m_tokenPath;
    QHash<quint64, Job> m_jobs;
    QList<Job> m_waiting; // waiting for an access token
    QByteArray m_accessToken;
    qint64 m_tokenExpiresAt = 0;
    quint64 m_tokenRequest = 0;
    bool m_fetching = false;
    int m_tokensFetched = 0;
    bool m_wasFull = false;
    bool m_authAlarmRaised = false;
    std::function<qint64()> m_clock;
    QElapsedTimer m_uptime;
    QTimer m_sweep;
};

} // namespace herald
