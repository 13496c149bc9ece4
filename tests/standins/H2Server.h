#pragma once

#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>

#include "H2ServerConnection.h"

namespace herald::standin {

// TLS listener (ALPN h2) on loopback that hands each connection to an H2ServerConnection.
class H2Server : public QTcpServer
{
    Q_OBJECT
public:
    H2Server(const QByteArray &certPem, const QByteArray &keyPem, QObject *parent = nullptr);

    void setInitialMaxStreams(uint32_t value) { m_initialMaxStreams = value; }
    // A client certificate is asked for (not required); certificate-auth checks compare it.
    void setRequestClientCertificate(bool on) { m_requestClientCert = on; }
    int connectionsAccepted() const { return m_nextId - 1; }

signals:
    void newH2Connection(herald::standin::H2ServerConnection *connection);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    QSslCertificate m_cert;
    QSslKey m_key;
    uint32_t m_initialMaxStreams = 100;
    bool m_requestClientCert = false;
    int m_nextId = 1;
};

} // namespace herald::standin
