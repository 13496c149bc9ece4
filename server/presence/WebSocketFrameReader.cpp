#include "presence/WebSocketFrameReader.h"

#include <QStringDecoder>
#include <QtEndian>

#include <utility>

namespace herald {
namespace {

// Close codes (RFC 6455 7.4.1) this reader answers violations with.
constexpr quint16 Normal = 1000;
constexpr quint16 ProtocolError = 1002;
constexpr quint16 Unsupported = 1003;
constexpr quint16 InvalidPayload = 1007;
constexpr quint16 TooBig = 1009;

WebSocketFrameReader::Frame error(quint16 code, const char *reason)
{
    WebSocketFrameReader::Frame f;
    f.kind = WebSocketFrameReader::Frame::Kind::Error;
    f.code = code;
    f.reason = reason;
    return f;
}

} // namespace

WebSocketFrameReader::Frame WebSocketFrameReader::next(QByteArray &buffer)
{
    using Kind = Frame::Kind;
    if (buffer.size() < 2)
        return {};
    const auto *p = reinterpret_cast<const uchar *>(buffer.constData());
    const bool fin = p[0] & 0x80;
    const quint8 rsv = p[0] & 0x70;
    const quint8 opcode = p[0] & 0x0F;
    const bool masked = p[1] & 0x80;
    quint64 length = p[1] & 0x7F;
    int header = 2;
    if (rsv != 0 || !masked)
        return error(ProtocolError, rsv ? "reserved bits set" : "client frames must be masked");
    if (length == 126) {
        if (buffer.size() < 4)
            return {};
        length = qFromBigEndian<quint16>(p + 2);
        header = 4;
    } else if (length == 127) {
        if (buffer.size() < 10)
            return {};
        length = qFromBigEndian<quint64>(p + 2);
        header = 10;
    }
    const bool control = opcode & 0x8;
    if (control && (length > 125 || !fin))
        return error(ProtocolError, "bad control frame");
    if (length > quint64(m_maxMessageBytes) || quint64(m_message.size()) + length > quint64(m_maxMessageBytes))
        return error(TooBig, "message too big");
    if (quint64(buffer.size()) < header + 4 + length)
        return {};
    const uchar *mask = p + header;
    Frame frame;
    frame.payload = buffer.mid(header + 4, int(length));
    if (!frame.payload.isEmpty()) {
        char *data = frame.payload.data();
        for (int i = 0; i < frame.payload.size(); ++i)
            data[i] = char(data[i] ^ mask[i % 4]);
    }
    buffer.remove(0, header + 4 + int(length));

    switch (opcode) {
    case OpPing:
        frame.kind = Kind::Ping;
        return frame;
    case OpPong:
        frame.kind = Kind::Pong;
        frame.payload.clear();
        return frame;
    case OpClose: {
        const quint16 code = frame.payload.size() >= 2 ? qFromBigEndian<quint16>(frame.payload.constData()) : Normal;
        frame.kind = Kind::Close;
        frame.code = code == 1005 || code == 1006 ? Normal : code; // codes a peer must never send
        frame.payload.clear();
        return frame;
    }
    case OpBinary:
        return error(Unsupported, "text frames only");
    case OpText:
    case OpContinuation: {
        if ((opcode == OpText) == m_inMessage)
            return error(ProtocolError, "bad fragmentation");
        m_message += frame.payload;
        m_inMessage = !fin;
        if (!fin) {
            frame.kind = Kind::Fragment;
            frame.payload.clear();
            return frame;
        }
        QStringDecoder decoder(QStringDecoder::Utf8);
        const QString check = decoder(m_message);
        if (decoder.hasError()) {
            m_message = QByteArray();
            return error(InvalidPayload, "invalid UTF-8");
        }
        frame.kind = Kind::Text;
        frame.payload = std::exchange(m_message, QByteArray());
        return frame;
    }
    default:
        return error(ProtocolError, "unknown opcode");
    }
}

} // namespace herald
