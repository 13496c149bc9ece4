#include "http/HttpConnection.h"

#include "http/HttpLog.h"
#include "http/HttpResponse.h"
#include "http/Router.h"

#include <QPointer>
#include <QSslSocket>
#include <QUrl>

#include <algorithm>
#include <array>
#include <cstring>
#include <exception>
#include <string_view>

namespace herald {
namespace {

// RFC 9110 tchar, as a table: names are checked byte by byte on every request.
constexpr std::array<bool, 256> tokenChars()
{
    std::array<bool, 256> t{};
    for (int c = '0'; c <= '9'; ++c)
        t[c] = true;
    for (int c = 'a'; c <= 'z'; ++c)
        t[c] = t[c - 'a' + 'A'] = true;
    for (char c : std::string_view("!#$%&'*+-.^_`|~"))
        t[uchar(c)] = true;
    return t;
}

bool isToken(QByteArrayView s)
{
    static constexpr std::array<bool, 256> tchar = tokenChars();
    if (s.isEmpty())
        return false;
    for (char c : s)
        if (!tchar[uchar(c)])
            return false;
    return true;
}

// memchr: QByteArrayView::indexOf(char) goes through Qt's general substring search.
qsizetype find(QByteArrayView s, char c, qsizetype from = 0)
{
    if (from >= s.size())
        return -1;
    const void *at = std::memchr(s.data() + from, c, size_t(s.size() - from));
    return at ? static_cast<const char *>(at) - s.data() : -1;
}

// The same for a short needle: libstdc++ looks for its first byte with memchr; Qt's search hashed
// every byte of the head.
qsizetype find(QByteArrayView s, std::string_view needle)
{
    const size_t at = std::string_view(s.data(), size_t(s.size())).find(needle);
    return at == std::string_view::npos ? -1 : qsizetype(at);
}

} // namespace

HttpConnection::HttpConnection(QSslSocket *socket, const Router &router, const HttpLimits &limits,
                               const ResponseGate &gate, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_router(router)
    , m_limits(limits)
    , m_gate(gate)
{
    m_socket->setParent(this);
    m_peer = m_socket->peerAddress(); // once: every request of the connection carries it
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if ((m_phase == Phase::Head && unread().isEmpty()) || m_phase == Phase::Draining) {
            closeConnection(); // idle keep-alive connection: just close
            return;
        }
        failAndClose(408, QStringLiteral("request_timeout"), QStringLiteral("the request did not arrive in time"));
    });
    connect(m_socket, &QSslSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QSslSocket::disconnected, this, &HttpConnection::closeConnection);
    connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
            qCDebug(lcHttp) << "connection error from" << m_socket->peerAddress().toString() << m_socket->errorString();
        closeConnection();
    });
    armTimer(m_limits.headerTimeoutMs); // the TLS handshake and first request count against this
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::armTimer(int ms)
{
    m_timer.start(ms);
}

void HttpConnection::closeConnection()
{
    if (m_phase == Phase::Closing && !m_socket)
        return;
    m_phase = Phase::Closing;
    m_timer.stop();
    if (m_socket) {
        disconnect(m_socket, nullptr, this, nullptr);
        if (m_socket->state() != QAbstractSocket::UnconnectedState)
            m_socket->abort();
    }
    Q_EMIT finished();
    deleteLater();
}

void HttpConnection::onReadyRead()
{
    if (m_phase == Phase::Closing)
        return;
    if (m_phase == Phase::Draining) {
        drain();
        return;
    }
    if (m_phase == Phase::Waiting)
        return; // left in the socket until the deferred answer is out
    m_buffer += m_socket->readAll();
    parseBuffered();
    // Pipelined requests are parsed where they lie and what they took is cut off once per read:
    // cutting it per head and body copied the rest of the buffer twice for every request.
    if (m_readPos >= m_buffer.size())
        m_buffer = QByteArray(); // empty, so the next read is taken over without a copy
    else if (m_readPos > 0)
        m_buffer.remove(0, m_readPos);
    m_readPos = 0;
}

void HttpConnection::parseBuffered()
{
    while (m_phase != Phase::Closing) {
        if (m_phase == Phase::Head) {
            if (unread().isEmpty())
                return;
            if (m_timer.remainingTime() > m_limits.headerTimeoutMs || !m_timer.isActive())
                armTimer(m_limits.headerTimeoutMs); // a new request started on an idle connection
            if (!tryParseHead())
                return;
        }
        if (m_phase == Phase::Body) {
            if (unread().size() < m_contentLength)
                return;
            m_request.body = m_buffer.mid(m_readPos, m_contentLength);
            m_readPos += m_contentLength;
            processRequest();
            if (m_phase == Phase::Closing || m_phase == Phase::Waiting || !m_socket)
                return;
        }
    }
}

QByteArrayView HttpConnection::unread() const
{
    return QByteArrayView(m_buffer).sliced(m_readPos);
}

void HttpConnection::discardBuffered()
{
    m_buffer = QByteArray();
    m_readPos = 0;
}

bool HttpConnection::tryParseHead()
{
    const QByteArrayView data = unread();
    const qsizetype end = find(data, "\r\n\r\n");
    if (end < 0) {
        const qsizetype lineEnd = find(data, "\r\n");
        if ((lineEnd < 0 && data.size() > m_limits.maxRequestLineBytes) || lineEnd > m_limits.maxRequestLineBytes)
            failAndClose(414, QStringLiteral("request_line_too_long"), QStringLiteral("the request line is too long"));
        else if (data.size() > m_limits.maxRequestLineBytes + m_limits.maxHeaderBytes)
            failAndClose(431, QStringLiteral("headers_too_large"), QStringLiteral("the request headers are too large"));
        return false;
    }
    const qsizetype requestLineEnd = find(data, "\r\n");
    if (requestLineEnd > m_limits.maxRequestLineBytes) {
        failAndClose(414, QStringLiteral("request_line_too_long"), QStringLiteral("the request line is too long"));
        return false;
    }
    if (end - requestLineEnd > m_limits.maxHeaderBytes) {
        failAndClose(431, QStringLiteral("headers_too_large"), QStringLiteral("the request headers are too large"));
        return false;
    }
    // Views into the buffer: nothing below copies a line, only the names and values kept.
    const QByteArrayView head = data.first(end);
    m_readPos += end + 4;
    qsizetype pos = 0;
    auto nextLine = [&head, &pos] {
        qsizetype newline = find(head, '\n', pos);
        if (newline < 0)
            newline = head.size();
        const QByteArrayView line = head.sliced(pos, newline - pos);
        pos = newline + 1;
        return line;
    };

    m_request = HttpRequest();
    m_request.peer = m_peer;
    const QByteArrayView requestLine = nextLine().trimmed();
    if (requestLine.size() > m_limits.maxRequestLineBytes) {
        failAndClose(414, QStringLiteral("request_line_too_long"), QStringLiteral("the request line is too long"));
        return false;
    }
    const qsizetype firstSpace = find(requestLine, ' ');
    const qsizetype secondSpace = firstSpace < 0 ? -1 : find(requestLine, ' ', firstSpace + 1);
    if (secondSpace < 0 || find(requestLine, ' ', secondSpace + 1) >= 0) {
        failAndClose(400, QStringLiteral("bad_request"), QStringLiteral("malformed request line"));
        return false;
    }
    const QByteArrayView method = requestLine.first(firstSpace);
    const QByteArrayView target = requestLine.sliced(firstSpace + 1, secondSpace - firstSpace - 1);
    const QByteArrayView version = requestLine.sliced(secondSpace + 1);
    if (!isToken(method) || !target.startsWith('/')) {
        failAndClose(400, QStringLiteral("bad_request"), QStringLiteral("malformed request line"));
        return false;
    }
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        failAndClose(505, QStringLiteral("http_version_not_supported"), QStringLiteral("only HTTP/1.1 and 1.0 are served"));
        return false;
    }
    m_request.method = method.toByteArray();
    const qsizetype q = find(target, '?');
    const QByteArrayView rawPath = q < 0 ? target : target.first(q);
    m_request.path = find(rawPath, '%') >= 0 ? QUrl::fromPercentEncoding(rawPath.toByteArray())
                                           : QString::fromUtf8(rawPath);
    if (m_request.path.contains(QChar(0))) {
        failAndClose(400, QStringLiteral("bad_request"), QStringLiteral("malformed path"));
        return false;
    }
    if (q >= 0)
        m_request.query = QUrlQuery(QString::fromUtf8(target.sliced(q + 1)));

    if (std::count(head.begin(), head.end(), '\n') > m_limits.maxHeaderCount) {
        failAndClose(431, QStringLiteral("headers_too_large"), QStringLiteral("too many request headers"));
        return false;
    }
    while (pos <= head.size()) {
        QByteArrayView line = nextLine();
        if (line.endsWith('\r'))
            line.chop(1);
        const qsizetype colon = find(line, ':');
        // Obsolete line folding and names with spaces are classic smuggling vectors: refuse them.
        if (colon <= 0 || !isToken(line.first(colon))) {
            failAndClose(400, QStringLiteral("bad_request"), QStringLiteral("malformed header line"));
            return false;
        }
        const QByteArray name = line.first(colon).toByteArray().toLower();
        const QByteArray value = line.sliced(colon + 1).trimmed().toByteArray();
        const auto seen = m_request.headers.find(name);
        if (seen == m_request.headers.end()) {
            m_request.headers.insert(name, value);
        } else if (name != "content-length") {
            seen.value() += ", " + value;
        } else if (seen.value() != value) {
            failAndClose(400, QStringLiteral("bad_request"), QStringLiteral("conflicting Content-Length headers"));
            return false;
        }
    }

    const QByteArray connection = m_request.header("connection").toLower();
    m_keepAlive = version == "HTTP/1.1" ? !connection.contains("close") : connection.contains("keep-alive");

    if (m_request.headers.contains("transfer-encoding")) {
        failAndClose(411, QStringLiteral("length_required"),
                     QStringLiteral("chunked request bodies are not accepted; send Content-Length"));
        return false;
    }
    m_contentLength = 0;
    if (m_request.headers.contains("content-length")) {
        const QByteArray value = m_request.header("content-length");
        bool ok = !value.isEmpty() && value.size() <= 18;
        for (char c : value)
            ok = ok && c >= '0' && c <= '9';
        if (!ok) {
            failAndClose(400, QStringLiteral("bad_request"), QStringLiteral("malformed Content-Length"));
            return false;
        }
        m_contentLength = value.toLongLong();
    }
    if (m_contentLength > m_limits.maxBodyBytes) {
        const auto error = protocol::ApiError::payloadTooLarge(m_limits.maxBodyBytes);
        // Clients that are still uploading only see our answer if we read what they send before
        // closing; that courtesy is bounded, so a huge declared body is cut off at once.
        const qint64 pending = m_contentLength - unread().size();
        failAndClose(error.status, error.code, error.message, pending <= MaxDrainBytes ? pending : 0);
        return false;
    }
    m_phase = Phase::Body;
    return true;
}

void HttpConnection::processRequest()
{
    HttpResponse response;
    try {
        response = m_router.dispatch(m_request);
    } catch (const std::exception &e) {
        qCCritical(lcHttp) << "handler for" << m_request.path << "threw:" << e.what();
        response = HttpResponse::error(protocol::ApiError::internal());
    }
    if (response.takeOver) {
        // The socket now belongs to whoever took it; this object goes away quietly.
        m_timer.stop();
        m_phase = Phase::Closing;
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->setParent(nullptr);
        QSslSocket *socket = m_socket;
        m_socket = nullptr;
        const QByteArray pending = unread().toByteArray();
        discardBuffered();
        response.takeOver(socket, m_request, pending);
        Q_EMIT finished();
        deleteLater();
        return;
    }
    if (response.later) {
        // Neither the request timer nor the reader runs while the handler works on its answer.
        m_phase = Phase::Waiting;
        m_timer.stop();
        auto deliver = [guard = QPointer<HttpConnection>(this)](const HttpResponse &late) {
            if (!guard)
                return;
            // Always from the event loop, never inside the handler's own call.
            QMetaObject::invokeMethod(
                guard, [guard, late] {
                    if (guard)
                        guard->answerLater(late);
                },
                Qt::QueuedConnection);
        };
        response.later(std::move(deliver));
        return;
    }
    answer(response);
}

void HttpConnection::answerLater(const HttpResponse &response)
{
    if (m_phase != Phase::Waiting || !m_socket)
        return; // answered already, or the connection is closing
    answer(response);
    if (m_phase != Phase::Closing)
        onReadyRead(); // what the client sent meanwhile waits in the socket
}

void HttpConnection::answer(const HttpResponse &response)
{
    if (response.closeAfter)
        m_keepAlive = false;
    if (!m_keepAlive) {
        m_phase = Phase::Closing; // nothing more is read; the socket closes after the answer
        m_timer.stop();
    } else {
        m_phase = Phase::Head;
        armTimer(m_limits.idleTimeoutMs);
    }
    respond(response, m_keepAlive, !m_keepAlive);
}

void HttpConnection::respond(const HttpResponse &response, bool keepAlive, bool closeAfter)
{
    auto write = [guard = QPointer<HttpConnection>(this), response, keepAlive, closeAfter](bool durable) {
        if (!guard || !guard->m_socket || guard->m_socket->state() != QAbstractSocket::ConnectedState)
            return; // the client went away while its answer waited for the commit
        QSslSocket *socket = guard->m_socket;
        if (durable) {
            socket->write((response.finalize ? response.finalize() : response).serialize(keepAlive));
        } else {
            // The commit failed, so what the handler did is gone: say so, never "stored".
            socket->write(HttpResponse::error(protocol::ApiError::internal()).serialize(false));
        }
        if (closeAfter || !durable)
            socket->disconnectFromHost();
    };
    passGate(std::move(write));
}

void HttpConnection::passGate(std::function<void(bool durable)> action)
{
    if (m_gate)
        m_gate(std::move(action));
    else
        action(true);
}

void HttpConnection::failAndClose(int status, const QString &code, const QString &message, qint64 drainBytes)
{
    qCDebug(lcHttp) << "rejecting request from" << m_socket->peerAddress().toString() << status << code;
    m_keepAlive = false;
    discardBuffered();
    if (drainBytes > 0) {
        // Answer now (after what is already waiting), but keep reading what the client still sends.
        m_phase = Phase::Draining;
        m_drainRemaining = drainBytes;
        armTimer(DrainTimeoutMs);
        respond(HttpResponse::error(protocol::ApiError{status, code, message}), false, false);
        return;
    }
    m_phase = Phase::Closing;
    m_timer.stop();
    respond(HttpResponse::error(protocol::ApiError{status, code, message}), false, true);
}

void HttpConnection::drain()
{
    m_drainRemaining -= m_socket->skip(m_drainRemaining);
    if (m_drainRemaining > 0)
        return;
    m_phase = Phase::Closing;
    m_timer.stop();
    // Through the gate, so the answer that started the drain is written before the close.
    auto close = [guard = QPointer<HttpConnection>(this)](bool) {
        if (guard && guard->m_socket)
            guard->m_socket->disconnectFromHost();
    };
    passGate(std::move(close));
}

} // namespace herald
