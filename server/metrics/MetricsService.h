#pragma once

#include "http/HttpLimits.h"
#include "http/TlsIdentity.h"

#include <QObject>

namespace herald {

class HttpServer;
class Router;
class ServerMetrics;
struct HttpRequest;
struct HttpResponse;
struct MetricsSettings;

// GET /metrics ([metrics] in the config): on the main listener, or on a listener of its own
// (same TLS certificate, nothing but /metrics on it), behind a bearer token when one is set.
class MetricsService : public QObject
{
    Q_OBJECT
public:
    MetricsService(const MetricsSettings &config, ServerMetrics &metrics, QObject *parent = nullptr);

    // Adds the route to the main router, or opens the separate listener; false with *error if
    // that cannot listen.
    bool start(Router &mainRouter, const TlsIdentity &tls, const HttpLimits &limits, QString *error);
    bool setTlsCredentials(const TlsIdentity &tls, QString *error);
    quint16 separatePort() const;
    void close();

    HttpResponse handle(const HttpRequest &request) const;

private:
    const MetricsSettings &m_config;
    ServerMetrics &m_metrics;
    HttpServer *m_listener = nullptr;
};

} // namespace herald
