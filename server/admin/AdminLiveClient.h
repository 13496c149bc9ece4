#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QTimer>

#include <deque>

namespace herald {

class WebSocketConnection;
class TlsSocket;

// One console on GET /admin/v1/live. Frames wait in a bounded queue and go to the socket only
// while it holds little, so a console that stops reading costs at most the bound: past
// MaxQueuedFrames or MaxQueuedBytes it is closed with 1008 "too slow" and dropped, and nothing
// ever waits for it. It may send {"type":"ping"} (answered with a pong); anything else is ignored.
class AdminLiveClient : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxQueuedFrames = 1000;
    static constexpr qint64 MaxQueuedBytes = 1024 * 1024;
    static constexpr qint64 SocketHighWater = 64 * 1024;    // what the TLS socket may hold beyond the queue
    static constexpr int KernelSendBuffer = 64 * 1024;      // SO_SNDBUF: bounded below us too
    static constexpr qint64 MaxIncomingBytes = 4096;
    static constexpr int CloseGraceMs = 10000;              // for the peer to take the close frame

    AdminLiveClient(TlsSocket *socket, const QByteArray &pending, const QByteArray &tokenHash, const QString &operatorName,
                    QObject *parent = nullptr);

    void send(const QByteArray &frame);
    void end(quint16 code, const QByteArray &reason); // close frame; dropped at the latest after CloseGraceMs
    QByteArray tokenHash() const { return m_tokenHash; }
    QString operatorName() const { return m_operatorName; }
    bool isOpen() const { return m_open; }
    int queuedFrames() const { return int(m_queue.size()); }

signals:
    void finished(); // closed: send no more (the object deletes itself soon after)

private:
    void flush();
    void onMessage(const QByteArray &utf8);
    void onClosed();

    WebSocketConnection *m_ws;
    QByteArray m_tokenHash;
    QString m_operatorName;
    std::deque<QByteArray> m_queue;
    qint64 m_queuedBytes = 0;
    QTimer m_grace;
    bool m_open = true;
};

} // namespace herald
