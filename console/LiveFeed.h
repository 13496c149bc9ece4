#pragma once

#include "ServerTrust.h"

#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace herald {

class AdminClient;

// The admin live feed (GET /admin/v1/live): one WebSocket that streams presence changes, new
// notifications, delivery outcomes, token retirements and provider/monitor alarms, so the console
// updates rows in place instead of polling. A lost connection is retried with exponential back-off
// (1 s doubling to 60 s, with jitter), under the same certificate trust as the API calls.
class LiveFeed : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Stopped,
        Connecting,
        Live,
        Waiting // lost; the next attempt is scheduled
    };
    Q_ENUM(State)

    explicit LiveFeed(AdminClient &client, QObject *parent = nullptr);

    void start();
    void stop();
    State state() const { return m_state; }
    // Milliseconds until the next attempt while Waiting.
    int retryInMs() const { return m_retry.isActive() ? m_retry.remainingTime() : 0; }
    void setBackoff(int minMs, int maxMs);

signals:
    void stateChanged(herald::LiveFeed::State state);
    // One JSON frame from the server (hello, presence, notification, delivery, token-retired,
    // provider, monitor); frames that are not JSON objects with a "type" are dropped.
    void frame(const QJsonObject &frame);
    void connectionLost(const QString &reason);

private:
    void openSocket();
    void onConnected();
    void onDisconnected();
    void onText(const QString &text);
    void setState(State state);
    void scheduleRetry();

    AdminClient &m_client;
    QWebSocket m_socket;
    QTimer m_retry;
    QTimer m_ping;
    State m_state = State::Stopped;
    int m_minDelayMs = 1000;
    int m_maxDelayMs = 60000;
    int m_delayMs = 1000;
    bool m_wanted = false;
};

} // namespace herald
