#include "http/HttpServer.h"

#include "http/HttpConnection.h"
#include "http/HttpLog.h"

#include <QSslSocket>

namespace herald {

HttpServer::HttpServer(const QSslConfiguration &tls, const HttpLimits &limits, QObject *parent)
    : QTcpServer(parent)
    , m_tls(tls)
    , m_limits(limits)
{
    m_tls.setProtocol(QSsl::TlsV1_2OrLater);
    m_tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    m_tls.setAllowedNextProtocols({QByteArrayLiteral("http/1.1")});
    // Qt's default backlog of 50 leaves reconnect storms waiting on SYN retries.
    setListenBacklogSize(1024);
}

HttpServer::~HttpServer()
{
    // Connections (children, so normally deleted after the members) hold timers on m_timers.
    qDeleteAll(findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly));
}

void HttpServer::setTlsCredentials(const QList<QSslCertificate> &chain, const QSslKey &key)
{
    m_tls.setLocalCertificateChain(chain);
    m_tls.setPrivateKey(key);
}

void HttpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QSslSocket;
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcHttp) << "cannot adopt an incoming connection:" << socket->errorString();
        delete socket;
        return;
    }
    socket->setSslConfiguration(m_tls);
    // Handshake failures (plain HTTP on the TLS port, scanners) are routine: note them at debug level.
    connect(socket, &QSslSocket::sslErrors, socket, [socket](const QList<QSslError> &errors) {
        qCDebug(lcHttp) << "TLS errors from" << socket->peerAddress().toString() << errors.size();
    });
    auto *connection = new HttpConnection(socket, m_router, m_limits, m_gate, m_timers, this);
    ++m_connections;
    connect(connection, &HttpConnection::finished, this, [this] { --m_connections; });
    socket->startServerEncryption();
}

} // namespace herald
