#include "AdminClient.h"

#include <QJsonDocument>
#include <QNetworkReply>
#include <QPointer>
#include <QSslCertificate>
#include <QUrl>

namespace herald {
namespace {
constexpr int TimeoutMs = 20000;
const char TrustFailure[] = "heraldTrustFailure"; // int(ServerTrust::Verdict)
} // namespace

AdminClient::AdminClient(QObject *parent)
    : QObject(parent)
{
}

void AdminClient::setServer(const QUrl &baseUrl, const ServerTrust &trust)
{
    m_baseUrl = baseUrl;
    m_trust = trust;
    m_token.clear();
    m_role.clear();
    // Connections made under the previous trust must not be reused.
    m_nam.clearConnectionCache();
}

QString AdminClient::encode(const QString &pathSegment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(pathSegment));
}

void AdminClient::login(const QString &username, const QString &password, QObject *context, Callback done)
{
    m_token.clear();
    m_role.clear();
    const QJsonObject body{{QStringLiteral("username"), username}, {QStringLiteral("password"), password}};
    send("POST", QStringLiteral("/admin/v1/login"), QJsonDocument(body).toJson(QJsonDocument::Compact), context,
         [this, username, done](const AdminReply &reply) {
             if (reply.ok()) {
                 m_token = reply.object.value(QStringLiteral("token")).toString();
                 m_role = reply.object.value(QStringLiteral("role")).toString();
                 m_operator = username;
                 m_expiresAt = QDateTime::fromString(reply.object.value(QStringLiteral("expiresAt")).toString(),
                                                     Qt::ISODateWithMs);
             }
             done(reply);
         });
}

void AdminClient::logout(std::function<void()> done)
{
    if (m_token.isEmpty()) {
        if (done)
            done();
        return;
    }
    send("POST", QStringLiteral("/admin/v1/logout"), {}, this, [done](const AdminReply &) {
        if (done)
            done();
    });
    m_token.clear();
    m_role.clear();
}

void AdminClient::get(const QString &path, QObject *context, Callback done)
{
    send("GET", path, {}, context, std::move(done));
}

void AdminClient::post(const QString &path, const QJsonObject &body, QObject *context, Callback done)
{
    send("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact), context, std::move(done));
}

void AdminClient::remove(const QString &path, QObject *context, Callback done)
{
    send("DELETE", path, {}, context, std::move(done));
}

void AdminClient::send(const QByteArray &method, const QString &path, const QByteArray &body, QObject *context,
                       Callback done)
{
    QUrl url = m_baseUrl;
    // The path may carry a query ("?user=..."): resolve it rather than setPath() so it survives.
    url = url.resolved(QUrl(path));
    QNetworkRequest request(url);
    request.setSslConfiguration(m_trust.configuration());
    request.setTransferTimeout(TimeoutMs);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toLatin1());
    QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
    if (m_inFlight++ == 0)
        emit busyChanged(true);
    connect(reply, &QNetworkReply::sslErrors, this, [this, reply](const QList<QSslError> &) {
        // Qt refused the certificate (no CA vouches for it): only a remembered fingerprint helps.
        const ServerTrust::Verdict verdict = m_trust.judge(reply->sslConfiguration().peerCertificate());
        if (verdict == ServerTrust::Verdict::Accept) {
            reply->ignoreSslErrors();
            return;
        }
        reply->setProperty(TrustFailure, int(verdict));
    });
    connect(reply, &QNetworkReply::encrypted, this, [this, reply] { checkPeer(reply); });
    connect(reply, &QNetworkReply::finished, this, [this, reply, done, guard = QPointer<QObject>(context)] {
        const AdminReply result = finish(reply);
        reply->deleteLater();
        if (--m_inFlight == 0)
            emit busyChanged(false);
        if (result.status == 401 && !m_token.isEmpty() && !reply->url().path().endsWith(QLatin1String("/login"))) {
            m_token.clear();
            emit sessionEnded(result.errorMessage);
        }
        if (guard)
            done(result);
    });
}

void AdminClient::checkPeer(QNetworkReply *reply)
{
    // A remembered fingerprint binds even when some CA also vouches for another certificate.
    if (m_trust.contradictsPin(reply->sslConfiguration().peerCertificate())) {
        reply->setProperty(TrustFailure, int(ServerTrust::Verdict::Changed));
        reply->abort();
    }
}

AdminReply AdminClient::finish(QNetworkReply *reply)
{
    AdminReply result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    result.object = doc.object();
    if (result.ok())
        return result;
    if (result.status == 0) {
        const QVariant trustFailure = reply->property(TrustFailure);
        if (trustFailure.isValid()) {
            result.certificate = reply->sslConfiguration().peerCertificate();
            const QString seen = ServerTrust::formatFingerprint(ServerTrust::fingerprint(result.certificate));
            if (trustFailure.toInt() == int(ServerTrust::Verdict::Changed)) {
                result.errorCode = QStringLiteral("certificate_changed");
                result.errorMessage =
                    tr("WARNING: the server's certificate has changed. It now presents SHA-256 %1, which is not "
                       "the certificate you accepted before. Someone may be intercepting the connection. "
                       "Nothing was sent.")
                        .arg(seen);
            } else {
                result.errorCode = QStringLiteral("untrusted_certificate");
                result.errorMessage = tr("The server's certificate (SHA-256 %1) is not signed by a known "
                                         "authority: %2")
                                          .arg(seen, reply->errorString());
            }
        } else {
            result.errorCode = QStringLiteral("network_error");
            result.errorMessage = tr("Cannot reach the server: %1").arg(reply->errorString());
        }
        return result;
    }
    result.errorCode = result.object.value(QStringLiteral("error")).toString();
    result.errorMessage = result.object.value(QStringLiteral("message")).toString();
    if (result.errorMessage.isEmpty())
        result.errorMessage = tr("The server answered %1 without an explanation.").arg(result.status);
    return result;
}

} // namespace herald
