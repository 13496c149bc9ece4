#pragma once

#include "http/HttpLimits.h"
#include "http/ResponseGate.h"
#include "http/Router.h"
#include "timing/TimerWheel.h"

#include <QSslConfiguration>
#include <QTcpServer>

namespace herald {

// The HTTPS listener: TLS always (1.2 or newer), HTTP/1.1 on top, requests handed to the Router.
class HttpServer : public QTcpServer
{
    Q_OBJECT
public:
    HttpServer(const QSslConfiguration &tls, const HttpLimits &limits, QObject *parent = nullptr);
    ~HttpServer() override;

    Router &router() { return m_router; }
    void setResponseGate(ResponseGate gate) { m_gate = std::move(gate); }
    int connectionCount() const { return m_connections; }
    // Certificate renewal: connections accepted from now on handshake with these; open ones keep theirs.
    void setTlsCredentials(const QList<QSslCertificate> &chain, const QSslKey &key);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    QSslConfiguration m_tls;
    HttpLimits m_limits;
    Router m_router;
    TimerWheel m_timers{50, 1024}; // every connection's request/idle deadline; 50 ms ticks
    ResponseGate m_gate;
    int m_connections = 0;
};

} // namespace herald
