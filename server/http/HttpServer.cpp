#include "http/HttpServer.h"

#include "http/HttpConnection.h"
#include "http/HttpLog.h"
#include "http/TlsSocket.h"

#ifdef Q_OS_WIN
#include <winsock2.h>
#else
#include <unistd.h>
#endif

namespace herald {

HttpServer::HttpServer(const HttpLimits &limits, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
{
    // Qt's default backlog of 50 leaves reconnect storms waiting on SYN retries.
    setListenBacklogSize(1024);
}

HttpServer::~HttpServer()
{
    // Connections (children, so normally deleted after the members) hold timers on m_timers.
    qDeleteAll(findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly));
}

bool HttpServer::setTlsCredentials(const QList<QSslCertificate> &chain, const QSslKey &key, QString *error)
{
    std::unique_ptr<TlsContext> context = TlsContext::create(chain, key, error);
    if (!context)
        return false;
    m_tls = std::move(context);
    return true;
}

void HttpServer::incomingConnection(qintptr descriptor)
{
    SSL *ssl = m_tls ? m_tls->newConnection() : nullptr;
    if (!ssl) {
        qCWarning(lcHttp) << "cannot take an incoming connection:" << (m_tls ? "out of memory" : "no TLS credentials");
#ifdef Q_OS_WIN
        ::closesocket(SOCKET(descriptor));
#else
        ::close(int(descriptor));
#endif
        return;
    }
    auto *socket = new TlsSocket(descriptor, ssl);
    // A newcomer waits behind established clients until its first answer (HttpConnection).
    socket->setDeferrable(true);
    auto *connection = new HttpConnection(socket, m_router, m_limits, m_gate, m_timers, this);
    ++m_connections;
    connect(connection, &HttpConnection::finished, this, [this] { --m_connections; });
}

} // namespace herald
