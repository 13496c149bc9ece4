#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QTimer>

#include "push/Http2Message.h"

struct nghttp2_session;

class QSslSocket;

namespace herald {

// One TLS connection speaking HTTP/2 (ALPN h2) through libnghttp2, driven by the Qt event loop.
// It never queues: the owner (Http2Client) asks canStartStream() and hands it one request at a
// time, so every request is either on a stream here or in the client's queue, never both.
// Until the server's first SETTINGS arrive it assumes one concurrent stream (APNs' rule).
class Http2Connection : public QObject
{
    Q_OBJECT
public:
    struct Limits
    {
        int maxResponseHeaderBytes = 16 * 1024; // a hostile server cannot make us buffer more
        int maxResponseBodyBytes = 64 * 1024;
        int connectTimeoutMs = 10000;
        int localStreamCap = 1000; // our own ceiling even if the server allows more
    };

    Http2Connection(const QString &host, quint16 port, const QSslConfiguration &tls, const Limits &limits,
                    QObject *parent = nullptr);
    ~Http2Connection() override;

    void open();
    void close(); // graceful: GOAWAY, streams in flight finish as failures if the peer vanishes

    bool isReady() const { return m_state == State::Ready && !m_goawayReceived; }
    bool isDraining() const { return m_goawayReceived || m_state == State::Closing; }
    bool isClosed() const { return m_state == State::Closed; }
    bool canStartStream() const;
    int activeStreams() const { return int(m_streams.size()); }
    int maxConcurrentStreams() const;

    // Returns false (and takes nothing) when no stream can start now. The request leaves on the
    // next event-loop pass, together with every other stream started before it.
    bool start(quint64 requestId, const Http2Request &request, const QByteArray &authority,
               const Http2Headers &extraHeaders = {});
    void flush();

signals:
    void ready();
    void capacityChanged(); // a stream finished or the server raised its limit
    void responseReceived(quint64 requestId, const herald::Http2Response &response);
    // The server never processed it (REFUSED_STREAM, above GOAWAY's last-stream-id, never sent): safe to
    // resend.
    void requestUnprocessed(quint64 requestId);
    // It may have been processed (connection lost mid-stream, stream reset): the caller decides.
    void requestFailed(quint64 requestId, const QString &error);
    void closed(const QString &reason, bool everReady);

private:
    enum class State
    {
        Idle,
        Connecting,
        Ready,
        Closing,
        Closed
    };
    struct Stream
    {
        quint64 requestId = 0;
        QByteArray body;
        qsizetype bodyOffset = 0;
        bool headersSent = false;
        Http2Response response;
        int headerBytes = 0;
        QString failure; // set when we reset the stream ourselves
    };
    struct Event
    {
        enum Kind
        {
            Response,
            Unprocessed,
            Failed
        } kind;
        quint64 requestId;
        Http2Response response;
        QString error;
    };

    void onEncrypted();
    void onReadyRead();
    void onSocketGone(const QString &reason);
    void deliverEvents();
    void teardown(const QString &reason);

    friend struct Http2ConnectionCallbacks; // nghttp2's C callbacks, defined in the .cpp

    QString m_host;
    quint16 m_port;
    QSslConfiguration m_tls;
    Limits m_limits;
    QSslSocket *m_socket = nullptr;
    nghttp2_session *m_session = nullptr;
    State m_state = State::Idle;
    bool m_everReady = false;
    bool m_goawayReceived = false;
    int m_goawayLastStreamId = 0;
    bool m_inCallback = false;
    bool m_flushScheduled = false;
    QHash<int, Stream> m_streams; // by stream id
    QList<Event> m_events;        // collected inside nghttp2 callbacks, delivered after them
    QTimer m_connectTimer;
    QString m_closeReason;
};

} // namespace herald
