#include "push/WebPushProvider.h"

#include <QLoggingCategory>
#include <QUrl>

#include "push/ProviderClientOptions.h"

Q_LOGGING_CATEGORY(lcWebPush, "herald.push.webpush", QtInfoMsg)

namespace herald {
namespace {

// Endpoints carry the subscription's secret path: logs show the origin only.
QString originForLog(const QString &endpoint)
{
    return VapidSigner::originOf(endpoint);
}

int retryAfter(const Http2Response &response)
{
    bool ok = false;
    const int secs = response.header("retry-after").toInt(&ok);
    return ok && secs >= 0 ? secs : -1;
}

} // namespace

WebPushProvider::WebPushProvider(const ProviderSettings &settings, QObject *parent)
    : Provider(parent), m_settings(settings), m_vapid(settings.vapidKey, settings.vapidSubject)
{
    m_uptime.start();
    // Browsers subscribe with this as their applicationServerKey; it is public.
    qCInfo(lcWebPush).noquote() << "VAPID public key (applicationServerKey):" << m_vapid.publicKey();
    m_sweep.setInterval(1000);
    connect(&m_sweep, &QTimer::timeout, this, &WebPushProvider::sweepTimeouts);
}

bool WebPushProvider::canAccept() const
{
    // One budget for all push services together, like the other providers' one pool.
    return m_jobs.size() < m_settings.maxOutstanding;
}

QString WebPushProvider::endpointProblem(const QString &endpoint)
{
    if (endpoint.size() > 2048)
        return QStringLiteral("longer than 2048 characters");
    const QUrl url(endpoint, QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != QLatin1String("https") || url.host().isEmpty())
        return QStringLiteral("not an https URL");
    if (!url.userInfo().isEmpty() || url.hasFragment())
        return QStringLiteral("must not have user info or a fragment");
    return {};
}

Http2Client *WebPushProvider::clientFor(const QUrl &endpoint)
{
    const QString origin = VapidSigner::originOf(endpoint.toString());
    if (Http2Client *client = m_clients.value(origin))
        return client;
    if (m_clients.size() >= kMaxOrigins)
        return nullptr;
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    if (!m_settings.caCertificates.isEmpty())
        tls.setCaCertificates(m_settings.caCertificates);
    Http2Client::Options options = providerClientOptions(m_settings, tls);
    options.host = endpoint.host();
    options.port = quint16(endpoint.port(443));
    auto *client = new Http2Client(options, this);
    connect(client, &Http2Client::responseReceived, this,
            [this, client](quint64 id, const Http2Response &r) { onResponse(client, id, r); });
    connect(client, &Http2Client::requestFailed, this,
            [this, client](quint64 id, const QString &e) { onFailed(client, id, e); });
    m_clients.insert(origin, client);
    qCInfo(lcWebPush) << "push service" << origin;
    return client;
}

void WebPushProvider::send(const PushMessage &message)
{
    PushResult early;
    early.deliveryId = message.deliveryId;
    if (const QString problem = endpointProblem(message.pushToken); !problem.isEmpty()) {
        early.outcome = PushResult::Outcome::TokenDead;
        early.reason = QStringLiteral("BadEndpoint");
        finishLater(early);
        return;
    }
    if (message.sealed.size() > kMaxBodyBytes) {
        early.outcome = PushResult::Outcome::Rejected;
        early.reason = QStringLiteral("PayloadTooLarge");
        finishLater(early);
        return;
    }
    const QUrl endpoint(message.pushToken, QUrl::StrictMode);
    Http2Client *client = clientFor(endpoint);
    if (!client) {
        early.outcome = PushResult::Outcome::Rejected;
        early.reason = QStringLiteral("TooManyPushServices");
        finishLater(early);
        return;
    }
    QString error;
    const QByteArray authorization = m_vapid.authorization(VapidSigner::originOf(message.pushToken), &error);
    if (authorization.isEmpty()) {
        early.outcome = PushResult::Outcome::ProviderAuthFailed;
        early.reason = QStringLiteral("cannot sign VAPID token");
        finishLater(early);
        emit alarm(QStringLiteral("Web Push: cannot sign the VAPID token: %1").arg(error));
        return;
    }
    Http2Request r;
    r.path = endpoint.path(QUrl::FullyEncoded).toLatin1();
    if (endpoint.hasQuery())
        r.path += '?' + endpoint.query(QUrl::FullyEncoded).toLatin1();
    if (r.path.isEmpty())
        r.path = "/";
    const qint64 ttl = message.expiresAt.isValid()
                           ? qMax<qint64>(0, QDateTime::currentDateTimeUtc().secsTo(message.expiresAt))
                           : m_settings.webPushTtlSecs;
    r.headers.append({QByteArrayLiteral("authorization"), authorization});
    r.headers.append({QByteArrayLiteral("ttl"), QByteArray::number(qMin<qint64>(ttl, m_settings.webPushTtlSecs))});
    r.headers.append({QByteArrayLiteral("urgency"), message.highPriority ? QByteArrayLiteral("high") : QByteArrayLiteral("normal")});
    if (!message.sealed.isEmpty()) {
        r.headers.append({QByteArrayLiteral("content-encoding"), QByteArrayLiteral("aes128gcm")});
        r.headers.append({QByteArrayLiteral("content-type"), QByteArrayLiteral("application/octet-stream")});
        r.body = message.sealed;
    }
    r.neverIndexed = {QByteArrayLiteral(":path"), QByteArrayLiteral("ttl")};
    Job job{message, client, m_uptime.elapsed()};
    const quint64 id = client->submit(r);
    m_jobs.insert({client, id}, job);
    m_wasFull = m_wasFull || !canAccept();
    if (!m_sweep.isActive())
        m_sweep.start();
}

PushResult WebPushProvider::classify(const Http2Response &response)
{
    PushResult r;
    r.httpStatus = response.status;
    const int s = response.status;
    if (s >= 200 && s < 300) {
        r.outcome = PushResult::Outcome::Delivered;
        r.providerMessageId = QString::fromLatin1(response.header("location").left(512));
        return r;
    }
    r.retryAfterSecs = retryAfter(response);
    if (s == 404 || s == 410) {
        r.outcome = PushResult::Outcome::TokenDead;
        r.reason = s == 410 ? QStringLiteral("Gone") : QStringLiteral("NotFound");
    } else if (s == 401 || s == 403) {
        r.outcome = PushResult::Outcome::ProviderAuthFailed;
        r.reason = s == 401 ? QStringLiteral("Unauthorized") : QStringLiteral("Forbidden");
    } else if (s == 429 || s >= 500) {
        r.outcome = PushResult::Outcome::RetryLater;
        r.reason = s == 429 ? QStringLiteral("TooManyRequests") : QStringLiteral("ServerError");
    } else {
        r.outcome = PushResult::Outcome::Rejected;
        r.reason = s == 413 ? QStringLiteral("PayloadTooLarge") : QStringLiteral("Rejected");
    }
    return r;
}

void WebPushProvider::onResponse(Http2Client *client, quint64 id, const Http2Response &response)
{
    const auto it = m_jobs.find({client, id});
    if (it == m_jobs.end())
        return; // answered already (timed out)
    const Job job = *it;
    m_jobs.erase(it);
    PushResult r = classify(response);
    r.deliveryId = job.message.deliveryId;
    if (r.outcome == PushResult::Outcome::ProviderAuthFailed && !m_authAlarmRaised) {
        m_authAlarmRaised = true;
        emit alarm(QStringLiteral("Web Push: %1 refused our VAPID token (%2)")
                       .arg(originForLog(job.message.pushToken))
                       .arg(response.status));
    } else if (r.outcome == PushResult::Outcome::Delivered) {
        m_authAlarmRaised = false;
    }
    if (r.outcome != PushResult::Outcome::Delivered)
        qCInfo(lcWebPush) << "push to" << originForLog(job.message.pushToken) << "->" << r.httpStatus << r.reason;
    emit finished(r);
    announceRoom();
}

void WebPushProvider::onFailed(Http2Client *client, quint64 id, const QString &error)
{
    const auto it = m_jobs.find({client, id});
    if (it == m_jobs.end())
        return;
    PushResult r;
    r.deliveryId = it->message.deliveryId;
    m_jobs.erase(it);
    r.outcome = PushResult::Outcome::RetryLater;
    r.reason = error;
    emit finished(r);
    announceRoom();
}

void WebPushProvider::sweepTimeouts()
{
    const qint64 now = m_uptime.elapsed();
    const qint64 limit = qint64(m_settings.requestTimeoutSecs) * 1000;
    QList<QPair<Http2Client *, quint64>> late;
    for (auto it = m_jobs.cbegin(); it != m_jobs.cend(); ++it)
        if (now - it->startedMs > limit)
            late << it.key();
    for (const auto &key : std::as_const(late))
        onFailed(key.first, key.second, QStringLiteral("no answer within %1 s").arg(m_settings.requestTimeoutSecs));
    if (m_jobs.isEmpty())
        m_sweep.stop();
}

void WebPushProvider::announceRoom()
{
    if (m_wasFull && canAccept()) {
        m_wasFull = false;
        emit readyForMore();
    }
}

void WebPushProvider::finishLater(const PushResult &result)
{
    // finished() never fires from inside send().
    QMetaObject::invokeMethod(this, [this, result] { emit finished(result); }, Qt::QueuedConnection);
}

} // namespace herald
