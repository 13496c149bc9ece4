#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QSocketNotifier>

typedef struct ssl_st SSL;

namespace herald {

// One accepted TLS connection: a non-blocking OpenSSL SSL on the raw descriptor, driven by two
// socket notifiers. It replaces QSslSocket on the listener because Qt 6.4 gives every socket its
// own SSL_CTX and keeps OpenSSL's 16 KB record buffers and its own memory BIOs and ring buffers
// for the connection's whole life: ~93 KB per idle session. Here the context is shared
// (TlsContext), OpenSSL releases its buffers when idle, and what waits to be read or written is a
// QByteArray that is empty, without capacity, most of the time.
//
// The calls and signals are the few of QSslSocket that HTTP, WebSocket and session code use.
// Writes are buffered and flushed from the event loop, so bytesWritten never fires inside write().
class TlsSocket : public QObject
{
    Q_OBJECT
public:
    enum class State { Handshaking, Open, Closing, Closed };

    // Takes ownership of both: the descriptor is closed and the SSL freed with this object.
    TlsSocket(qintptr descriptor, SSL *ssl, QObject *parent = nullptr);
    ~TlsSocket() override;

    State state() const { return m_state; }
    // Handshaking or Open: writes are still taken.
    bool isOpen() const { return m_state == State::Handshaking || m_state == State::Open; }
    QHostAddress peerAddress() const { return m_peer; }
    QString errorString() const { return m_error; }

    qint64 bytesAvailable() const { return m_read.size(); }
    QByteArray readAll();
    qint64 skip(qint64 maxBytes);

    // Queued behind what is already waiting; -1 once the socket is closing or closed.
    qint64 write(const QByteArray &data);
    qint64 bytesToWrite() const { return m_write.size() - m_writePos; }
    // Closes after what is queued has gone out (close_notify, then the descriptor).
    void disconnectFromHost();
    // Closes now, dropping what is queued, without emitting disconnected().
    void abort();
    bool setSendBufferSize(int bytes);
    // Work for this socket (its handshake, reading, writing) may wait behind everything else the
    // event loop has to do, within a budget per pass (EpollEventDispatcher::setDeferrable). On
    // for a new client until its first answer: a storm of newcomers then cannot hold up the
    // sessions and requests of clients already served.
    void setDeferrable(bool deferrable);
    bool isDeferrable() const;
    // While paused nothing more is taken from the peer: the kernel's receive buffer fills and
    // TCP makes the peer wait. What was read already stays readable.
    void setReadPaused(bool paused);
    bool isReadPaused() const { return m_readPaused; }

signals:
    void encrypted();
    void readyRead();
    void bytesWritten(qint64 bytes); // handed to the kernel
    // Once, however the connection ended (either side closed it, the handshake failed, an error),
    // except after abort().
    void disconnected();

private:
    void onReadable();
    void onWritable();
    void handshake();
    void readRecords();
    void flush();
    void scheduleFlush();
    void watchWrites(bool on);
    void fail(const QString &why);
    void finishClose();
    void closeDescriptor();
    bool emitGuarded(void (TlsSocket::*signal)()); // false when a receiver deleted this socket

    static constexpr qint64 MaxReadPerPass = 64 * 1024; // a flooding peer yields to the others

    qintptr m_descriptor;
    SSL *m_ssl;
    QSocketNotifier m_readNotifier;
    QSocketNotifier m_writeNotifier;
    QHostAddress m_peer;
    QByteArray m_read;
    QByteArray m_write;
    qsizetype m_writePos = 0; // m_write before this has been written
    QString m_error;
    State m_state = State::Handshaking;
    bool m_flushScheduled = false;
    bool m_readPaused = false;
    bool m_readWantsWrite = false; // an SSL_read that needs the socket writable (TLS 1.3 key update)
};

} // namespace herald
