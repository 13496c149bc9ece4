#pragma once

#include "presence/WebSocketFrameReader.h"

#include <QByteArray>
#include <QObject>

namespace herald {

class TlsSocket;
struct HttpRequest;

// The server side of RFC 6455 on a socket the HTTP layer handed over after the upgrade. Our own,
// rather than QWebSocketServer, so frame and message sizes are capped before anything is buffered
// and the per-session memory stays small. Text messages only; binary is refused with 1003.
class WebSocketConnection : public QObject
{
    Q_OBJECT
public:
    enum CloseCode : quint16 {
        Normal = 1000,
        GoingAway = 1001,
        ProtocolError = 1002,
        Unsupported = 1003,
        InvalidPayload = 1007,
        PolicyViolation = 1008,
        TooBig = 1009,
    };

    // Checks the upgrade headers; on success fills the 101 response's Sec-WebSocket-Accept value.
    static bool checkUpgrade(const HttpRequest &request, QByteArray *acceptKey, QString *error);
    static QByteArray handshakeResponse(const QByteArray &acceptKey);

    // pending: bytes that arrived behind the upgrade request, already read from the socket.
    WebSocketConnection(TlsSocket *socket, const QByteArray &pending, qint64 maxMessageBytes,
                        QObject *parent = nullptr);
    ~WebSocketConnection() override;

    void sendText(const QByteArray &utf8);
    void close(quint16 code, const QByteArray &reason = {});
    bool isOpen() const { return m_open; }
    // What the socket still holds to send (plain and encrypted), for senders that bound their queues.
    qint64 bytesToWrite() const;
    // Drops the connection without waiting for the peer: for a peer that stopped reading.
    void abort();

    // What may wait unsent before the peer counts as one that does not read (a phone gone quiet
    // with its TCP connection open, or a client that sends pings and never reads the pongs): the
    // connection is then dropped rather than its replies kept in memory without end.
    static constexpr qint64 MaxUnsentBytes = 1024 * 1024;

signals:
    void textMessage(const QByteArray &utf8);
    void activity(); // any complete frame, control frames included
    void closed(quint16 code);
    void bytesWritten(); // the socket passed some of bytesToWrite() on

private:
    void onReadyRead();
    bool processFrame(); // false: need more data or the connection was closed
    void sendFrame(quint8 opcode, const QByteArray &payload);
    void finish(quint16 code);

    TlsSocket *m_socket;
    QByteArray m_buffer;
    WebSocketFrameReader m_reader;
    bool m_open = true;
    bool m_closeSent = false;
    bool m_overflowed = false; // past MaxUnsentBytes: nothing more is queued, the drop is on its way
};

} // namespace herald
