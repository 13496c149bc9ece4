#include "push/ApnsProvider.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QUuid>

#include "crypto/Jwt.h"
#include "push/ApnsPayload.h"
#include "push/ProviderClientOptions.h"
#include "push/RetryPolicy.h"

Q_LOGGING_CATEGORY(lcApns, "herald.push.apns", QtInfoMsg)

namespace herald {

namespace {

// Device tokens are secrets of sorts: logs show only their first characters.
QString shortToken(const QString &token)
{
    return token.left(8) + QStringLiteral("…");
}

bool isHex(const QString &s)
{
    if (s.isEmpty() || s.size() > 200)
        return false;
    for (QChar c : s)
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F')))
            return false;
    return true;
}

// The canonical lower-case 8-4-4-4-12 form APNs wants in apns-id, which is how delivery ids are
// made: those go out as they are, anything else through QUuid.
QByteArray canonicalUuid(const QString &id)
{
    bool canonical = id.size() == 36;
    for (qsizetype i = 0; canonical && i < id.size(); ++i) {
        const QChar c = id.at(i);
        canonical = (i == 8 || i == 13 || i == 18 || i == 23) ? c == u'-'
                                                              : (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f');
    }
    if (canonical)
        return id.toLatin1();
    const QUuid uuid = QUuid::fromString(id);
    return uuid.isNull() ? QByteArray() : uuid.toByteArray(QUuid::WithoutBraces);
}

} // namespace

ApnsProvider::ApnsProvider(const ProviderSettings &settings, QObject *parent)
    : Provider(parent), m_settings(settings)
{
    m_clock = [] { return QDateTime::currentSecsSinceEpoch(); };
    m_uptime.start();
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    if (!settings.caCertificates.isEmpty())
        tls.setCaCertificates(settings.caCertificates);
    if (settings.apnsAuth == ProviderSettings::ApnsAuth::Certificate) {
        tls.setLocalCertificate(settings.clientCertificate);
        tls.setPrivateKey(settings.clientKey);
    }
    m_client = new Http2Client(providerClientOptions(settings, tls), this);
    connect(m_client, &Http2Client::responseReceived, this, &ApnsProvider::onResponse);
    connect(m_client, &Http2Client::requestFailed, this, &ApnsProvider::onFailed);
    connect(m_client, &Http2Client::readyForMore, this, &Provider::readyForMore);
    m_sweep.setInterval(1000);
    connect(&m_sweep, &QTimer::timeout, this, &ApnsProvider::sweepTimeouts);
}

bool ApnsProvider::canAccept() const
{
    return m_client->canAccept();
}

bool ApnsProvider::ensureToken(bool forceRefresh)
{
    if (m_settings.apnsAuth != ProviderSettings::ApnsAuth::Token)
        return true;
    const qint64 now = m_clock();
    const qint64 age = now - m_tokenIssuedAt;
    const bool stale = m_token.isEmpty() || age >= kTokenReuseSecs || age < 0;
    // Apple answers 429 TooManyProviderTokenUpdates to a token change within 20 minutes.
    const bool mayRefresh = m_token.isEmpty() || age >= kTokenMinRefreshSecs || age < 0;
    if (!stale && !(forceRefresh && mayRefresh))
        return true;
    QJsonObject header{{QStringLiteral("kid"), m_settings.keyId}};
    QJsonObject claims{{QStringLiteral("iss"), m_settings.teamId}, {QStringLiteral("iat"), now}};
    header.insert(QStringLiteral("typ"), QStringLiteral("JWT"));
    QString error;
    const QByteArray token = Jwt::signEs256(header, claims, m_settings.signingKey, &error);
    if (token.isEmpty()) {
        qCCritical(lcApns) << "cannot sign provider token:" << error;
        return false;
    }
    m_token = token;
    m_tokenIssuedAt = now;
    ++m_tokensIssued;
    m_client->setStreamHeader("authorization", "bearer " + m_token);
    qCInfo(lcApns) << "new provider token, key" << m_settings.keyId;
    return true;
}

void ApnsProvider::send(const PushMessage &message)
{
    PushResult early;
    early.deliveryId = message.deliveryId;
    if (!isHex(message.pushToken)) {
        early.outcome = PushResult::Outcome::TokenDead;
        early.reason = QStringLiteral("BadDeviceToken");
        finishLater(early);
        return;
    }
    const QString topic = message.topic.isEmpty() ? m_settings.defaultTopic : message.topic;
    if (topic.isEmpty()) {
        early.outcome = PushResult::Outcome::Rejected;
        early.reason = QStringLiteral("MissingTopic");
        finishLater(early);
        return;
    }
    if (message.collapseId.toUtf8().size() > 64) {
        early.outcome = PushResult::Outcome::Rejected;
        early.reason = QStringLiteral("BadCollapseId");
        finishLater(early);
        return;
    }
    const QByteArray payload = ApnsPayload::build(message);
    if (payload.isEmpty()) {
        early.outcome = PushResult::Outcome::Rejected;
        early.reason = QStringLiteral("PayloadTooLarge");
        finishLater(early);
        return;
    }
    if (!ensureToken(false)) {
        early.outcome = PushResult::Outcome::ProviderAuthFailed;
        early.reason = QStringLiteral("cannot sign provider token");
        finishLater(early);
        emit alarm(QStringLiteral("APNs: cannot sign provider token with key %1").arg(m_settings.keyId));
        return;
    }
    Job job;
    job.message = message;
    Http2Request &r = job.request;
    r.path = "/3/device/" + message.pushToken.toLatin1();
    const bool background = message.contentAvailable ||
                            (message.title.isEmpty() && message.body.isEmpty() && message.locKey.isEmpty());
    // Names and fixed values are shared, not built again for every push.
    static const QByteArray topicName("apns-topic"), pushTypeName("apns-push-type"), priorityName("apns-priority"),
        expirationName("apns-expiration"), collapseName("apns-collapse-id"), idName("apns-id"),
        contentTypeName("content-type"), alert("alert"), backgroundType("background"), high("10"), low("5"),
        json("application/json"), never("0");
    r.headers.reserve(7);
    r.headers.append({topicName, topic.toUtf8()});
    r.headers.append({pushTypeName, background ? backgroundType : alert});
    // Apple rejects priority 10 for background pushes.
    r.headers.append({priorityName, (message.highPriority && !background) ? high : low});
    r.headers.append({expirationName, message.expiresAt.isValid()
                                          ? QByteArray::number(qMax<qint64>(1, message.expiresAt.toSecsSinceEpoch()))
                                          : never});
    if (!message.collapseId.isEmpty())
        r.headers.append({collapseName, message.collapseId.toUtf8()});
    const QByteArray id = canonicalUuid(message.deliveryId);
    if (!id.isEmpty())
        r.headers.append({idName, id});
    else
        qCDebug(lcApns) << "delivery id is not a UUID; APNs will assign one";
    r.headers.append({contentTypeName, json});
    // Per device, per delivery, per notification, per second: indexing these would only evict the
    // provider token and topic from the header table.
    static const QList<QByteArray> unique{QByteArrayLiteral(":path"), idName, collapseName, expirationName};
    r.neverIndexed = unique;
    r.body = payload;
    submit(std::move(job));
}

void ApnsProvider::submit(Job job)
{
    job.startedMs = m_uptime.elapsed();
    const quint64 id = m_client->submit(job.request);
    m_jobs.emplace(id, std::move(job));
    if (!m_sweep.isActive())
        m_sweep.start();
}

void ApnsProvider::onResponse(quint64 id, const Http2Response &response)
{
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return; // already answered (timed out)
    Job job = std::move(*it);
    m_jobs.erase(it);
    PushResult r = classify(response);
    r.deliveryId = job.message.deliveryId;
    if (r.outcome == PushResult::Outcome::ProviderAuthFailed && isProviderTokenError(r.reason) &&
        !job.authRetried && m_settings.apnsAuth == ProviderSettings::ApnsAuth::Token) {
        // One internal retry with a fresh token (when Apple lets us change it yet).
        job.authRetried = true;
        qCInfo(lcApns) << "provider token refused:" << r.reason << "- retrying once";
        ensureToken(true);
        submit(std::move(job));
        return;
    }
    if (r.outcome == PushResult::Outcome::ProviderAuthFailed) {
        if (!m_authAlarmRaised) {
            m_authAlarmRaised = true;
            emit alarm(QStringLiteral("APNs refused our credentials: %1").arg(r.reason));
        }
    } else if (r.outcome == PushResult::Outcome::Delivered) {
        m_authAlarmRaised = false;
    }
    if (r.outcome != PushResult::Outcome::Delivered)
        qCInfo(lcApns) << "push to" << shortToken(job.message.pushToken) << "->" << r.httpStatus << r.reason;
    finish(r);
}

void ApnsProvider::onFailed(quint64 id, const QString &error)
{
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return;
    PushResult r;
    r.deliveryId = it->message.deliveryId;
    m_jobs.erase(it);
    r.outcome = PushResult::Outcome::RetryLater;
    r.reason = error;
    finish(r);
}

void ApnsProvider::sweepTimeouts()
{
    const qint64 now = m_uptime.elapsed();
    const qint64 limit = qint64(m_settings.requestTimeoutSecs) * 1000;
    QList<quint64> late;
    for (auto it = m_jobs.cbegin(); it != m_jobs.cend(); ++it)
        if (now - it->startedMs > limit)
            late << it.key();
    for (quint64 id : std::as_const(late))
        onFailed(id, QStringLiteral("no answer within %1 s").arg(m_settings.requestTimeoutSecs));
    if (m_jobs.isEmpty())
        m_sweep.stop();
}

void ApnsProvider::finish(const PushResult &result)
{
    emit finished(result);
}

void ApnsProvider::finishLater(const PushResult &result)
{
    // finished() never fires from inside send(): callers may still be setting up their bookkeeping.
    QMetaObject::invokeMethod(
        this, [this, result] { emit finished(result); }, Qt::QueuedConnection);
}

} // namespace herald
