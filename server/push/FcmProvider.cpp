#include "push/FcmProvider.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QUrl>
#include <QUrlQuery>

#include "crypto/Jwt.h"
#include "push/FcmPayload.h"
#include "push/ProviderClientOptions.h"
#include "push/RetryPolicy.h"

Q_LOGGING_CATEGORY(lcFcm, "herald.push.fcm", QtInfoMsg)

namespace herald {

namespace {

bool plausibleToken(const QString &t)
{
    if (t.isEmpty() || t.size() > 4096)
        return false;
    for (QChar c : t)
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != u'_' && c != u'-' && c != u':' && c != u'.')
            return false;
    return true;
}

QSslConfiguration tlsFor(const ProviderSettings &s)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    if (!s.caCertificates.isEmpty())
        tls.setCaCertificates(s.caCertificates);
    return tls;
}

} // namespace

FcmProvider::FcmProvider(const ProviderSettings &settings, QObject *parent)
    : Provider(parent), m_settings(settings)
{
    m_clock = [] { return QDateTime::currentSecsSinceEpoch(); };
    m_uptime.start();
    const Http2Client::Options o = providerClientOptions(settings, tlsFor(settings));
    m_client = new Http2Client(o, this);
    connect(m_client, &Http2Client::responseReceived, this, &FcmProvider::onResponse);
    connect(m_client, &Http2Client::requestFailed, this, &FcmProvider::onFailed);
    connect(m_client, &Http2Client::readyForMore, this, &Provider::readyForMore);

    const QUrl tokenUrl(settings.tokenUri);
    Http2Client::Options a;
    a.host = tokenUrl.host();
    a.port = quint16(tokenUrl.port(443));
    a.connections = 1;
    a.maxOutstanding = 4;
    a.tls = o.tls;
    m_tokenPath = tokenUrl.path(QUrl::FullyEncoded).toLatin1();
    if (tokenUrl.hasQuery())
        m_tokenPath += '?' + tokenUrl.query(QUrl::FullyEncoded).toLatin1();
    if (m_tokenPath.isEmpty())
        m_tokenPath = "/";
    m_authClient = new Http2Client(a, this);
    connect(m_authClient, &Http2Client::responseReceived, this, [this](quint64 id, const Http2Response &r) {
        if (id == m_tokenRequest)
            onTokenResponse(r);
    });
    connect(m_authClient, &Http2Client::requestFailed, this, [this](quint64 id, const QString &e) {
        if (id == m_tokenRequest)
            onTokenFailure(QStringLiteral("token endpoint: ") + e, false);
    });
    m_sweep.setInterval(1000);
    connect(&m_sweep, &QTimer::timeout, this, &FcmProvider::sweepTimeouts);
}

bool FcmProvider::canAccept() const
{
    return m_client->canAccept() && m_waiting.size() + m_client->outstanding() < m_settings.maxOutstanding;
}

bool FcmProvider::haveToken() const
{
    return !m_accessToken.isEmpty() && m_clock() < m_tokenExpiresAt;
}

void FcmProvider::send(const PushMessage &message)
{
    PushResult early;
    early.deliveryId = message.deliveryId;
    if (!plausibleToken(message.pushToken)) {
        early.outcome = PushResult::Outcome::TokenDead;
        early.reason = QStringLiteral("INVALID_ARGUMENT (malformed registration token)");
        finishLater(early);
        return;
    }
    const QByteArray body = FcmPayload::build(message, QDateTime::currentDateTimeUtc());
    if (body.isEmpty()) {
        early.outcome = PushResult::Outcome::Rejected;
        early.reason = QStringLiteral("message too large");
        finishLater(early);
        return;
    }
    Job job;
    job.message = message;
    job.request.path = "/v1/projects/" + QUrl::toPercentEncoding(m_settings.projectId) + "/messages:send";
    job.request.headers.append(
        qMakePair(QByteArray("content-type"), QByteArray("application/json; charset=utf-8")));
    job.request.body = body;
    if (!haveToken()) {
        if (canAccept() == false)
            m_wasFull = true;
        m_waiting.append(std::move(job));
        if (m_waiting.size() + m_client->outstanding() >= m_settings.maxOutstanding)
            m_wasFull = true;
        fetchToken();
        return;
    }
    submit(std::move(job));
}

void FcmProvider::fetchToken()
{
    if (m_fetching)
        return;
    m_fetching = true;
    const qint64 now = m_clock();
    const QJsonObject claims{
        {QStringLiteral("iss"), m_settings.clientEmail},
        {QStringLiteral("scope"), QStringLiteral("https://www.googleapis.com/auth/firebase.messaging")},
        {QStringLiteral("aud"), m_settings.tokenUri},
        {QStringLiteral("iat"), now},
        {QStringLiteral("exp"), now + 3600}};
    QString error;
    const QByteArray assertion = Jwt::signRs256(QJsonObject{}, claims, m_settings.serviceAccountKey, &error);
    if (assertion.isEmpty()) {
        m_fetching = false;
        onTokenFailure(QStringLiteral("cannot sign the OAuth assertion: ") + error, true);
        return;
    }
    Http2Request r;
    r.path = m_tokenPath;
    r.headers.append(qMakePair(QByteArray("content-type"), QByteArray("application/x-www-form-urlencoded")));
    r.body = "grant_type=" +
             QUrl::toPercentEncoding(QStringLiteral("urn:ietf:params:oauth:grant-type:jwt-bearer")) +
             "&assertion=" + assertion;
    m_tokenRequest = m_authClient->submit(r);
}

void FcmProvider::onTokenResponse(const Http2Response &response)
{
    m_fetching = false;
    const QJsonObject o = QJsonDocument::fromJson(response.body).object();
    const QString token = o.value(QStringLiteral("access_token")).toString();
    if (response.status != 200 || token.isEmpty()) {
        const QString why = o.value(QStringLiteral("error")).toString();
        onTokenFailure(QStringLiteral("token endpoint answered %1 %2").arg(response.status).arg(why),
                       response.status >= 400 && response.status < 500);
        return;
    }
    const int expiresIn = o.value(QStringLiteral("expires_in")).toInt(3599);
    m_accessToken = token.toLatin1();
    // Refresh five minutes early so a push never leaves with a token about to die.
    m_tokenExpiresAt = m_clock() + qMax(60, expiresIn - 300);
    ++m_tokensFetched;
    m_client->setStreamHeader("authorization", "Bearer " + m_accessToken);
    qCInfo(lcFcm) << "new access token for" << m_settings.clientEmail << "valid" << expiresIn << "s";
    m_authAlarmRaised = false;
    const QList<Job> waiting = std::move(m_waiting);
    m_waiting.clear();
    for (const Job &j : waiting)
        submit(j);
}

void FcmProvider::onTokenFailure(const QString &error, bool authProblem)
{
    m_fetching = false;
    qCWarning(lcFcm) << error;
    if (authProblem && !m_authAlarmRaised) {
        m_authAlarmRaised = true;
        emit alarm(QStringLiteral("FCM: cannot get an access token: ") + error);
    }
    const QList<Job> waiting = std::move(m_waiting);
    m_waiting.clear();
    for (const Job &j : waiting) {
        PushResult r;
        r.deliveryId = j.message.deliveryId;
        r.outcome = authProblem ? PushResult::Outcome::ProviderAuthFailed : PushResult::Outcome::RetryLater;
        r.reason = error;
        emit finished(r);
    }
    if (m_wasFull && canAccept()) {
        m_wasFull = false;
        emit readyForMore();
    }
}

void FcmProvider::submit(Job job)
{
    job.startedMs = m_uptime.elapsed();
    job.accessToken = m_accessToken;
    const quint64 id = m_client->submit(job.request);
    m_jobs.emplace(id, std::move(job));
    if (!m_sweep.isActive())
        m_sweep.start();
    if (m_wasFull && canAccept()) {
        m_wasFull = false;
        QMetaObject::invokeMethod(this, &Provider::readyForMore, Qt::QueuedConnection);
    }
}

void FcmProvider::onResponse(quint64 id, const Http2Response &response)
{
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return;
    Job job = std::move(*it);
    m_jobs.erase(it);
    PushResult r = classify(response);
    r.deliveryId = job.message.deliveryId;
    if (r.outcome == PushResult::Outcome::ProviderAuthFailed && response.status == 401 && !job.authRetried) {
        // The access token was revoked or expired early: fetch a new one and retry once.
        job.authRetried = true;
        if (job.accessToken == m_accessToken) {
            m_accessToken.clear();
            m_tokenExpiresAt = 0;
        }
        if (haveToken()) {
            submit(std::move(job)); // another answer already brought a fresh token
        } else {
            m_waiting.append(std::move(job));
            fetchToken();
        }
        return;
    }
    if (r.outcome == PushResult::Outcome::ProviderAuthFailed && !m_authAlarmRaised) {
        m_authAlarmRaised = true;
        emit alarm(QStringLiteral("FCM refused our credentials: %1").arg(r.reason));
    }
    if (r.outcome != PushResult::Outcome::Delivered)
        qCInfo(lcFcm) << "push to" << job.message.pushToken.left(8) + QStringLiteral("…") << "->"
                      << r.httpStatus << r.reason;
    emit finished(r);
}

void FcmProvider::onFailed(quint64 id, const QString &error)
{
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return;
    PushResult r;
    r.deliveryId = it->message.deliveryId;
    m_jobs.erase(it);
    r.outcome = PushResult::Outcome::RetryLater;
    r.reason = error;
    emit finished(r);
}

void FcmProvider::sweepTimeouts()
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

void FcmProvider::finishLater(const PushResult &result)
{
    QMetaObject::invokeMethod(
        this, [this, result] { emit finished(result); }, Qt::QueuedConnection);
}

} // namespace herald
