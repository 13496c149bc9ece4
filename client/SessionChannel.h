#pragma once

#include "TlsTrust.h"

#include "protocol/ApiError.h"
#include "protocol/SessionFrameParser.h"

#include <QElapsedTimer>
#include <QMap>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace herald {

// The session channel (PROTOCOL.md, GET /v1/session): tells the server which apps are on screen
// and receives in-band deliveries while they are. Sends hello on connect, pings at half the
// heartbeat the server asks for, acks every deliver (unless told not to, which lets tests provoke
// the server's ack-timeout fallback to push), and replays the current app states after every
// (re)connect so that the server's view never depends on which connection it saw them on.
class SessionChannel : public QObject
{
    Q_OBJECT

public:
    enum class State
    {
        Disconnected,
        Connecting,
        Welcomed
    };
    Q_ENUM(State)

    explicit SessionChannel(QObject *parent = nullptr);
    ~SessionChannel() override;

    // The same https://host:port base as HeraldClient; the channel uses wss://host:port/v1/session.
    void setServerUrl(const QUrl &baseUrl) { m_baseUrl = baseUrl; }
    void setDeviceToken(const QString &token) { m_deviceToken = token; }
    void setTlsTrust(const TlsTrust &trust) { m_trust = trust; }
    void setAutoAck(bool enabled) { m_autoAck = enabled; }
    bool autoAck() const { return m_autoAck; }
    // Reconnect after a lost connection, waiting minDelay, doubling up to maxDelay (with jitter).
    void setAutoReconnect(bool enabled, int minDelayMs = 1000, int maxDelayMs = 60000);
    void setMaxFrameBytes(qsizetype bytes);
    void setFeatures(const QStringList &features) { m_features = features; }

    void open();
    void close();

    State state() const { return m_state; }
    int heartbeatSeconds() const { return m_heartbeat; }
    QStringList serverFeatures() const { return m_serverFeatures; }
    QMap<QString, protocol::UiState> appStates() const { return m_appStates; }

    // Records the app's state and sends it now if the channel is up (else after the next welcome).
    // False, with `error` set, for an app name the protocol would refuse.
    bool setState(const QString &app, protocol::UiState ui, QString *error = nullptr);
    // For manual acknowledgement when auto-ack is off.
    bool ack(const QString &id);
    bool sendPing();

signals:
    void stateChanged(herald::SessionChannel::State state);
    void connected(); // the server's welcome arrived
    void disconnected();
    void frameReceived(const herald::protocol::SessionFrame &frame);
    void delivered(const herald::protocol::DeliverFrame &frame);
    void cleared(const QStringList &ids);
    void errorFrame(const QString &code, const QString &message);
    // The server sent something that is not a valid frame.
    void protocolError(const herald::protocol::SessionFrameError &error);
    // The connection could not be made or was lost (TLS, HTTP status of the upgrade, network).
    void connectionError(const herald::protocol::ApiError &error);
    void reconnectScheduled(int delayMs);

private:
    void connectSocket();
    void onConnected();
    void onDisconnected();
    void onSocketError(QAbstractSocket::SocketError error);
    protocol::ApiError describeSocketError(QAbstractSocket::SocketError error) const;
    void onSslErrors(const QList<QSslError> &errors);
    void onTextMessage(const QString &text);
    void onWelcome(const protocol::WelcomeFrame &welcome);
    void onHeartbeatTick();
    void scheduleReconnect();
    bool sendFrame(const protocol::SessionFrame &frame);
    void setChannelState(State state);
    QUrl sessionUrl() const;

    QWebSocket *m_socket = nullptr;
    QUrl m_baseUrl;
    QString m_deviceToken;
    TlsTrust m_trust;
    protocol::SessionFrameParser m_parser;
    QStringList m_features;
    bool m_autoAck = true;
    bool m_autoReconnect = false;
    int m_minDelayMs = 1000;
    int m_maxDelayMs = 60000;
    int m_nextDelayMs = 1000;
    bool m_wantOpen = false;
    State m_state = State::Disconnected;
    int m_heartbeat = 0;
    QStringList m_serverFeatures;
    QMap<QString, protocol::UiState> m_appStates;
    QTimer m_heartbeatTimer;
    QTimer m_welcomeTimer;
    QTimer m_reconnectTimer;
    QElapsedTimer m_sinceLastFrame;
    protocol::ApiError m_pendingError; // reason for the disconnect now in progress
    bool m_disconnectDeferred = false;
};

} // namespace herald
