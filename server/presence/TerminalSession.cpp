#include "presence/TerminalSession.h"

#include "presence/PresenceLog.h"
#include "presence/WebSocketConnection.h"
#include "protocol/ProtocolVersion.h"

namespace herald {

using namespace protocol;

const SessionFrameParser TerminalSession::s_parser(FrameDirection::ClientToServer, TerminalSession::MaxFrameBytes);

TerminalSession::TerminalSession(TlsSocket *socket, const QByteArray &pending, qint64 deviceId, qint64 accountId, int heartbeatSecs,
                                 TimerWheel &timers, QObject *parent)
    : QObject(parent)
    , m_ws(new WebSocketConnection(socket, pending, MaxFrameBytes, this))
    , m_deviceId(deviceId)
    , m_accountId(accountId)
    , m_heartbeatSecs(heartbeatSecs)
    , m_silence(timers, [this] {
        qCInfo(lcPresence) << "device" << m_deviceId << "silent for" << 2 * m_heartbeatSecs << "s; closing its session";
        close(WebSocketConnection::GoingAway, "heartbeat timeout");
    })
    , m_lastActivity(QDateTime::currentDateTimeUtc())
{
    // PROTOCOL: a session silent for 2xS counts as gone. The same bound applies to the hello.
    const qint64 silenceMs = 2 * qint64(heartbeatSecs) * 1000;
    m_silence.start(silenceMs);
    connect(m_ws, &WebSocketConnection::activity, this, [this, silenceMs] {
        m_lastActivity = QDateTime::currentDateTimeUtc();
        m_silence.start(silenceMs);
    });
    connect(m_ws, &WebSocketConnection::textMessage, this, &TerminalSession::onMessage);
    connect(m_ws, &WebSocketConnection::closed, this, [this](quint16 code) {
        m_silence.stop();
        qCDebug(lcPresence) << "session of device" << m_deviceId << "closed with" << code;
        Q_EMIT closed();
    });
}

Presence TerminalSession::presence(const QString &app) const
{
    if (!m_ready || !m_ws->isOpen())
        return Presence::Offline;
    const auto it = m_apps.constFind(app);
    if (it == m_apps.constEnd())
        return Presence::Closed;
    switch (*it) {
    case UiState::Foreground: return Presence::Foreground;
    case UiState::Background: return Presence::Background;
    case UiState::Closed: break;
    }
    return Presence::Closed;
}

void TerminalSession::markStale(const QString &app)
{
    if (m_apps.value(app) == UiState::Foreground) {
        m_apps.insert(app, UiState::Background);
        Q_EMIT stateChanged(app, Presence::Background);
    }
}

void TerminalSession::sendFrame(const SessionFrame &frame)
{
    m_ws->sendText(frameToText(frame).toUtf8());
}

void TerminalSession::deliver(const DeliverFrame &frame)
{
    sendFrame(frame);
}

void TerminalSession::clear(const QStringList &ids)
{
    if (m_ready)
        sendFrame(ClearFrame{ids});
}

void TerminalSession::close(quint16 code, const QByteArray &reason)
{
    m_ws->close(code, reason);
}

void TerminalSession::refuse(const QString &code, const QString &message)
{
    sendFrame(ErrorFrame{code, message});
    if (++m_badFrames > MaxBadFrames)
        close(WebSocketConnection::PolicyViolation, "too many bad frames");
}

void TerminalSession::onMessage(const QByteArray &utf8)
{
    const SessionFrameResult result = s_parser.parse(utf8);
    if (!result.isValid()) {
        refuse(result.error.code, result.error.message);
        return;
    }
    const SessionFrame &frame = *result.frame;
    if (const auto *hello = std::get_if<HelloFrame>(&frame)) {
        if (m_ready) {
            refuse(QStringLiteral("bad_value"), QStringLiteral("hello was already sent"));
            return;
        }
        if (hello->protocol != Version) {
            sendFrame(ErrorFrame{QStringLiteral("unsupported_protocol"),
                                 QStringLiteral("this server speaks protocol %1").arg(Version)});
            close(WebSocketConnection::PolicyViolation, "unsupported protocol");
            return;
        }
        m_ready = true;
        sendFrame(WelcomeFrame{Version, {feature::Ack, feature::Clear}, m_heartbeatSecs});
        Q_EMIT ready();
        return;
    }
    if (!m_ready) {
        refuse(QStringLiteral("hello_required"), QStringLiteral("send hello first"));
        return;
    }
    if (const auto *state = std::get_if<StateFrame>(&frame)) {
        if (!m_apps.contains(state->app) && m_apps.size() >= MaxApps) {
            refuse(QStringLiteral("bad_value"), QStringLiteral("too many apps on one session"));
            return;
        }
        m_apps.insert(state->app, state->ui);
        Q_EMIT stateChanged(state->app, presence(state->app));
    } else if (const auto *ack = std::get_if<AckFrame>(&frame)) {
        Q_EMIT acked(ack->id);
    } else if (std::holds_alternative<PingFrame>(frame)) {
        sendFrame(PongFrame{});
    }
}

} // namespace herald
