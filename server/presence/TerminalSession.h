#pragma once

#include "presence/Presence.h"
#include "protocol/SessionFrame.h"
#include "protocol/SessionFrameParser.h"
#include "timing/WheelTimer.h"

#include <QDateTime>
#include <QHash>
#include <QObject>

namespace herald {

class WebSocketConnection;
class TlsSocket;

// One terminal's session channel (GET /v1/session): hello/welcome, state, ack, ping/pong, and the
// heartbeat that decides when a silent session counts as gone. Bad frames get an error frame;
// a session that keeps sending them is closed.
class TerminalSession : public QObject
{
    Q_OBJECT
public:
    TerminalSession(TlsSocket *socket, const QByteArray &pending, qint64 deviceId, qint64 accountId, int heartbeatSecs,
                    TimerWheel &timers, QObject *parent = nullptr);

    qint64 deviceId() const { return m_deviceId; }
    qint64 accountId() const { return m_accountId; }
    bool isReady() const { return m_ready; }
    QDateTime lastActivity() const { return m_lastActivity; }
    Presence presence(const QString &app) const;
    QHash<QString, protocol::UiState> appStates() const { return m_apps; }
    // After an unacked delivery: the foreground claim is not to be trusted until the next state frame.
    void markStale(const QString &app);

    void deliver(const protocol::DeliverFrame &frame);
    void clear(const QStringList &ids);
    void close(quint16 code, const QByteArray &reason);

    static constexpr qint64 MaxFrameBytes = 16 * 1024;
    static constexpr int MaxBadFrames = 20;
    static constexpr int MaxApps = 64;

signals:
    void ready();
    void stateChanged(const QString &app, herald::Presence presence);
    void acked(const QString &notificationId);
    void closed();

private:
    void onMessage(const QByteArray &utf8);
    void sendFrame(const protocol::SessionFrame &frame);
    void refuse(const QString &code, const QString &message);

    WebSocketConnection *m_ws;
    qint64 m_deviceId;
    qint64 m_accountId;
    int m_heartbeatSecs;
    WheelTimer m_silence; // on the tracker's wheel: restarted on every frame, so O(1) matters
    QDateTime m_lastActivity;
    bool m_ready = false;
    int m_badFrames = 0;
    QHash<QString, protocol::UiState> m_apps;
    static const protocol::SessionFrameParser s_parser;
};

} // namespace herald
