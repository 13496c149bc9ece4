#include "H2Server.h"

#include <QSslConfiguration>
#include <QSslSocket>

namespace herald::standin {

H2Server::H2Server(const QByteArray &certPem, const QByteArray &keyPem, QObject *parent)
    : QTcpServer(parent), m_cert(certPem, QSsl::Pem), m_key(keyPem, QSsl::Ec, QSsl::Pem)
{
}

void H2Server::incomingConnection(qintptr descriptor)
{
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(m_cert);
    tls.setPrivateKey(m_key);
    tls.setAllowedNextProtocols({QByteArrayLiteral("h2")});
    tls.setPeerVerifyMode(m_requestClientCert ? QSslSocket::QueryPeer : QSslSocket::VerifyNone);
    socket->setSslConfiguration(tls);
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    const int id = m_nextId++;
    connect(socket, &QSslSocket::encrypted, this, [this, socket, id] {
        if (socket->sslConfiguration().nextNegotiatedProtocol() != "h2") {
            socket->abort();
            socket->deleteLater();
            return;
        }
        auto *c = new H2ServerConnection(socket, id, m_initialMaxStreams, this);
        connect(c, &H2ServerConnection::closed, c, &QObject::deleteLater, Qt::QueuedConnection);
        emit newH2Connection(c);
    });
    connect(socket, &QSslSocket::sslErrors, socket, [socket](const QList<QSslError> &) {
        socket->ignoreSslErrors(); // a client certificate we merely query may not verify
    });
    connect(socket, &QSslSocket::disconnected, socket, [socket] {
        if (!socket->parent() || qobject_cast<H2Server *>(socket->parent()))
            socket->deleteLater();
    });
    socket->startServerEncryption();
}

} // namespace herald::standin
