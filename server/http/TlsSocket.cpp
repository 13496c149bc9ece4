#include "http/TlsSocket.h"

#include "http/HttpLog.h"
#include "timing/DeferrableNotifier.h"

#include <QPointer>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstring>

#ifdef Q_OS_WIN
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 // Windows has no SIGPIPE
#endif

namespace herald {
namespace {

// OpenSSL's own socket BIO writes with write(2), which raises SIGPIPE on a connection the peer
// reset; a server must not depend on every embedding program ignoring that signal. This BIO uses
// send(MSG_NOSIGNAL) and recv and reports "would block" as a retry, nothing else.
qintptr descriptorOf(BIO *bio)
{
    return reinterpret_cast<qintptr>(BIO_get_data(bio));
}

bool interrupted()
{
#ifdef Q_OS_WIN
    return WSAGetLastError() == WSAEINTR;
#else
    return errno == EINTR;
#endif
}

bool wouldBlock()
{
#ifdef Q_OS_WIN
    return WSAGetLastError() == WSAEWOULDBLOCK;
#else
    return errno == EAGAIN || errno == EWOULDBLOCK;
#endif
}

int bioWrite(BIO *bio, const char *data, int size)
{
    BIO_clear_retry_flags(bio);
    int n;
    do {
        n = int(::send(descriptorOf(bio), data, size, MSG_NOSIGNAL));
    } while (n < 0 && interrupted());
    if (n < 0 && wouldBlock())
        BIO_set_retry_write(bio);
    return n;
}

int bioRead(BIO *bio, char *data, int size)
{
    BIO_clear_retry_flags(bio);
    int n;
    do {
        n = int(::recv(descriptorOf(bio), data, size, 0));
    } while (n < 0 && interrupted());
    if (n < 0 && wouldBlock())
        BIO_set_retry_read(bio);
    return n;
}

long bioCtrl(BIO *, int command, long, void *)
{
    return command == BIO_CTRL_FLUSH ? 1 : 0; // nothing is buffered here
}

int bioCreate(BIO *bio)
{
    BIO_set_init(bio, 1);
    return 1;
}

BIO_METHOD *socketBioMethod()
{
    static BIO_METHOD *const method = [] {
        BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "herald socket");
        BIO_meth_set_write(m, bioWrite);
        BIO_meth_set_read(m, bioRead);
        BIO_meth_set_ctrl(m, bioCtrl);
        BIO_meth_set_create(m, bioCreate);
        return m;
    }();
    return method;
}

void makeNonBlocking(qintptr descriptor)
{
#ifdef Q_OS_WIN
    u_long on = 1;
    ::ioctlsocket(SOCKET(descriptor), FIONBIO, &on);
#else
    const int flags = ::fcntl(int(descriptor), F_GETFL);
    if (flags >= 0)
        ::fcntl(int(descriptor), F_SETFL, flags | O_NONBLOCK);
#endif
}

QHostAddress peerOf(qintptr descriptor)
{
    sockaddr_storage address = {};
    socklen_t length = sizeof address;
    if (::getpeername(descriptor, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return {};
    const QHostAddress peer(reinterpret_cast<const sockaddr *>(&address));
    // On a dual-stack listener IPv4 clients arrive as ::ffff:a.b.c.d; logs and the audit trail
    // show them as the operator knows them.
    bool isV4 = false;
    const quint32 v4 = peer.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : peer;
}

// What went wrong, for the debug log: OpenSSL's queue first, else the system's error.
QString failureText(int sslError)
{
    if (const unsigned long code = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        ERR_clear_error();
        return QString::fromLatin1(buffer);
    }
    if (sslError == SSL_ERROR_SYSCALL && errno != 0)
        return QString::fromLocal8Bit(std::strerror(errno));
    return QStringLiteral("connection closed by the peer");
}

} // namespace

TlsSocket::TlsSocket(qintptr descriptor, SSL *ssl, QObject *parent)
    : QObject(parent)
    , m_descriptor(descriptor)
    , m_ssl(ssl)
    , m_readNotifier(descriptor, QSocketNotifier::Read)
    , m_writeNotifier(descriptor, QSocketNotifier::Write)
    , m_peer(peerOf(descriptor))
{
    makeNonBlocking(descriptor);
    BIO *bio = BIO_new(socketBioMethod());
    BIO_set_data(bio, reinterpret_cast<void *>(descriptor));
    SSL_set_bio(m_ssl, bio, bio);
    m_writeNotifier.setEnabled(false);
    connect(&m_readNotifier, &QSocketNotifier::activated, this, &TlsSocket::onReadable);
    connect(&m_writeNotifier, &QSocketNotifier::activated, this, &TlsSocket::onWritable);
}

TlsSocket::~TlsSocket()
{
    closeDescriptor();
    SSL_free(m_ssl); // and the BIO with it
}

QByteArray TlsSocket::readAll()
{
    QByteArray out;
    out.swap(m_read); // the buffer leaves with its capacity: an idle socket keeps none
    return out;
}

qint64 TlsSocket::skip(qint64 maxBytes)
{
    const qint64 n = qMin<qint64>(maxBytes, m_read.size());
    if (n == m_read.size())
        m_read = QByteArray();
    else
        m_read.remove(0, n);
    return n;
}

qint64 TlsSocket::write(const QByteArray &data)
{
    if (!isOpen())
        return -1;
    if (data.isEmpty())
        return 0;
    if (m_writePos > 0) {
        // A write OpenSSL has half done may resume from the moved buffer (ACCEPT_MOVING_WRITE_BUFFER).
        m_write.remove(0, m_writePos);
        m_writePos = 0;
    }
    m_write.append(data);
    if (m_state == State::Open)
        scheduleFlush();
    return data.size();
}

void TlsSocket::disconnectFromHost()
{
    if (m_state == State::Handshaking) {
        closeDescriptor();
        m_state = State::Closed;
        Q_EMIT disconnected();
        return;
    }
    if (m_state != State::Open)
        return;
    m_state = State::Closing;
    if (bytesToWrite() == 0)
        finishClose();
    else
        scheduleFlush();
}

void TlsSocket::abort()
{
    closeDescriptor();
    m_state = State::Closed;
    m_write = QByteArray();
    m_writePos = 0;
}

bool TlsSocket::setSendBufferSize(int bytes)
{
    if (m_descriptor < 0)
        return false;
    return ::setsockopt(m_descriptor, SOL_SOCKET, SO_SNDBUF, reinterpret_cast<const char *>(&bytes), sizeof bytes) == 0;
}

void TlsSocket::setDeferrable(bool deferrable)
{
    setNotifierDeferrable(m_readNotifier, deferrable);
    setNotifierDeferrable(m_writeNotifier, deferrable);
}

bool TlsSocket::isDeferrable() const
{
    return isNotifierDeferrable(m_readNotifier) && isNotifierDeferrable(m_writeNotifier);
}

void TlsSocket::setReadPaused(bool paused)
{
    if (m_readPaused == paused)
        return;
    m_readPaused = paused;
    if (m_descriptor >= 0)
        m_readNotifier.setEnabled(!paused);
    // Records OpenSSL already holds (SSL_pending) raise no notification of their own.
    if (!paused && m_state == State::Open)
        QMetaObject::invokeMethod(this, &TlsSocket::readRecords, Qt::QueuedConnection);
}

void TlsSocket::onReadable()
{
    if (m_state == State::Handshaking)
        handshake();
    else
        readRecords();
}

void TlsSocket::onWritable()
{
    if (m_state == State::Handshaking) {
        handshake();
        return;
    }
    if (m_readWantsWrite) {
        QPointer<TlsSocket> guard(this);
        readRecords();
        if (!guard)
            return;
    }
    flush();
}

void TlsSocket::handshake()
{
    ERR_clear_error();
    const int result = SSL_do_handshake(m_ssl);
    if (result == 1) {
        m_state = State::Open;
        watchWrites(false);
        if (!emitGuarded(&TlsSocket::encrypted))
            return;
        if (bytesToWrite() > 0)
            scheduleFlush();
        readRecords(); // a request sent right behind the handshake may already be here
        return;
    }
    switch (const int error = SSL_get_error(m_ssl, result)) {
    case SSL_ERROR_WANT_READ:
        watchWrites(false);
        return;
    case SSL_ERROR_WANT_WRITE:
        watchWrites(true);
        return;
    default:
        // Scanners, plain HTTP on the TLS port, clients that give up: routine, so debug level.
        fail(QStringLiteral("TLS handshake failed: %1").arg(failureText(error)));
    }
}

void TlsSocket::readRecords()
{
    if (m_state != State::Open && m_state != State::Closing)
        return;
    if (m_readPaused && m_state == State::Open)
        return; // setReadPaused(false) reads again
    m_readWantsWrite = false;
    char chunk[16384]; // one record's plaintext at most, so nothing is left inside OpenSSL
    qint64 total = 0;
    bool ended = false;
    while (total < MaxReadPerPass) {
        ERR_clear_error();
        errno = 0;
        const int n = SSL_read(m_ssl, chunk, sizeof chunk);
        if (n > 0) {
            // Once closing, nobody will read it: dropped, so a peer cannot grow it meanwhile.
            if (m_state == State::Open)
                m_read.append(chunk, n);
            total += n;
            continue;
        }
        const int error = SSL_get_error(m_ssl, n);
        if (error == SSL_ERROR_WANT_READ)
            break;
        if (error == SSL_ERROR_WANT_WRITE) {
            m_readWantsWrite = true;
            watchWrites(true);
            break;
        }
        if (error != SSL_ERROR_ZERO_RETURN)
            m_error = failureText(error);
        ended = true;
        break;
    }
    if (total >= MaxReadPerPass && SSL_pending(m_ssl) > 0)
        QMetaObject::invokeMethod(this, &TlsSocket::readRecords, Qt::QueuedConnection);
    if (bytesToWrite() > 0)
        scheduleFlush(); // a write that waited for the peer (SSL_ERROR_WANT_READ) may go on now
    if (total > 0 && m_state == State::Open && !emitGuarded(&TlsSocket::readyRead))
        return;
    if (ended && m_state != State::Closed) {
        if (!m_error.isEmpty())
            qCDebug(lcHttp) << "connection from" << m_peer.toString() << "ended:" << m_error;
        closeDescriptor();
        m_state = State::Closed;
        Q_EMIT disconnected();
    }
}

void TlsSocket::flush()
{
    m_flushScheduled = false;
    if (m_state != State::Open && m_state != State::Closing)
        return;
    qint64 written = 0;
    while (m_writePos < m_write.size()) {
        ERR_clear_error();
        errno = 0;
        const int n = SSL_write(m_ssl, m_write.constData() + m_writePos,
                                int(qMin<qsizetype>(m_write.size() - m_writePos, 1 << 30)));
        if (n > 0) {
            m_writePos += n;
            written += n;
            continue;
        }
        const int error = SSL_get_error(m_ssl, n);
        if (error == SSL_ERROR_WANT_WRITE) {
            watchWrites(true);
            break;
        }
        if (error == SSL_ERROR_WANT_READ)
            break; // the read notifier brings it back
        fail(QStringLiteral("write failed: %1").arg(failureText(error)));
        return;
    }
    if (m_writePos == m_write.size()) {
        m_write = QByteArray();
        m_writePos = 0;
        if (!m_readWantsWrite)
            watchWrites(false);
    }
    if (written > 0) {
        QPointer<TlsSocket> guard(this);
        Q_EMIT bytesWritten(written);
        if (!guard)
            return;
    }
    if (m_state == State::Closing && bytesToWrite() == 0)
        finishClose();
}

void TlsSocket::scheduleFlush()
{
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    QMetaObject::invokeMethod(this, &TlsSocket::flush, Qt::QueuedConnection);
}

void TlsSocket::watchWrites(bool on)
{
    if (m_descriptor >= 0 && m_writeNotifier.isEnabled() != on)
        m_writeNotifier.setEnabled(on);
}

void TlsSocket::fail(const QString &why)
{
    m_error = why;
    qCDebug(lcHttp) << "connection from" << m_peer.toString() << why;
    closeDescriptor();
    m_state = State::Closed;
    Q_EMIT disconnected();
}

void TlsSocket::finishClose()
{
    ERR_clear_error();
    SSL_shutdown(m_ssl); // our close_notify, once; the peer's answer is not awaited
    ERR_clear_error();
    closeDescriptor();
    m_state = State::Closed;
    Q_EMIT disconnected();
}

void TlsSocket::closeDescriptor()
{
    if (m_descriptor < 0)
        return;
    m_readNotifier.setEnabled(false);
    m_writeNotifier.setEnabled(false);
#ifdef Q_OS_WIN
    ::closesocket(SOCKET(m_descriptor));
#else
    ::close(int(m_descriptor));
#endif
    m_descriptor = -1;
}

bool TlsSocket::emitGuarded(void (TlsSocket::*signal)())
{
    QPointer<TlsSocket> guard(this);
    Q_EMIT(this->*signal)();
    return !guard.isNull();
}

} // namespace herald
