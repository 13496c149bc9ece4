#include "push/Http2Connection.h"

#include <QLoggingCategory>
#include <QSslSocket>
#include <QVarLengthArray>

#include <nghttp2/nghttp2.h>

Q_LOGGING_CATEGORY(lcHttp2, "herald.http2", QtInfoMsg)

namespace herald {

struct Http2ConnectionCallbacks
{
    static Http2Connection *self(void *user) { return static_cast<Http2Connection *>(user); }

    static ssize_t send(nghttp2_session *, const uint8_t *data, size_t length, int, void *user)
    {
        auto *c = self(user);
        if (!c->m_socket || c->m_socket->state() != QAbstractSocket::ConnectedState)
            return NGHTTP2_ERR_CALLBACK_FAILURE;
        c->m_socket->write(reinterpret_cast<const char *>(data), qint64(length));
        return ssize_t(length);
    }

    static int frameRecv(nghttp2_session *, const nghttp2_frame *frame, void *user)
    {
        auto *c = self(user);
        if (frame->hd.type == NGHTTP2_GOAWAY) {
            c->m_goawayReceived = true;
            c->m_goawayLastStreamId = frame->goaway.last_stream_id;
            const QByteArray debug(reinterpret_cast<const char *>(frame->goaway.opaque_data),
                                   int(qMin<size_t>(frame->goaway.opaque_data_len, 200)));
            qCInfo(lcHttp2) << "GOAWAY from" << c->m_host << "last stream" << frame->goaway.last_stream_id
                            << "error" << frame->goaway.error_code << debug;
        }
        return 0;
    }

    static int frameSend(nghttp2_session *, const nghttp2_frame *frame, void *user)
    {
        auto *c = self(user);
        if (frame->hd.type == NGHTTP2_HEADERS) {
            auto it = c->m_streams.find(frame->hd.stream_id);
            if (it != c->m_streams.end())
                it->headersSent = true;
        }
        return 0;
    }

    static int frameNotSend(nghttp2_session *, const nghttp2_frame *frame, int, void *user)
    {
        // nghttp2 gave up on HEADERS before they hit the wire (e.g. GOAWAY arrived first):
        // on_stream_close follows, and headersSent == false marks the request as unprocessed.
        return 0;
    }

    static int header(nghttp2_session *session, const nghttp2_frame *frame, const uint8_t *name,
                      size_t namelen, const uint8_t *value, size_t valuelen, uint8_t, void *user)
    {
        auto *c = self(user);
        if (frame->hd.type != NGHTTP2_HEADERS)
            return 0;
        auto it = c->m_streams.find(frame->hd.stream_id);
        if (it == c->m_streams.end())
            return 0;
        it->headerBytes += int(namelen + valuelen + 32);
        if (it->headerBytes > c->m_limits.maxResponseHeaderBytes) {
            it->failure = QStringLiteral("response headers too large");
            nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, frame->hd.stream_id,
                                      NGHTTP2_REFUSED_STREAM);
            return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
        }
        const QByteArray n(reinterpret_cast<const char *>(name), qsizetype(namelen));
        const QByteArray v(reinterpret_cast<const char *>(value), qsizetype(valuelen));
        if (n == ":status") {
            bool ok = false;
            const int status = v.toInt(&ok);
            if (ok && status >= 200) // 1xx informational answers are skipped
                it->response.status = status;
        } else {
            it->response.headers.append({n, v});
        }
        return 0;
    }

    static int dataChunk(nghttp2_session *session, uint8_t, int32_t streamId, const uint8_t *data, size_t len,
                         void *user)
    {
        auto *c = self(user);
        auto it = c->m_streams.find(streamId);
        if (it == c->m_streams.end())
            return 0;
        if (it->response.body.size() + qsizetype(len) > c->m_limits.maxResponseBodyBytes) {
            it->failure = QStringLiteral("response body too large");
            nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, streamId, NGHTTP2_CANCEL);
            return 0;
        }
        it->response.body.append(reinterpret_cast<const char *>(data), qsizetype(len));
        return 0;
    }

    static int streamClose(nghttp2_session *, int32_t streamId, uint32_t errorCode, void *user)
    {
        auto *c = self(user);
        auto it = c->m_streams.find(streamId);
        if (it == c->m_streams.end())
            return 0;
        Http2Connection::Stream s = std::move(*it);
        c->m_streams.erase(it);
        using E = Http2Connection::Event;
        const bool aboveGoaway = c->m_goawayReceived && streamId > c->m_goawayLastStreamId;
        if (!s.failure.isEmpty()) {
            c->m_events.append({E::Failed, s.requestId, {}, s.failure});
        } else if (errorCode == NGHTTP2_NO_ERROR && s.response.status > 0) {
            c->m_events.append({E::Response, s.requestId, std::move(s.response), {}});
        } else if (errorCode == NGHTTP2_REFUSED_STREAM || aboveGoaway || !s.headersSent) {
            // RFC 9113 §8.7: refused streams and streams above last-stream-id were not processed.
            c->m_events.append({E::Unprocessed, s.requestId, {}, {}});
        } else {
            c->m_events.append({E::Failed,
                                s.requestId,
                                {},
                                QStringLiteral("stream closed with HTTP/2 error %1")
                                    .arg(QString::fromLatin1(nghttp2_http2_strerror(errorCode)))});
        }
        return 0;
    }

    static ssize_t readBody(nghttp2_session *, int32_t streamId, uint8_t *buf, size_t length, uint32_t *flags,
                            nghttp2_data_source *, void *user)
    {
        auto *c = self(user);
        auto it = c->m_streams.find(streamId);
        if (it == c->m_streams.end()) {
            *flags |= NGHTTP2_DATA_FLAG_EOF;
            return 0;
        }
        const qsizetype left = it->body.size() - it->bodyOffset;
        const size_t n = qMin(length, size_t(left));
        memcpy(buf, it->body.constData() + it->bodyOffset, n);
        it->bodyOffset += qsizetype(n);
        if (it->bodyOffset >= it->body.size()) {
            *flags |= NGHTTP2_DATA_FLAG_EOF;
            it->body.clear(); // the request body is no longer needed once sent
            it->bodyOffset = 0;
        }
        return ssize_t(n);
    }
};

Http2Connection::Http2Connection(const QString &host, quint16 port, const QSslConfiguration &tls,
                                 const Limits &limits, QObject *parent)
    : QObject(parent), m_host(host), m_port(port), m_tls(tls), m_limits(limits)
{
    m_tls.setAllowedNextProtocols({QByteArrayLiteral("h2")});
    m_connectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this,
            [this] { onSocketGone(QStringLiteral("connect timeout")); });
}

Http2Connection::~Http2Connection()
{
    if (m_session)
        nghttp2_session_del(m_session);
    // Signals are not emitted from a destructor: the client drains streams by calling close() first.
}

void Http2Connection::open()
{
    if (m_state != State::Idle)
        return;
    m_state = State::Connecting;
    m_socket = new QSslSocket(this);
    m_socket->setSslConfiguration(m_tls);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QSslSocket::encrypted, this, &Http2Connection::onEncrypted);
    connect(m_socket, &QSslSocket::readyRead, this, &Http2Connection::onReadyRead);
    connect(m_socket, &QSslSocket::disconnected, this,
            [this] { onSocketGone(QStringLiteral("connection closed by peer")); });
    connect(m_socket, &QSslSocket::errorOccurred, this,
            [this](QAbstractSocket::SocketError) { onSocketGone(m_socket->errorString()); });
    connect(m_socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        QStringList texts;
        for (const auto &e : errors)
            texts << e.errorString();
        onSocketGone(QStringLiteral("TLS: ") + texts.join(QStringLiteral("; ")));
    });
    m_connectTimer.start(m_limits.connectTimeoutMs);
    m_socket->connectToHostEncrypted(m_host, m_port);
}

void Http2Connection::onEncrypted()
{
    m_connectTimer.stop();
    if (m_socket->sslConfiguration().nextNegotiatedProtocol() != "h2") {
        onSocketGone(QStringLiteral("server did not negotiate h2 (ALPN)"));
        return;
    }
    nghttp2_session_callbacks *cbs = nullptr;
    nghttp2_session_callbacks_new(&cbs);
    using C = Http2ConnectionCallbacks;
    nghttp2_session_callbacks_set_send_callback(cbs, &C::send);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, &C::frameRecv);
    nghttp2_session_callbacks_set_on_frame_send_callback(cbs, &C::frameSend);
    nghttp2_session_callbacks_set_on_frame_not_send_callback(cbs, &C::frameNotSend);
    nghttp2_session_callbacks_set_on_header_callback(cbs, &C::header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, &C::dataChunk);
    nghttp2_session_callbacks_set_on_stream_close_callback(cbs, &C::streamClose);
    nghttp2_option *opt = nullptr;
    nghttp2_option_new(&opt);
    // APNs allows one stream until its SETTINGS raise the limit; nghttp2 would assume 100.
    nghttp2_option_set_peer_max_concurrent_streams(opt, 1);
    nghttp2_session_client_new2(&m_session, cbs, this, opt);
    nghttp2_option_del(opt);
    nghttp2_session_callbacks_del(cbs);

    const nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, uint32_t(m_limits.maxResponseHeaderBytes)},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20},
    };
    nghttp2_submit_settings(m_session, NGHTTP2_FLAG_NONE, settings, 3);
    // Widen the connection window: many small responses share it.
    nghttp2_session_set_local_window_size(m_session, NGHTTP2_FLAG_NONE, 0, 16 << 20);
    m_state = State::Ready;
    m_everReady = true;
    flush();
    if (m_state == State::Ready)
        emit ready();
}

int Http2Connection::maxConcurrentStreams() const
{
    if (!m_session)
        return 0;
    const uint32_t remote =
        nghttp2_session_get_remote_settings(m_session, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS);
    return int(qMin<uint32_t>(remote, uint32_t(m_limits.localStreamCap)));
}

bool Http2Connection::canStartStream() const
{
    return isReady() && m_session && activeStreams() < maxConcurrentStreams() &&
           nghttp2_session_get_next_stream_id(m_session) < (1u << 30);
}

bool Http2Connection::start(quint64 requestId, const Http2Request &request, const QByteArray &authority,
                            const Http2Headers &extraHeaders)
{
    if (!canStartStream())
        return false;
    auto nv = [&request](const QByteArray &n, const QByteArray &v, bool neverIndexed = false) {
        const uint8_t flags = neverIndexed || request.neverIndexed.contains(n) ? NGHTTP2_NV_FLAG_NO_INDEX
                                                                              : NGHTTP2_NV_FLAG_NONE;
        return nghttp2_nv{reinterpret_cast<uint8_t *>(const_cast<char *>(n.constData())),
                          reinterpret_cast<uint8_t *>(const_cast<char *>(v.constData())), size_t(n.size()),
                          size_t(v.size()), flags};
    };
    static const QByteArray kMethod(":method"), kScheme(":scheme"), kHttps("https"), kAuthority(":authority"),
        kPath(":path"), kLength("content-length");
    const QByteArray length = QByteArray::number(request.body.size());
    QVarLengthArray<nghttp2_nv, 16> headers;
    headers.append(nv(kMethod, request.method));
    headers.append(nv(kScheme, kHttps));
    headers.append(nv(kAuthority, authority));
    headers.append(nv(kPath, request.path));
    for (const auto &h : request.headers)
        headers.append(nv(h.first, h.second));
    for (const auto &h : extraHeaders)
        headers.append(nv(h.first, h.second));
    if (!request.body.isEmpty())
        headers.append(nv(kLength, length, true)); // the body size changes with every request

    nghttp2_data_provider provider;
    provider.source.ptr = nullptr;
    provider.read_callback = &Http2ConnectionCallbacks::readBody;
    Stream stream;
    stream.requestId = requestId;
    stream.body = request.body;
    const int32_t id = nghttp2_submit_request(m_session, nullptr, headers.constData(), size_t(headers.size()),
                                              request.body.isEmpty() ? nullptr : &provider, nullptr);
    if (id < 0) {
        qCWarning(lcHttp2) << "submit failed:" << nghttp2_strerror(id);
        return false;
    }
    m_streams.emplace(id, std::move(stream));
    // Coalesce: the streams started during one event-loop pass leave in one nghttp2 send, which
    // measured clearly cheaper (fewer, larger TLS writes) than flushing after each pump.
    if (!m_flushScheduled) {
        m_flushScheduled = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_flushScheduled = false;
                flush();
            },
            Qt::QueuedConnection);
    }
    return true;
}

void Http2Connection::onReadyRead()
{
    if (!m_session) {
        m_socket->readAll();
        return;
    }
    const QByteArray data = m_socket->readAll();
    const ssize_t rv = nghttp2_session_mem_recv(
        m_session, reinterpret_cast<const uint8_t *>(data.constData()), size_t(data.size()));
    if (rv < 0) {
        qCWarning(lcHttp2) << "protocol error from" << m_host << ":" << nghttp2_strerror(int(rv));
        flush(); // lets nghttp2 send its GOAWAY when it can
        teardown(
            QStringLiteral("HTTP/2 protocol error: %1").arg(QString::fromLatin1(nghttp2_strerror(int(rv)))));
        return;
    }
    flush();
    deliverEvents();
    if (m_session && !nghttp2_session_want_read(m_session) && !nghttp2_session_want_write(m_session))
        teardown(m_goawayReceived ? QStringLiteral("GOAWAY") : QStringLiteral("session finished"));
}

void Http2Connection::flush()
{
    if (!m_session || m_inCallback || m_state != State::Ready)
        return;
    const int rv = nghttp2_session_send(m_session);
    if (rv != 0)
        qCWarning(lcHttp2) << "send failed:" << nghttp2_strerror(rv);
}

void Http2Connection::deliverEvents()
{
    if (m_events.isEmpty())
        return;
    const QList<Event> events = std::move(m_events);
    m_events.clear();
    QPointer<Http2Connection> guard(this);
    for (const Event &e : events) {
        switch (e.kind) {
        case Event::Response:
            emit responseReceived(e.requestId, e.response);
            break;
        case Event::Unprocessed:
            emit requestUnprocessed(e.requestId);
            break;
        case Event::Failed:
            emit requestFailed(e.requestId, e.error);
            break;
        }
        if (!guard)
            return;
    }
    emit capacityChanged();
}

void Http2Connection::onSocketGone(const QString &reason)
{
    teardown(reason);
}

void Http2Connection::close()
{
    if (m_state == State::Closed)
        return;
    if (m_session && m_state == State::Ready) {
        nghttp2_session_terminate_session(m_session, NGHTTP2_NO_ERROR);
        flush();
        if (m_socket)
            m_socket->flush();
    }
    teardown(QStringLiteral("closed by client"));
}

void Http2Connection::teardown(const QString &reason)
{
    if (m_state == State::Closed)
        return;
    m_connectTimer.stop();
    m_state = State::Closed;
    m_closeReason = reason;
    // Streams still open lost their connection. Those whose HEADERS never left, or that are above
    // GOAWAY's last-stream-id, were not processed; the rest may have been.
    for (auto it = m_streams.begin(); it != m_streams.end(); ++it) {
        const bool unprocessed = !it->headersSent || (m_goawayReceived && it.key() > m_goawayLastStreamId);
        if (unprocessed)
            m_events.append({Event::Unprocessed, it->requestId, {}, {}});
        else
            m_events.append(
                {Event::Failed,
                 it->requestId,
                 {},
                 it->failure.isEmpty() ? QStringLiteral("connection lost: ") + reason : it->failure});
    }
    m_streams.clear();
    if (m_session) {
        nghttp2_session_del(m_session);
        m_session = nullptr;
    }
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    QPointer<Http2Connection> guard(this);
    deliverEvents();
    if (guard)
        emit closed(reason, m_everReady);
}

} // namespace herald
