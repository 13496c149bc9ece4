#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>

class QSslSocket;
struct nghttp2_session;

namespace herald::standin {

using Headers = QList<QPair<QByteArray, QByteArray>>;

inline void addHeader(Headers &headers, const QByteArray &name, const QByteArray &value)
{
    headers.append(qMakePair(name, value));
}

struct StandinRequest
{
    int streamId = 0;
    QByteArray method;
    QByteArray path;
    Headers headers;
    QByteArray body;
    QList<QByteArray> neverIndexed; // names (pseudo-headers too) that came as never-indexed HPACK literals
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers)
            if (h.first == name)
                return h.second;
        return {};
    }
};

struct StandinResponse
{
    int status = 200;
    Headers headers;
    QByteArray body;
};

// Server side of one HTTP/2 connection (nghttp2 server session over an encrypted QSslSocket),
// plus the misbehaviours a push provider must survive.
class H2ServerConnection : public QObject
{
    Q_OBJECT
public:
    H2ServerConnection(QSslSocket *socket, int id, uint32_t initialMaxStreams, QObject *parent);
    ~H2ServerConnection() override;

    int id() const { return m_id; }
    QSslSocket *socket() const { return m_socket; }
    bool isOpen() const { return m_session != nullptr; }
    int openStreams() const { return int(m_streams.size()); }

    void respond(int streamId, const StandinResponse &response);
    void refuse(int streamId); // RST_STREAM REFUSED_STREAM
    void setMaxConcurrentStreams(uint32_t value);
    // GOAWAY(last stream id, NO_ERROR, debug data); the connection closes once those streams are answered.
    void goAway(int lastStreamId, const QByteArray &debugData);
    int goAwayLastStreamId() const { return m_goawayLastStreamId; }
    void sendGarbage();
    // Sends response headers for the stream, then drops the TCP connection before any body.
    void dropMidStream(int streamId, int status);
    void abort();

signals:
    void requestReceived(herald::standin::H2ServerConnection *connection,
                         const herald::standin::StandinRequest &request);
    void closed(herald::standin::H2ServerConnection *connection);

private:
    struct Stream
    {
        StandinRequest request;
        QByteArray responseBody;
        qsizetype offset = 0;
        bool deferred = false;
    };
    friend struct H2ServerCallbacks;
    void onReadyRead();
    void flush();
    void maybeClose();
    void shutdown();

    QSslSocket *m_socket;
    int m_id;
    nghttp2_session *m_session = nullptr;
    QHash<int, Stream> m_streams;
    QList<StandinRequest> m_complete; // collected in callbacks, dispatched after nghttp2 returns
    bool m_inRecv = false;
    int m_goawayLastStreamId = -1;
};

} // namespace herald::standin
