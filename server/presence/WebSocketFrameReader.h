#pragma once

#include <QByteArray>

namespace herald {

// Takes RFC 6455 client frames off the front of a buffer, one at a time, and assembles text
// messages from their fragments. Pure (no socket), so the frame rules are fuzzed on their own
// (fuzz/fuzz_websocket_frames.cpp). Sizes are checked from the frame header, before the payload
// is waited for, so a client cannot make the server buffer more than one message's limit.
class WebSocketFrameReader
{
public:
    enum Opcode : quint8 { OpContinuation = 0x0, OpText = 0x1, OpBinary = 0x2, OpClose = 0x8, OpPing = 0x9, OpPong = 0xA };

    struct Frame
    {
        enum class Kind {
            NeedMore, // no whole frame in the buffer yet
            Fragment, // a text fragment that does not end its message
            Text,     // a whole text message (valid UTF-8) in payload
            Ping,     // payload to echo in a pong
            Pong,
            Close,    // the peer's close; code is what to answer with
            Error,    // a protocol violation: close with code and reason
        };
        Kind kind = Kind::NeedMore;
        QByteArray payload;
        quint16 code = 0;
        QByteArray reason;
    };

    explicit WebSocketFrameReader(qint64 maxMessageBytes) : m_maxMessageBytes(maxMessageBytes) {}

    // Consumes the first whole frame of buffer (nothing on NeedMore or when the header alone is an
    // Error) and says what it was.
    Frame next(QByteArray &buffer);

private:
    qint64 m_maxMessageBytes;
    QByteArray m_message; // fragments of the message being assembled
    bool m_inMessage = false;
};

} // namespace herald
