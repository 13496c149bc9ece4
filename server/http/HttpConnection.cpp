#include "http/HttpConnection.h"

#include "http/HttpHeadParser.h"
#include "http/HttpLog.h"
#include "http/HttpResponse.h"
#include "http/Router.h"
#include "http/TlsSocket.h"

#include <QPointer>

#include <exception>

namespace herald {

HttpConnection::HttpConnection(TlsSocket *socket, const Router &router, const HttpLimits &limits,
                               const ResponseGate &gate, TimerWheel &timers, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_router(router)
    , m_limits(limits)
    , m_headLimits(limits)
    , m_gate(gate)
    , m_timer(timers, [this] { onTimeout(); })
{
    m_headLimits.maxBodyBytes = router.largestBodyLimit(limits.maxBodyBytes);
    m_socket->setParent(this);
    m_peer = m_socket->peerAddress(); // once: every request of the connection carries it
    connect(m_socket, &TlsSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &TlsSocket::disconnected, this, &HttpConnection::closeConnection); // errors too
    connect(m_socket, &TlsSocket::bytesWritten, this, &HttpConnection::onAnswersTaken);
    armTimer(m_limits.headerTimeoutMs); // the TLS handshake and first request count against this
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::onTimeout()
{
    if (m_phase == Phase::Closing || m_pausedForAnswers) {
        // The client does not take what it was answered: no answer can reach it either.
        qCDebug(lcHttp) << "dropping a connection from" << m_peer.toString() << "that does not read its answers";
        closeConnection();
        return;
    }
    if ((m_phase == Phase::Head && unread().isEmpty()) || m_phase == Phase::Draining) {
        closeConnection(); // idle keep-alive connection: just close
        return;
    }
    failAndClose(408, QStringLiteral("request_timeout"), QStringLiteral("the request did not arrive in time"));
}

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
        if (m_socket->state() != TlsSocket::State::Closed)
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
    if (m_phase == Phase::Waiting) {
        // Kept for after the deferred answer, within what one request may take.
        if (unread().size() > m_limits.maxRequestLineBytes + m_limits.maxHeaderBytes + m_limits.maxBodyBytes)
            closeConnection();
        return;
    }
    parseBuffered();
    compactBuffer();
}

void HttpConnection::compactBuffer()
{
    // Pipelined requests are parsed where they lie and what they took is cut off once per read:
    // cutting it per head and body copied the rest of the buffer twice for every request.
    if (m_readPos >= m_buffer.size())
        m_buffer = QByteArray(); // empty, so the next read is taken over without a copy
    else if (m_readPos > 0)
        m_buffer.remove(0, m_readPos);
    m_readPos = 0;
}

bool HttpConnection::answersBackedUp() const
{
    return m_answersInFlight >= MaxAnswersInFlight || (m_socket && m_socket->bytesToWrite() > MaxQueuedAnswerBytes);
}

void HttpConnection::pauseForAnswers()
{
    if (m_pausedForAnswers)
        return;
    m_pausedForAnswers = true;
    m_socket->setReadPaused(true);
    armTimer(m_limits.sendTimeoutMs);
}

void HttpConnection::onAnswersTaken()
{
    // Resumed well below the mark, so a client reading slowly does not flip it on every write.
    if (!m_pausedForAnswers || !m_socket || m_answersInFlight >= MaxAnswersInFlight / 2 ||
        m_socket->bytesToWrite() > MaxQueuedAnswerBytes / 4)
        return;
    m_pausedForAnswers = false;
    m_socket->setReadPaused(false);
    armTimer(unread().isEmpty() ? m_limits.idleTimeoutMs : m_limits.headerTimeoutMs);
    parseBuffered();
    if (m_socket)
        compactBuffer();
}

void HttpConnection::parseBuffered()
{
    while (m_phase == Phase::Head || m_phase == Phase::Body) {
        if (m_phase == Phase::Head) {
            if (unread().isEmpty())
                return;
            if (answersBackedUp()) {
                pauseForAnswers(); // the rest waits where it lies
                return;
            }
            if (m_timer.remainingTimeMs() > m_limits.headerTimeoutMs || !m_timer.isActive())
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
    HttpHeadParser::Result head = HttpHeadParser::parse(unread(), m_headLimits, &m_request);
    if (head.status == HttpHeadParser::Status::Complete &&
        head.contentLength > m_router.bodyLimit(m_request.method, m_request.path, m_limits.maxBodyBytes)) {
        // Within what some route takes, not within what this one does.
        const auto tooLarge = protocol::ApiError::payloadTooLarge(m_limits.maxBodyBytes);
        head.status = HttpHeadParser::Status::Error;
        head.errorStatus = tooLarge.status;
        head.errorCode = tooLarge.code;
        head.errorMessage = tooLarge.message;
    }
    switch (head.status) {
    case HttpHeadParser::Status::NeedMore:
        return false;
    case HttpHeadParser::Status::Error: {
        // Clients that are still uploading a body too large only see our answer if we read what
        // they send before closing; that courtesy is bounded, so a huge declared body is cut off at once.
        const qint64 pending = head.errorStatus == 413 ? head.contentLength - (unread().size() - head.consumed) : 0;
        failAndClose(head.errorStatus, head.errorCode, head.errorMessage, pending <= MaxDrainBytes ? pending : 0);
        return false;
    }
    case HttpHeadParser::Status::Complete:
        break;
    }
    m_readPos += head.consumed;
    m_request.peer = m_peer;
    m_keepAlive = head.keepAlive;
    m_contentLength = head.contentLength;
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
    handleResponse(std::move(response));
}

void HttpConnection::handleResponse(HttpResponse response)
{
    if (response.takeOver) {
        // The socket now belongs to whoever took it; this object goes away quietly.
        m_timer.stop();
        m_phase = Phase::Closing;
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->setParent(nullptr);
        m_socket->setDeferrable(false); // an upgraded session is an established client
        TlsSocket *socket = m_socket;
        m_socket = nullptr;
        const QByteArray pending = unread().toByteArray();
        discardBuffered();
        response.takeOver(socket, m_request, pending);
        Q_EMIT finished();
        deleteLater();
        return;
    }
    if (response.deferred) {
        // Nothing more is parsed until the answer exists: answers on a connection go out in order.
        m_phase = Phase::Waiting;
        m_timer.stop();
        auto deferred = std::move(response.deferred);
        deferred([guard = QPointer<HttpConnection>(this)](HttpResponse answer) {
            if (!guard)
                return;
            // Always from the event loop, never inside the handler's own call. The answer may
            // wait again (a password check after the account's read) or take the connection over
            // (a session upgrade once its bearer token is looked up).
            QMetaObject::invokeMethod(
                guard,
                [guard, answer] {
                    if (!guard || guard->m_phase != Phase::Waiting || !guard->m_socket)
                        return; // the client went away meanwhile
                    guard->handleResponse(answer);
                    if (guard && guard->m_phase == Phase::Head)
                        guard->parseBuffered(); // what the client pipelined behind it
                },
                Qt::QueuedConnection);
        });
        return;
    }
    finishRequest(response);
}

void HttpConnection::finishRequest(const HttpResponse &response)
{
    // Answered once: from here on an established client, no longer one that may wait.
    m_socket->setDeferrable(false);
    if (response.closeAfter)
        m_keepAlive = false;
    if (!m_keepAlive) {
        m_phase = Phase::Closing; // nothing more is read; the socket closes after the answer
        armTimer(m_limits.sendTimeoutMs);
    } else {
        m_phase = Phase::Head;
        armTimer(m_limits.idleTimeoutMs);
    }
    respond(response, m_keepAlive, !m_keepAlive);
}

void HttpConnection::respond(const HttpResponse &response, bool keepAlive, bool closeAfter)
{
    ++m_answersInFlight;
    auto write = [guard = QPointer<HttpConnection>(this), response, keepAlive, closeAfter](bool durable) {
        if (guard)
            --guard->m_answersInFlight;
        if (!guard || !guard->m_socket || !guard->m_socket->isOpen())
            return; // the client went away while its answer waited for the commit
        TlsSocket *socket = guard->m_socket;
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
    qCDebug(lcHttp) << "rejecting request from" << m_peer.toString() << status << code;
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
    armTimer(m_limits.sendTimeoutMs);
    respond(HttpResponse::error(protocol::ApiError{status, code, message}), false, true);
}

void HttpConnection::drain()
{
    m_drainRemaining -= m_socket->skip(m_drainRemaining);
    if (m_drainRemaining > 0)
        return;
    m_phase = Phase::Closing;
    armTimer(m_limits.sendTimeoutMs);
    // Through the gate, so the answer that started the drain is written before the close.
    auto close = [guard = QPointer<HttpConnection>(this)](bool) {
        if (guard && guard->m_socket)
            guard->m_socket->disconnectFromHost();
    };
    passGate(std::move(close));
}

} // namespace herald
