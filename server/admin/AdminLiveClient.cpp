#include "admin/AdminLiveClient.h"

#include "admin/AdminLog.h"
#include "http/TlsSocket.h"
#include "presence/WebSocketConnection.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace herald {

AdminLiveClient::AdminLiveClient(TlsSocket *socket, const QByteArray &pending, const QByteArray &tokenHash,
                                 const QString &operatorName, QObject *parent)
    : QObject(parent)
    , m_tokenHash(tokenHash)
    , m_operatorName(operatorName)
{
    // A small kernel buffer, so that "too slow" is noticed after about the queue's bound rather
    // than after megabytes the kernel would otherwise accept on the console's behalf.
    socket->setSendBufferSize(KernelSendBuffer);
    m_ws = new WebSocketConnection(socket, pending, MaxIncomingBytes, this);
    connect(m_ws, &WebSocketConnection::textMessage, this, &AdminLiveClient::onMessage);
    connect(m_ws, &WebSocketConnection::bytesWritten, this, &AdminLiveClient::flush);
    connect(m_ws, &WebSocketConnection::closed, this, &AdminLiveClient::onClosed);
    m_grace.setSingleShot(true);
    connect(&m_grace, &QTimer::timeout, this, [this] {
        m_ws->abort();
        deleteLater();
    });
}

void AdminLiveClient::send(const QByteArray &frame)
{
    if (!m_open)
        return;
    if (int(m_queue.size()) >= MaxQueuedFrames || m_queuedBytes + frame.size() > MaxQueuedBytes) {
        qCWarning(lcAdmin).noquote() << "live feed of operator" << m_operatorName << "is too slow; closing it";
        end(WebSocketConnection::PolicyViolation, "too slow");
        return;
    }
    m_queue.push_back(frame);
    m_queuedBytes += frame.size();
    flush();
}

void AdminLiveClient::flush()
{
    while (m_open && !m_queue.empty() && m_ws->bytesToWrite() < SocketHighWater) {
        const QByteArray frame = std::move(m_queue.front());
        m_queue.pop_front();
        m_queuedBytes -= frame.size();
        m_ws->sendText(frame);
    }
}

void AdminLiveClient::end(quint16 code, const QByteArray &reason)
{
    if (m_open)
        m_ws->close(code, reason); // emits closed(): onClosed() does the rest
}

void AdminLiveClient::onMessage(const QByteArray &utf8)
{
    const QJsonObject o = QJsonDocument::fromJson(utf8).object();
    if (o.value(QStringLiteral("type")).toString() == QLatin1String("ping"))
        send(R"({"type":"pong"})");
}

void AdminLiveClient::onClosed()
{
    if (!m_open)
        return;
    m_open = false;
    m_queue.clear();
    m_queuedBytes = 0;
    Q_EMIT finished();
    // The close frame goes out behind what the socket already holds. A console that never reads
    // it would keep the socket half-closed for ever, so this object (and the socket with it) goes
    // when the grace period ends, or at once when nothing is left to send.
    m_grace.start(m_ws->bytesToWrite() > 0 ? CloseGraceMs : 0);
}

} // namespace herald
