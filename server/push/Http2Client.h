#pragma once

#include <QHash>
#include <QObject>
#include <QSslConfiguration>
#include <QTimer>
#include <deque>

#include "push/Http2Connection.h"

namespace herald {

// A small pool of long-lived HTTP/2 connections to one origin, with a bounded queue.
// Requests the server did not process (REFUSED_STREAM, above GOAWAY's last-stream-id, never sent)
// move back to the front of the queue and go out on another connection, so a GOAWAY mid-burst
// loses and duplicates nothing. Requests that may have been processed fail with requestFailed;
// the caller decides (providers report RetryLater and the outbox retries with the same apns-id).
class Http2Client : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString host;
        quint16 port = 443;
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        int connections = 1;       // live (non-draining) connections kept at most
        int maxOutstanding = 2000; // queued + in flight; canAccept() turns false beyond it
        int maxResends = 5;        // an unprocessed request is resent at most this often
        Http2Connection::Limits limits;
    };

    explicit Http2Client(const Options &options, QObject *parent = nullptr);
    ~Http2Client() override;

    bool canAccept() const { return outstanding() < m_options.maxOutstanding; }
    int outstanding() const { return int(m_queue.size()) + m_inFlight; }
    int liveConnections() const;
    // Headers added at the moment a request goes on a stream (e.g. the current provider token),
    // so requests that waited in the queue carry the newest value.
    void setStreamHeader(const QByteArray &name, const QByteArray &value);

    quint64 submit(const Http2Request &request);

signals:
    void responseReceived(quint64 requestId, const herald::Http2Response &response);
    void requestFailed(quint64 requestId, const QString &error);
    void readyForMore();
    void connectionLost(const QString &reason);

private:
    struct Pending
    {
        quint64 id;
        Http2Request request;
        int resends = 0;
    };

    void pump();
    void schedulePump();
    void addConnection();
    void onConnectionClosed(Http2Connection *connection, const QString &reason, bool everReady);
    void finishOne(quint64 id);
    void failQueued(const QString &reason);

    Options m_options;
    QByteArray m_authority;
    Http2Headers m_streamHeaders;
    QList<Http2Connection *> m_connections;
    std::deque<Pending> m_queue;
    QHash<quint64, Pending> m_sent; // in flight, kept until answered so they can be resent
    int m_inFlight = 0;
    quint64 m_nextId = 1;
    bool m_pumpScheduled = false;
    bool m_wasFull = false;
    bool m_readyPosted = false;
    int m_connectFailures = 0;
    QTimer m_reconnectTimer;
};

} // namespace herald
