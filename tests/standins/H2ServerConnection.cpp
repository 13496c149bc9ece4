#include "H2ServerConnection.h"

#include <QPointer>
#include <QRandomGenerator>
#include <QSslSocket>
#include <QTimer>
#include <QVarLengthArray>

#include <nghttp2/nghttp2.h>

namespace herald::standin {

struct H2ServerCallbacks
{
    static H2ServerConnection *self(void *u) { return static_cast<H2ServerConnection *>(u); }

    static ssize_t send(nghttp2_session *, const uint8_t *data, size_t len, int, void *u)
    {
        auto *c = self(u);
        if (c->m_socket->state() != QAbstractSocket::ConnectedState)
            return NGHTTP2_ERR_CALLBACK_FAILURE;
        c->m_socket->write(reinterpret_cast<const char *>(data), qint64(len));
        return ssize_t(len);
    }
    static int beginHeaders(nghttp2_session *, const nghttp2_frame *frame, void *u)
    {
        if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST)
            self(u)->m_streams[frame->hd.stream_id].request.streamId = frame->hd.stream_id;
        return 0;
    }
    static int header(nghttp2_session *, const nghttp2_frame *frame, const uint8_t *name, size_t nl,
                      const uint8_t *value, size_t vl, uint8_t flags, void *u)
    {
        auto it = self(u)->m_streams.find(frame->hd.stream_id);
        if (it == self(u)->m_streams.end())
            return 0;
        const QByteArray n(reinterpret_cast<const char *>(name), qsizetype(nl));
        const QByteArray v(reinterpret_cast<const char *>(value), qsizetype(vl));
        if (flags & NGHTTP2_NV_FLAG_NO_INDEX)
            it->request.neverIndexed.append(n);
        if (n == ":method")
            it->request.method = v;
        else if (n == ":path")
            it->request.path = v;
        else if (!n.startsWith(':'))
            it->request.headers.append({n, v});
        return 0;
    }
    static int data(nghttp2_session *, uint8_t, int32_t sid, const uint8_t *d, size_t len, void *u)
    {
        auto it = self(u)->m_streams.find(sid);
        if (it != self(u)->m_streams.end() && it->request.body.size() < 1 << 20)
            it->request.body.append(reinterpret_cast<const char *>(d), qsizetype(len));
        return 0;
    }
    static int frameRecv(nghttp2_session *, const nghttp2_frame *frame, void *u)
    {
        auto *c = self(u);
        if ((frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) &&
            (frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
            auto it = c->m_streams.find(frame->hd.stream_id);
            if (it != c->m_streams.end())
                c->m_complete.append(it->request);
        }
        return 0;
    }
    static int streamClose(nghttp2_session *, int32_t sid, uint32_t, void *u)
    {
        self(u)->m_streams.remove(sid);
        return 0;
    }
    static ssize_t read(nghttp2_session *, int32_t sid, uint8_t *buf, size_t len, uint32_t *flags,
                        nghttp2_data_source *, void *u)
    {
        auto it = self(u)->m_streams.find(sid);
        if (it == self(u)->m_streams.end()) {
            *flags |= NGHTTP2_DATA_FLAG_EOF;
            return 0;
        }
        if (it->deferred)
            return NGHTTP2_ERR_DEFERRED;
        const size_t n = qMin(len, size_t(it->responseBody.size() - it->offset));
        memcpy(buf, it->responseBody.constData() + it->offset, n);
        it->offset += qsizetype(n);
        if (it->offset >= it->responseBody.size())
            *flags |= NGHTTP2_DATA_FLAG_EOF;
        return ssize_t(n);
    }
};

H2ServerConnection::H2ServerConnection(QSslSocket *socket, int id, uint32_t initialMaxStreams,
                                       QObject *parent)
    : QObject(parent), m_socket(socket), m_id(id)
{
    m_socket->setParent(this);
    nghttp2_session_callbacks *cbs = nullptr;
    nghttp2_session_callbacks_new(&cbs);
    using C = H2ServerCallbacks;
    nghttp2_session_callbacks_set_send_callback(cbs, &C::send);
    nghttp2_session_callbacks_set_on_begin_headers_callback(cbs, &C::beginHeaders);
    nghttp2_session_callbacks_set_on_header_callback(cbs, &C::header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, &C::data);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, &C::frameRecv);
    nghttp2_session_callbacks_set_on_stream_close_callback(cbs, &C::streamClose);
    nghttp2_option *opt = nullptr;
    nghttp2_option_new(&opt);
    nghttp2_option_set_max_send_header_block_length(opt, 1 << 20); // lets tests send huge headers
    nghttp2_session_server_new2(&m_session, cbs, this, opt);
    nghttp2_option_del(opt);
    nghttp2_session_callbacks_del(cbs);
    const nghttp2_settings_entry s[] = {{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, initialMaxStreams},
                                        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20}};
    nghttp2_submit_settings(m_session, NGHTTP2_FLAG_NONE, s, 2);
    nghttp2_session_set_local_window_size(m_session, NGHTTP2_FLAG_NONE, 0, 16 << 20);
    connect(m_socket, &QSslSocket::readyRead, this, &H2ServerConnection::onReadyRead);
    connect(m_socket, &QSslSocket::disconnected, this, &H2ServerConnection::shutdown);
    flush();
    if (m_socket->bytesAvailable())
        QTimer::singleShot(0, this, &H2ServerConnection::onReadyRead);
}

H2ServerConnection::~H2ServerConnection()
{
    if (m_session)
        nghttp2_session_del(m_session);
}

void H2ServerConnection::onReadyRead()
{
    if (!m_session) {
        m_socket->readAll();
        return;
    }
    const QByteArray in = m_socket->readAll();
    m_inRecv = true;
    const ssize_t rv = nghttp2_session_mem_recv(m_session, reinterpret_cast<const uint8_t *>(in.constData()),
                                                size_t(in.size()));
    m_inRecv = false;
    if (rv < 0) {
        shutdown();
        return;
    }
    const QList<StandinRequest> complete = std::move(m_complete);
    m_complete.clear();
    QPointer<H2ServerConnection> guard(this);
    for (const StandinRequest &r : complete) {
        emit requestReceived(this, r);
        if (!guard || !m_session)
            return;
    }
    flush();
    maybeClose();
}

void H2ServerConnection::flush()
{
    if (m_session && !m_inRecv && nghttp2_session_send(m_session) != 0)
        shutdown();
}

void H2ServerConnection::respond(int streamId, const StandinResponse &response)
{
    if (!m_session || !m_streams.contains(streamId))
        return;
    Stream &s = m_streams[streamId];
    s.responseBody = response.body;
    const QByteArray status = QByteArray::number(response.status);
    QList<QByteArray> keep; // owns the bytes nghttp2_nv points to until submit returns
    QVarLengthArray<nghttp2_nv, 8> nv;
    auto add = [&](const QByteArray &n, const QByteArray &v) {
        keep << n << v;
        nv.append({reinterpret_cast<uint8_t *>(keep[keep.size() - 2].data()),
                   reinterpret_cast<uint8_t *>(keep.last().data()), size_t(n.size()), size_t(v.size()),
                   NGHTTP2_NV_FLAG_NONE});
    };
    keep.reserve(2 * (response.headers.size() + 2));
    add(":status", status);
    for (const auto &h : response.headers)
        add(h.first, h.second);
    nghttp2_data_provider provider;
    provider.source.ptr = nullptr;
    provider.read_callback = &H2ServerCallbacks::read;
    nghttp2_submit_response(m_session, streamId, nv.constData(), size_t(nv.size()),
                            response.body.isEmpty() ? nullptr : &provider);
    flush();
    maybeClose();
}

void H2ServerConnection::refuse(int streamId)
{
    if (!m_session)
        return;
    nghttp2_submit_rst_stream(m_session, NGHTTP2_FLAG_NONE, streamId, NGHTTP2_REFUSED_STREAM);
    flush();
    maybeClose();
}

void H2ServerConnection::setMaxConcurrentStreams(uint32_t value)
{
    if (!m_session)
        return;
    const nghttp2_settings_entry s[] = {{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, value}};
    nghttp2_submit_settings(m_session, NGHTTP2_FLAG_NONE, s, 1);
    flush();
}

void H2ServerConnection::goAway(int lastStreamId, const QByteArray &debugData)
{
    if (!m_session || m_goawayLastStreamId >= 0)
        return;
    m_goawayLastStreamId = lastStreamId;
    nghttp2_submit_goaway(m_session, NGHTTP2_FLAG_NONE, lastStreamId, NGHTTP2_NO_ERROR,
                          reinterpret_cast<const uint8_t *>(debugData.constData()), size_t(debugData.size()));
    flush();
}

void H2ServerConnection::maybeClose()
{
    if (m_goawayLastStreamId < 0 || !m_session)
        return;
    for (auto it = m_streams.cbegin(); it != m_streams.cend(); ++it)
        if (it.key() <= m_goawayLastStreamId)
            return; // still owes an answer
    // Everything promised is answered: let the bytes leave, then close like APNs does.
    QTimer::singleShot(20, this, [this] {
        if (m_socket->state() == QAbstractSocket::ConnectedState)
            m_socket->disconnectFromHost();
    });
}

void H2ServerConnection::sendGarbage()
{
    QByteArray junk(64, '\0');
    for (auto &b : junk)
        b = char(QRandomGenerator::global()->bounded(256));
    junk[3] = char(0x42); // an unknown frame type would be ignored; follow with a bogus SETTINGS
    m_socket->write(junk);
    m_socket->write(QByteArray::fromHex("00000304000000000000ffffff")); // SETTINGS with a bad length
    m_socket->flush();
}

void H2ServerConnection::dropMidStream(int streamId, int status)
{
    if (!m_session || !m_streams.contains(streamId))
        return;
    m_streams[streamId].deferred = true;
    StandinResponse r;
    r.status = status;
    r.body = "never sent";
    respond(streamId, r);
    if (m_streams.contains(streamId))
        m_streams[streamId].deferred = true;
    m_socket->flush();
    QTimer::singleShot(10, this, &H2ServerConnection::abort);
}

void H2ServerConnection::abort()
{
    m_socket->abort();
    shutdown();
}

void H2ServerConnection::shutdown()
{
    if (!m_session)
        return;
    nghttp2_session_del(m_session);
    m_session = nullptr;
    m_streams.clear();
    emit closed(this);
}

} // namespace herald::standin
