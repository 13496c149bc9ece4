#include "metrics/MetricsService.h"

#include "metrics/MetricsSettings.h"
#include "http/HttpServer.h"
#include "metrics/MetricsLog.h"
#include "metrics/ServerMetrics.h"

namespace herald {

namespace {
// Compares every byte whatever the first difference, so timing does not tell how much matched.
bool sameSecret(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (int i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return diff == 0;
}

QString hostPort(const QHostAddress &address, quint16 port)
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol ? QStringLiteral("[%1]").arg(address.toString())
                                                                              : address.toString();
    return QStringLiteral("%1:%2").arg(host).arg(port);
}
} // namespace

MetricsService::MetricsService(const MetricsSettings &config, ServerMetrics &metrics, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_metrics(metrics)
{
}

HttpResponse MetricsService::handle(const HttpRequest &request) const
{
    if (!m_config.token.isEmpty() &&
        !sameSecret(request.bearerToken().toUtf8(), m_config.token.toUtf8())) {
        HttpResponse denied = HttpResponse::error(protocol::ApiError::unauthorized(
            QStringLiteral("/metrics needs the bearer token set in [metrics] token")));
        denied.headers.append({QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer realm=\"herald-metrics\"")});
        return denied;
    }
    return HttpResponse::text(200, m_metrics.registry().exposition(), "text/plain; version=0.0.4; charset=utf-8");
}

bool MetricsService::start(Router &mainRouter, const TlsIdentity &tls, const HttpLimits &limits, QString *error)
{
    auto handler = [this](const HttpRequest &request) { return handle(request); };
    if (!m_config.separate) {
        mainRouter.add("GET", QStringLiteral("/metrics"), handler);
        return true;
    }
    m_listener = new HttpServer(limits, this);
    if (!m_listener->setTlsCredentials(tls.chain(), tls.key(), error))
        return false;
    m_listener->router().add("GET", QStringLiteral("/metrics"), handler);
    if (!m_listener->listen(m_config.address, m_config.port)) {
        *error = QStringLiteral("cannot listen for /metrics on %1: %2")
                     .arg(hostPort(m_config.address, m_config.port), m_listener->errorString());
        return false;
    }
    qCInfo(lcMetrics).noquote() << "serving /metrics on https://" +
                                       hostPort(m_config.address, m_listener->serverPort());
    return true;
}

bool MetricsService::setTlsCredentials(const TlsIdentity &tls, QString *error)
{
    return !m_listener || m_listener->setTlsCredentials(tls.chain(), tls.key(), error);
}

quint16 MetricsService::separatePort() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

void MetricsService::close()
{
    if (m_listener)
        m_listener->close();
}

} // namespace herald
