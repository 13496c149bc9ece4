#include "SessionChannel.h"

#include "ClientLog.h"

#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSslSocket>

namespace herald {

using namespace protocol;

namespace {
// The server must answer hello promptly; a proxy that swallows frames would otherwise look alive.
constexpr int WelcomeTimeoutMs = 15000;
} // namespace

SessionChannel::SessionChannel(QObject *parent)
    : QObject(parent), m_parser(FrameDirection::ServerToClient),
      m_features({QString(feature::Ack), QString(feature::Clear)})
{
    m_heartbeatTimer.setTimerType(Qt::CoarseTimer);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &SessionChannel::onHeartbeatTick);
    m_welcomeTimer.setSingleShot(true);
    connect(&m_welcomeTimer, &QTimer::timeout, this, [this] {
        m_pendingError = {0, QStringLiteral("timeout"), QStringLiteral("no welcome from the server")};
        if (m_socket)
            m_socket->abort();
    });
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &SessionChannel::connectSocket);
}

SessionChannel::~SessionChannel()
{
    m_wantOpen = false;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void SessionChannel::setAutoReconnect(bool enabled, int minDelayMs, int maxDelayMs)
{
    m_autoReconnect = enabled;
    m_minDelayMs = std::max(10, minDelayMs);
    m_maxDelayMs = std::max(m_minDelayMs, maxDelayMs);
    m_nextDelayMs = m_minDelayMs;
}

void SessionChannel::setMaxFrameBytes(qsizetype bytes)
{
    m_parser = SessionFrameParser(FrameDirection::ServerToClient, bytes);
}

QUrl SessionChannel::sessionUrl() const
{
    QUrl url = m_baseUrl;
    url.setScheme(url.scheme() == QLatin1String("http") ? QStringLiteral("ws") : QStringLiteral("wss"));
    QString prefix = url.path();
    while (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    url.setPath(prefix + QStringLiteral("/v1/session"));
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

void SessionChannel::open()
{
    m_wantOpen = true;
    m_nextDelayMs = m_minDelayMs;
    if (m_state == State::Disconnected)
        connectSocket();
}

void SessionChannel::close()
{
    m_wantOpen = false;
    m_reconnectTimer.stop();
    if (m_socket)
        m_socket->close(QWebSocketProtocol::CloseCodeNormal);
}

void SessionChannel::connectSocket()
{
    if (!m_wantOpen || m_state != State::Disconnected)
        return;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->deleteLater();
    }
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingMessageSize(quint64(m_parser.maxFrameBytes()));
    m_socket->setSslConfiguration(m_trust.configuration());
    connect(m_socket, &QWebSocket::connected, this, &SessionChannel::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &SessionChannel::onDisconnected);
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            &SessionChannel::onSocketError);
    connect(m_socket, &QWebSocket::sslErrors, this, &SessionChannel::onSslErrors);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &SessionChannel::onTextMessage);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this] {
        emit protocolError(
            {QString(frameerror::NotJson), QStringLiteral("binary message on the session channel")});
    });

    m_pendingError = {};
    m_disconnectDeferred = false;
    QNetworkRequest request(sessionUrl());
    request.setRawHeader("Authorization", "Bearer " + m_deviceToken.toUtf8());
    setChannelState(State::Connecting);
    qCInfo(lcClient).noquote() << "session: connecting to" << request.url().toString(QUrl::RemoveUserInfo);
    m_socket->open(request);
}

void SessionChannel::onSslErrors(const QList<QSslError> &errors)
{
    // QWebSocket does not expose the peer chain; its TLS socket is its child and does.
    const QSslSocket *tls = m_socket->findChild<QSslSocket *>();
    QString why;
    if (tls && m_trust.evaluate(tls->peerCertificateChain(), m_socket->requestUrl().host(), &why)) {
        m_socket->ignoreSslErrors();
        return;
    }
    if (!tls && m_trust.hasPin())
        why = QStringLiteral("cannot inspect the server certificate to check the pin");
    QStringList messages;
    for (const QSslError &error : errors)
        messages << error.errorString();
    m_pendingError = {0, QStringLiteral("tls_error"),
                      m_trust.hasPin() ? why : messages.join(QStringLiteral("; "))};
    qCWarning(lcClient).noquote() << "session: TLS handshake refused:" << m_pendingError.message;
}

void SessionChannel::onConnected()
{
    // Upgrade accepted; the protocol starts with our hello. States wait for the welcome.
    m_sinceLastFrame.start();
    HelloFrame hello;
    hello.features = m_features;
    sendFrame(hello);
    m_welcomeTimer.start(WelcomeTimeoutMs);
}

ApiError SessionChannel::describeSocketError(QAbstractSocket::SocketError error) const
{
    const QString text = m_socket ? m_socket->errorString() : QString();
    // Qt reports a refused upgrade only as text ("... status code: 401 ..."); keep the status.
    static const QRegularExpression statusPattern(QStringLiteral("status code: (\\d{3})"));
    const auto match = statusPattern.match(text);
    if (match.hasMatch()) {
        const int status = match.captured(1).toInt();
        const QString code = status == 401   ? QStringLiteral("unauthorized")
                             : status == 403 ? QStringLiteral("forbidden")
                                             : QStringLiteral("http_%1").arg(status);
        return {status, code, QStringLiteral("session upgrade refused: %1").arg(text)};
    }
    if (error == QAbstractSocket::SslHandshakeFailedError)
        return {0, QStringLiteral("tls_error"), text};
    return {0, QStringLiteral("network_error"), text};
}

void SessionChannel::onSocketError(QAbstractSocket::SocketError error)
{
    if (m_state == State::Disconnected)
        return;
    if (m_pendingError.code.isEmpty())
        m_pendingError = describeSocketError(error);
    // QWebSocket does not follow a refused upgrade (or some failed connects) with disconnected(), and
    // may leave the TCP connection open; end the attempt ourselves so that reconnect logic runs.
    if (m_state == State::Connecting && m_socket)
        m_socket->abort();
    QTimer::singleShot(0, this, [this, socket = m_socket] {
        if (socket == m_socket && m_state != State::Disconnected &&
            (!m_socket || m_socket->state() == QAbstractSocket::UnconnectedState))
            onDisconnected();
    });
}

void SessionChannel::onDisconnected()
{
    if (m_state == State::Disconnected)
        return;
    m_heartbeatTimer.stop();
    m_welcomeTimer.stop();
    const bool wasWelcomed = m_state == State::Welcomed;
    // A failed connect may signal disconnected() before error(); give the error one event-loop turn
    // to arrive so that the reason reported is the real one.
    if (!wasWelcomed && m_pendingError.code.isEmpty() && !m_disconnectDeferred) {
        m_disconnectDeferred = true;
        QTimer::singleShot(0, this, [this, socket = m_socket] {
            if (socket == m_socket)
                onDisconnected();
        });
        return;
    }
    // Some failures (a refused TCP connect) arrive as disconnected() before error().
    if (m_pendingError.code.isEmpty() && m_socket &&
        m_socket->error() != QAbstractSocket::UnknownSocketError &&
        !(wasWelcomed && m_socket->error() == QAbstractSocket::RemoteHostClosedError))
        m_pendingError = describeSocketError(m_socket->error());
    if (!wasWelcomed && m_pendingError.code.isEmpty()) {
        m_pendingError = {0, QStringLiteral("network_error"),
                          QStringLiteral("the connection closed before the session opened")};
    }
    if (m_pendingError.code.isEmpty() && m_socket &&
        m_socket->closeCode() != QWebSocketProtocol::CloseCodeNormal && m_wantOpen) {
        m_pendingError = {0, QStringLiteral("connection_lost"),
                          QStringLiteral("session closed (%1) %2")
                              .arg(int(m_socket->closeCode()))
                              .arg(m_socket->closeReason())
                              .trimmed()};
    }
    qCInfo(lcClient).noquote() << "session: disconnected"
                               << (m_pendingError.code.isEmpty() ? QString() : m_pendingError.code);
    // The reason first: listeners of stateChanged() decide on it.
    if (!m_pendingError.code.isEmpty())
        emit connectionError(m_pendingError);
    setChannelState(State::Disconnected);
    if (wasWelcomed)
        emit disconnected();
    scheduleReconnect();
}

void SessionChannel::scheduleReconnect()
{
    if (!m_wantOpen)
        return;
    if (!m_autoReconnect) {
        m_wantOpen = false;
        return;
    }
    // Jitter keeps a fleet of terminals from reconnecting in lockstep after a server restart.
    const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    const int delay = int(m_nextDelayMs * jitter);
    m_nextDelayMs = std::min(m_maxDelayMs, m_nextDelayMs * 2);
    emit reconnectScheduled(delay);
    m_reconnectTimer.start(delay);
}

void SessionChannel::onTextMessage(const QString &text)
{
    m_sinceLastFrame.restart();
    const SessionFrameResult result = m_parser.parse(text);
    if (!result.isValid()) {
        // The frame itself may carry notification content; only the verdict is logged.
        qCWarning(lcClient).noquote() << "session: invalid frame from server:" << result.error.code;
        emit protocolError(result.error);
        return;
    }
    const SessionFrame &frame = *result.frame;
    emit frameReceived(frame);
    if (const auto *welcome = std::get_if<WelcomeFrame>(&frame)) {
        onWelcome(*welcome);
    } else if (const auto *deliver = std::get_if<DeliverFrame>(&frame)) {
        if (m_autoAck)
            sendFrame(AckFrame{deliver->id});
        emit delivered(*deliver);
    } else if (const auto *clear = std::get_if<ClearFrame>(&frame)) {
        emit cleared(clear->ids);
    } else if (const auto *error = std::get_if<ErrorFrame>(&frame)) {
        qCInfo(lcClient).noquote() << "session: server refused a frame:" << error->code;
        emit errorFrame(error->code, error->message);
    }
}

void SessionChannel::onWelcome(const WelcomeFrame &welcome)
{
    m_welcomeTimer.stop();
    m_heartbeat = welcome.heartbeat;
    m_serverFeatures = welcome.features;
    m_nextDelayMs = m_minDelayMs;
    // Half the heartbeat leaves room for one lost or late ping before the server's 2×S deadline.
    m_heartbeatTimer.start(std::max(500, welcome.heartbeat * 1000 / 2));
    for (auto it = m_appStates.cbegin(); it != m_appStates.cend(); ++it)
        sendFrame(StateFrame{it.key(), it.value()});
    setChannelState(State::Welcomed);
    emit connected();
}

void SessionChannel::onHeartbeatTick()
{
    // The server pongs every ping; silence for 2×S means the path is dead even if TCP has not noticed.
    if (m_heartbeat > 0 && m_sinceLastFrame.isValid() && m_sinceLastFrame.elapsed() > 2000LL * m_heartbeat) {
        m_pendingError = {0, QStringLiteral("timeout"), QStringLiteral("the server went silent")};
        if (m_socket)
            m_socket->abort();
        return;
    }
    sendPing();
}

bool SessionChannel::setState(const QString &app, UiState ui, QString *error)
{
    StateFrame frame{app, ui};
    // Validate with the same rules the server applies, so a bad name fails here, not over there.
    SessionFrameError refusal;
    StateFrame checked;
    if (!StateFrame::fromJson(frame.toJson(), &checked, &refusal)) {
        if (error)
            *error = refusal.message;
        return false;
    }
    m_appStates.insert(app, ui);
    if (m_state == State::Welcomed)
        sendFrame(frame);
    return true;
}

bool SessionChannel::ack(const QString &id)
{
    return sendFrame(AckFrame{id});
}

bool SessionChannel::sendPing()
{
    return sendFrame(PingFrame{});
}

bool SessionChannel::sendFrame(const SessionFrame &frame)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return false;
    return m_socket->sendTextMessage(frameToText(frame)) > 0;
}

void SessionChannel::setChannelState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

} // namespace herald
