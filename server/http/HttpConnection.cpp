#include "http/HttpConnection.h"

#include "http/HttpLog.h"
#include "http/HttpResponse.h"
#include "http/Router.h"

#include <QPointer>
#include <QSslSocket>
#include <QUrl>

#include <exception>

namespace herald {
namespace {

bool isToken(const QByteArray &s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
        if (!ok)
            return false;
    }
    return true;
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
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if ((m_phase == Phase::Head && m_buffer.isEmpty()) || m_phase == Phase::Draining) {
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
    m_buffer += m_socket->readAll();
    while (m_phase != Phase::Closing) {
        if (m_phase == Phase::Head) {
            if (m_buffer.isEmpty())
                return;
            if (m_timer.remainingTime() > m_limits.headerTimeoutMs || !m_timer.isActive())
                armTimer(m_limits.headerTimeoutMs); // a new request started on an idle connection
            if (!tryParseHead())
                return;
        }
        if (m_phase == Phase::Body) {
            if (m_buffer.size() < m_contentLength)
                return;
            m_request.body = m_buffer.left(m_contentLength);
            m_buffer.remove(0, m_contentLength);
            processRequest();
            if (m_phase == Phase::Closing || !m_socket)
                return;
        }
    }
}

bool HttpConnection::tryParseHead()
{
    const int end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0) {
        const int lineEnd = m_buffer.indexOf("\r\n");
        if ((lineEnd < 0 && m_buffer.size() > m_limits.maxRequestLineBytes) || lineEnd > m_limits.maxRequestLineBytes)
            failAndClose(414, QStringLiteral("request_line_too_long"), QStringLiteral("the request line is too long"));
        else if (m_buffer.size() > m_limits.maxRequestLineBytes + m_limits.maxHeaderBytes)
            failAndClose(431, QStringLiteral("headers_too_large"), QStringLiteral("the request headers are too large"));
        return false;
    }
    const int requestLineEnd = m_buffer.indexOf("\r\n");
    if (requestLineEnd > m_limits.maxRequestLineBytes) {
        failAndClose(414, QStringLiteral("request_line_too_long"), QStringLiteral("the request line is too long"));
        return false;
    }
    if (end - requestLineEnd > m_limits.maxHeaderBytes) {
        failAndClose(431, QStringLiteral("headers_too_large"), QStringLiteral("the request headers are too large"));
        return false;
    }
    const QByteArray head = m_buffer.left(end);
    m_buffer.remove(0, end + 4);
    const QList<QByteArray> lines = head.split('\n');

    m_request = HttpRequest();
    m_request.peer = m_socket->peerAddress();
    const QByteArray requestLine = lines.first().trimmed();
    if (requestLine.size() > m_limits.maxRequestLineBytes) {
        failAndClose(414, QStringLiteral("request_line_too_long"), QStringLiteral("the request line is too long"));
        return false;
    }
    const QList<QByteArray> parts = requestLine.split(' ');
    if (parts.size() != 3 || !isToken(parts[0]) || !parts[1].startsWith('/')) {
        failAndClose(400, QStringLiteral("bad_request"), QStringLiteral("malformed request line"));
        return false;
    }
    if (parts[2] != "HTTP/1.1" && parts[2] != "HTTP/1.0") {
        failAndClose(505, QStringLiteral("http_version_not_supported"), QStringLiteral("only HTTP/1.1 and 1.0 are served"));
        return false;
    }
    m_request.method = parts[0];
    const QByteArray target = parts[1];
    const int q = target.indexOf('?');
    const QByteArray rawPath = q < 0 ? target : target.left(q);
    m_request.path = QUrl::fromPercentEncoding(rawPath);
    if (m_request.path.contains(QChar(0))) {
        failAndClose(400, QStringLiteral("bad_request"), QStringLiteral("malformed path"));
        return false;
    }
    if (q >= 0)
        m_request.query = QUrlQuery(QString::fromUtf8(target.mid(q + 1)));

    if (lines.size() - 1 > m_limits.maxHeaderCount) {
        failAndClose(431, QStringLiteral("headers_too_large"), QStringLiteral("too many request headers"));
        return false;
    }
    for (int i = 1; i < lines.size(); ++i) {
        QByteArray line = lines.at(i);
        if (line.endsWith('\r'))
            line.chop(1);
        const int colon = line.indexOf(':');
        // Obsolete line folding and names with spaces are classic smuggling vectors: refuse them.
        if (colon <= 0 || !isToken(line.left(colon))) {
            failAndClose(400, QStringLiteral("bad_request"), QStringLiteral("malformed header line"));
            return false;
        }
        const QByteArray name = line.left(colon).toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length" && m_request.headers.contains(name) && m_request.headers.value(name) != value) {
            failAndClose(400, QStringLiteral("bad_request"), QStringLiteral("conflicting Content-Length headers"));
            return false;
        }
        if (m_request.headers.contains(name) && name != "content-length")
            m_request.headers[name] += ", " + value;
        else
            m_request.headers.insert(name, value);
    }

    const QByteArray connection = m_request.header("connection").toLower();
    m_keepAlive = parts[2] == "HTTP/1.1" ? !connection.contains("close") : connection.contains("keep-alive");

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
        const qint64 pending = m_contentLength - m_buffer.size();
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
        const QByteArray pending = std::exchange(m_buffer, QByteArray());
        response.takeOver(socket, m_request, pending);
        Q_EMIT finished();
        deleteLater();
        return;
    }
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
    m_buffer.clear();
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
