#pragma once

#include "http/HttpLimits.h"
#include "http/ResponseGate.h"
#include "http/Router.h"
#include "http/TlsContext.h"
#include "timing/TimerWheel.h"

#include <QTcpServer>

#include <memory>

namespace herald {

// The HTTPS listener: TLS always (1.2 or newer, one shared TlsContext), HTTP/1.1 on top, requests
// handed to the Router. Connections arriving before setTlsCredentials() succeeded are closed.
class HttpServer : public QTcpServer
{
    Q_OBJECT
public:
    explicit HttpServer(const HttpLimits &limits, QObject *parent = nullptr);
    ~HttpServer() override;

    Router &router() { return m_router; }
    void setResponseGate(ResponseGate gate) { m_gate = std::move(gate); }
    int connectionCount() const { return m_connections; }
    // Also certificate renewal: connections accepted from now on handshake with these, open ones
    // keep theirs. False with *error set, and the earlier credentials kept, when OpenSSL refuses them.
    bool setTlsCredentials(const QList<QSslCertificate> &chain, const QSslKey &key, QString *error);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    std::unique_ptr<TlsContext> m_tls;
    HttpLimits m_limits;
    Router m_router;
    TimerWheel m_timers{50, 1024}; // every connection's request/idle deadline; 50 ms ticks
    ResponseGate m_gate;
    int m_connections = 0;
};

} // namespace herald
