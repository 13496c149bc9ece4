#include "LiveFeed.h"

#include "AdminClient.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkRequest>
#include <QRandomGenerator>

namespace herald {
namespace {
Q_LOGGING_CATEGORY(lcLive, "herald.console.live")
constexpr int PingIntervalMs = 25000;
} // namespace

LiveFeed::LiveFeed(AdminClient &client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &LiveFeed::openSocket);
    // Pings keep idle proxies from closing the connection; the server answers with pong.
    m_ping.setInterval(PingIntervalMs);
    connect(&m_ping, &QTimer::timeout, this, [this] { m_socket.sendTextMessage(QStringLiteral("{\"type\":\"ping\"}")); });
    connect(&m_socket, &QWebSocket::connected, this, &LiveFeed::onConnected);
    // Not disconnected(): a connection attempt that fails never was connected, yet must be retried.
    connect(&m_socket, &QWebSocket::stateChanged, this, [this](QAbstractSocket::SocketState state) {
        if (state == QAbstractSocket::UnconnectedState)
            onDisconnected();
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &LiveFeed::onText);
    connect(&m_socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError> &) {
        if (m_client.trust().judge(m_socket.sslConfiguration().peerCertificate()) == ServerTrust::Verdict::Accept)
            m_socket.ignoreSslErrors();
    });
}

void LiveFeed::setBackoff(int minMs, int maxMs)
{
    m_minDelayMs = minMs;
    m_maxDelayMs = maxMs;
    m_delayMs = minMs;
}

void LiveFeed::start()
{
    m_wanted = true;
    m_delayMs = m_minDelayMs;
    openSocket();
}

void LiveFeed::stop()
{
    m_wanted = false;
    m_retry.stop();
    m_ping.stop();
    m_socket.abort();
    setState(State::Stopped);
}

void LiveFeed::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void LiveFeed::openSocket()
{
    if (!m_wanted || !m_client.isLoggedIn())
        return;
    QUrl url = m_client.baseUrl();
    url.setScheme(QStringLiteral("wss"));
    url.setPath(QStringLiteral("/admin/v1/live"));
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + m_client.token().toLatin1());
    m_socket.setSslConfiguration(m_client.trust().configuration());
    setState(State::Connecting);
    m_socket.open(request);
}

void LiveFeed::onConnected()
{
    // A certificate that passed the CA checks must still be the remembered one, if any.
    if (m_client.trust().contradictsPin(m_socket.sslConfiguration().peerCertificate())) {
        m_socket.abort();
        return;
    }
    m_delayMs = m_minDelayMs;
    m_ping.start();
    setState(State::Live);
}

void LiveFeed::onDisconnected()
{
    m_ping.stop();
    if (!m_wanted) {
        setState(State::Stopped);
        return;
    }
    const QString reason = m_socket.closeReason().isEmpty() ? m_socket.errorString() : m_socket.closeReason();
    qCInfo(lcLive) << "live feed lost:" << reason;
    emit connectionLost(reason);
    scheduleRetry();
}

void LiveFeed::scheduleRetry()
{
    if (m_retry.isActive())
        return;
    // Jitter keeps many consoles from reconnecting in step after a server restart.
    const int jitter = int(QRandomGenerator::global()->bounded(m_delayMs / 4 + 1));
    m_retry.start(m_delayMs + jitter);
    m_delayMs = qMin(m_delayMs * 2, m_maxDelayMs);
    setState(State::Waiting);
}

void LiveFeed::onText(const QString &text)
{
    const QJsonObject object = QJsonDocument::fromJson(text.toUtf8()).object();
    if (object.value(QStringLiteral("type")).toString().isEmpty())
        return;
    emit frame(object);
}

} // namespace herald
