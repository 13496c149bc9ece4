#include "presence/WebSocketConnection.h"

#include "http/HttpRequest.h"
#include "presence/PresenceLog.h"

#include <QCryptographicHash>
#include <QSslSocket>
#include <QStringDecoder>
#include <QtEndian>

namespace herald {
namespace {
constexpr quint8 OpContinuation = 0x0, OpText = 0x1, OpBinary = 0x2, OpClose = 0x8, OpPing = 0x9, OpPong = 0xA;
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

WebSocketConnection::WebSocketConnection(QSslSocket *socket, const QByteArray &pending, qint64 maxMessageBytes,
                                         QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_maxMessageBytes(maxMessageBytes)
    , m_buffer(pending)
{
    m_socket->setParent(this);
    connect(m_socket, &QSslSocket::readyRead, this, &WebSocketConnection::onReadyRead);
    connect(m_socket, &QSslSocket::disconnected, this, [this] { finish(GoingAway); });
    connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) { finish(GoingAway); });
    connect(m_socket, &QSslSocket::encryptedBytesWritten, this, &WebSocketConnection::bytesWritten);
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
    if (m_socket->state() == QAbstractSocket::ConnectedState)
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
    return m_socket->bytesToWrite() + m_socket->encryptedBytesToWrite();
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
    if (m_buffer.size() < 2)
        return false;
    const auto *p = reinterpret_cast<const uchar *>(m_buffer.constData());
    const bool fin = p[0] & 0x80;
    const quint8 rsv = p[0] & 0x70;
    const quint8 opcode = p[0] & 0x0F;
    const bool masked = p[1] & 0x80;
    quint64 length = p[1] & 0x7F;
    int header = 2;
    if (rsv != 0 || !masked) {
        close(ProtocolError, rsv ? "reserved bits set" : "client frames must be masked");
        return false;
    }
    if (length == 126) {
        if (m_buffer.size() < 4)
            return false;
        length = qFromBigEndian<quint16>(p + 2);
        header = 4;
    } else if (length == 127) {
        if (m_buffer.size() < 10)
            return false;
        length = qFromBigEndian<quint64>(p + 2);
        header = 10;
    }
    const bool control = opcode & 0x8;
    if (control && (length > 125 || !fin)) {
        close(ProtocolError, "bad control frame");
        return false;
    }
    if (length > quint64(m_maxMessageBytes) || quint64(m_message.size()) + length > quint64(m_maxMessageBytes)) {
        close(TooBig, "message too big");
        return false;
    }
    if (quint64(m_buffer.size()) < header + 4 + length)
        return false;
    const uchar *mask = p + header;
    QByteArray payload = m_buffer.mid(header + 4, int(length));
    for (int i = 0; i < payload.size(); ++i)
        payload[i] = char(payload[i] ^ mask[i % 4]);
    m_buffer.remove(0, header + 4 + int(length));
    Q_EMIT activity();

    switch (opcode) {
    case OpPing:
        sendFrame(OpPong, payload);
        return true;
    case OpPong:
        return true;
    case OpClose: {
        const quint16 code = payload.size() >= 2 ? qFromBigEndian<quint16>(payload.constData()) : Normal;
        close(code == 1005 || code == 1006 ? Normal : code);
        return false;
    }
    case OpBinary:
        close(Unsupported, "text frames only");
        return false;
    case OpText:
    case OpContinuation:
        if ((opcode == OpText) == m_inMessage) {
            close(ProtocolError, "bad fragmentation");
            return false;
        }
        m_message += payload;
        m_inMessage = !fin;
        if (fin) {
            QStringDecoder decoder(QStringDecoder::Utf8);
            const QString check = decoder(m_message);
            if (decoder.hasError()) {
                close(InvalidPayload, "invalid UTF-8");
                return false;
            }
            const QByteArray message = m_message;
            m_message = QByteArray();
            Q_EMIT textMessage(message);
        }
        return true;
    default:
        close(ProtocolError, "unknown opcode");
        return false;
    }
}

} // namespace herald
