#include "presence/WebSocketConnection.h"

#include "http/HttpRequest.h"
#include "http/TlsSocket.h"
#include "presence/PresenceLog.h"

#include <QCryptographicHash>
#include <QtEndian>

namespace herald {
namespace {
constexpr quint8 OpText = WebSocketFrameReader::OpText, OpClose = WebSocketFrameReader::OpClose,
                 OpPong = WebSocketFrameReader::OpPong;
}

bool WebSocketConnection::checkUpgrade(const HttpRequest &request, QByteArray *acceptKey, QString *error)
{
    if (request.method != "GET") {
        *error = QStringLiteral("the session channel is opened with GET");
        return false;
    }
    if (!request.header("upgrade").toLower().contains("websocket") ||
        !request.header("connection").toLower().contains("upgrade")) {
        *error = QStringLiteral("this endpoint speaks WebSocket only (Upgrade: websocket)");
        return false;
    }
    if (request.header("sec-websocket-version").trimmed() != "13") {
        *error = QStringLiteral("only WebSocket version 13 is supported");
        return false;
    }
    const QByteArray key = request.header("sec-websocket-key").trimmed();
    if (QByteArray::fromBase64(key).size() != 16) {
        *error = QStringLiteral("Sec-WebSocket-Key must be 16 bytes in base64");
        return false;
    }
    *acceptKey = QCryptographicHash::hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", QCryptographicHash::Sha1)
                     .toBase64();
    return true;
}

QByteArray WebSocketConnection::handshakeResponse(const QByteArray &acceptKey)
{
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: " +
           acceptKey + "\r\n\r\n";
}

WebSocketConnection::WebSocketConnection(TlsSocket *socket, const QByteArray &pending, qint64 maxMessageBytes,
                                         QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_buffer(pending)
    , m_reader(maxMessageBytes)
{
    m_socket->setParent(this);
    connect(m_socket, &TlsSocket::readyRead, this, &WebSocketConnection::onReadyRead);
    connect(m_socket, &TlsSocket::disconnected, this, [this] { finish(GoingAway); }); // errors too
    connect(m_socket, &TlsSocket::bytesWritten, this, &WebSocketConnection::bytesWritten);
    if (m_socket->bytesAvailable() > 0 || !m_buffer.isEmpty())
        QMetaObject::invokeMethod(this, &WebSocketConnection::onReadyRead, Qt::QueuedConnection);
}

WebSocketConnection::~WebSocketConnection() = default;

void WebSocketConnection::finish(quint16 code)
{
    if (!m_open)
        return;
    m_open = false;
    disconnect(m_socket, nullptr, this, nullptr);
    if (m_socket->isOpen())
        m_socket->disconnectFromHost();
    Q_EMIT closed(code);
}

void WebSocketConnection::close(quint16 code, const QByteArray &reason)
{
    if (!m_open)
        return;
    if (!m_closeSent) {
        QByteArray payload(2, Qt::Uninitialized);
        qToBigEndian<quint16>(code, payload.data());
        payload += reason.left(123);
        sendFrame(OpClose, payload);
        m_closeSent = true;
    }
    finish(code);
}

qint64 WebSocketConnection::bytesToWrite() const
{
    return m_socket->bytesToWrite();
}

void WebSocketConnection::abort()
{
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket->abort();
    if (m_open) {
        m_open = false;
        Q_EMIT closed(GoingAway);
    }
}

void WebSocketConnection::sendText(const QByteArray &utf8)
{
    if (m_open && !m_closeSent)
        sendFrame(OpText, utf8);
}

void WebSocketConnection::sendFrame(quint8 opcode, const QByteArray &payload)
{
    if (m_overflowed)
        return;
    if (m_socket->bytesToWrite() + payload.size() > MaxUnsentBytes) {
        m_overflowed = true;
        qCWarning(lcPresence) << "dropping a WebSocket peer that has not read" << m_socket->bytesToWrite()
                              << "bytes sent to it";
        // Later, not inside whoever is sending (a delivery, a reply): they go on as after any drop.
        QMetaObject::invokeMethod(this, &WebSocketConnection::abort, Qt::QueuedConnection);
        return;
    }
    QByteArray frame;
    frame.reserve(payload.size() + 10);
    frame.append(char(0x80 | opcode));
    if (payload.size() < 126) {
        frame.append(char(payload.size()));
    } else if (payload.size() <= 0xFFFF) {
        frame.append(char(126));
        char len[2];
        qToBigEndian<quint16>(quint16(payload.size()), len);
        frame.append(len, 2);
    } else {
        frame.append(char(127));
        char len[8];
        qToBigEndian<quint64>(quint64(payload.size()), len);
        frame.append(len, 8);
    }
    frame.append(payload);
    m_socket->write(frame);
}

void WebSocketConnection::onReadyRead()
{
    if (!m_open)
        return;
    m_buffer += m_socket->readAll();
    while (m_open && processFrame()) {
    }
    if (m_buffer.isEmpty())
        m_buffer = QByteArray(); // give the capacity back while idle
}

bool WebSocketConnection::processFrame()
{
    using Kind = WebSocketFrameReader::Frame::Kind;
    const WebSocketFrameReader::Frame frame = m_reader.next(m_buffer);
    switch (frame.kind) {
    case Kind::NeedMore:
        return false;
    case Kind::Error:
        close(frame.code, frame.reason);
        return false;
    default:
        break;
    }
    Q_EMIT activity();
    switch (frame.kind) {
    case Kind::Ping:
        sendFrame(OpPong, frame.payload);
        return true;
    case Kind::Close:
        close(frame.code);
        return false;
    case Kind::Text:
        Q_EMIT textMessage(frame.payload);
        return true;
    default: // a pong, or a fragment of a longer message
        return true;
    }
}

} // namespace herald
