#include "FcmStandin.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>
#include <QUrlQuery>
#include <QUuid>

namespace herald::standin {

namespace {

StandinResponse json(int status, const QJsonObject &o)
{
    StandinResponse r;
    r.status = status;
    r.body = QJsonDocument(o).toJson(QJsonDocument::Compact);
    addHeader(r.headers, "content-type", "application/json; charset=UTF-8");
    return r;
}

const char *statusName(int status)
{
    switch (status) {
    case 400:
        return "INVALID_ARGUMENT";
    case 401:
        return "UNAUTHENTICATED";
    case 403:
        return "PERMISSION_DENIED";
    case 404:
        return "NOT_FOUND";
    case 429:
        return "RESOURCE_EXHAUSTED";
    case 503:
        return "UNAVAILABLE";
    default:
        return "INTERNAL";
    }
}

StandinResponse fcmError(int status, const QString &errorCode, const QString &message)
{
    QJsonObject err{{QStringLiteral("code"), status},
                    {QStringLiteral("message"), message},
                    {QStringLiteral("status"), QLatin1String(statusName(status))}};
    if (!errorCode.isEmpty())
        err.insert(
            QStringLiteral("details"),
            QJsonArray{QJsonObject{{QStringLiteral("@type"),
                                    QStringLiteral("type.googleapis.com/google.firebase.fcm.v1.FcmError")},
                                   {QStringLiteral("errorCode"), errorCode}}});
    return json(status, QJsonObject{{QStringLiteral("error"), err}});
}

} // namespace

FcmStandin::FcmStandin(const Options &options, QObject *parent)
    : QObject(parent), m_options(options), m_server(options.certPem, options.keyPem),
      m_verifier(options.serviceAccountPublicKeyPem, JwtVerifier::Algorithm::RS256)
{
    m_server.setInitialMaxStreams(100);
    connect(&m_server, &H2Server::newH2Connection, this, [this](H2ServerConnection *c) {
        connect(c, &H2ServerConnection::requestReceived, this, &FcmStandin::onRequest);
    });
}

bool FcmStandin::listen(quint16 port)
{
    return m_server.listen(QHostAddress::LocalHost, port);
}

QString FcmStandin::tokenUri() const
{
    return QStringLiteral("https://127.0.0.1:%1%2").arg(port()).arg(QString::fromLatin1(m_options.tokenPath));
}

QByteArray FcmStandin::serviceAccountJson(const QByteArray &privateKeyPem) const
{
    return QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("service_account")},
                                     {QStringLiteral("project_id"), m_options.projectId},
                                     {QStringLiteral("private_key_id"), QStringLiteral("throwaway-test-key")},
                                     {QStringLiteral("private_key"), QString::fromLatin1(privateKeyPem)},
                                     {QStringLiteral("client_email"), m_options.clientEmail},
                                     {QStringLiteral("token_uri"), tokenUri()}})
        .toJson();
}

StandinResponse FcmStandin::token(const StandinRequest &req)
{
    auto invalidGrant = [this](const QString &why) {
        ++m_assertionsRejected;
        return json(400, QJsonObject{{QStringLiteral("error"), QStringLiteral("invalid_grant")},
                                     {QStringLiteral("error_description"), why}});
    };
    if (!req.header("content-type").startsWith("application/x-www-form-urlencoded"))
        return invalidGrant(QStringLiteral("expected a form"));
    const QUrlQuery form(QString::fromLatin1(req.body));
    if (form.queryItemValue(QStringLiteral("grant_type"), QUrl::FullyDecoded) !=
        QLatin1String("urn:ietf:params:oauth:grant-type:jwt-bearer"))
        return json(400, QJsonObject{{QStringLiteral("error"), QStringLiteral("unsupported_grant_type")}});
    const QByteArray assertion =
        form.queryItemValue(QStringLiteral("assertion"), QUrl::FullyDecoded).toLatin1();
    QJsonObject header, claims;
    QString why;
    if (!m_verifier.verify(assertion, &header, &claims, &why))
        return invalidGrant(QStringLiteral("Invalid JWT Signature: ") + why);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const qint64 iat = qint64(claims.value(QStringLiteral("iat")).toDouble());
    const qint64 exp = qint64(claims.value(QStringLiteral("exp")).toDouble());
    if (claims.value(QStringLiteral("iss")).toString() != m_options.clientEmail)
        return invalidGrant(QStringLiteral("Invalid issuer"));
    if (claims.value(QStringLiteral("aud")).toString() != tokenUri())
        return invalidGrant(QStringLiteral("Invalid audience"));
    if (!claims.value(QStringLiteral("scope")).toString().contains(QLatin1String("firebase.messaging")))
        return invalidGrant(QStringLiteral("Invalid scope"));
    if (exp - iat > 3600 || exp <= now || iat > now + 300)
        return invalidGrant(QStringLiteral(
            "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe"));
    const QByteArray access = "ya29.test-" + QUuid::createUuid().toByteArray(QUuid::Id128);
    m_accessTokens.insert(access);
    ++m_issued;
    return json(200, QJsonObject{{QStringLiteral("access_token"), QString::fromLatin1(access)},
                                 {QStringLiteral("expires_in"), 3599},
                                 {QStringLiteral("token_type"), QStringLiteral("Bearer")}});
}

StandinResponse FcmStandin::send(const StandinRequest &req, Record *rec)
{
    const QByteArray auth = req.header("authorization");
    if (!auth.startsWith("Bearer ") || !m_accessTokens.contains(auth.mid(7)))
        return fcmError(401, QString(), QStringLiteral("Request had invalid authentication credentials."));
    const QByteArray expectedPath = "/v1/projects/" + m_options.projectId.toUtf8() + "/messages:send";
    if (req.path != expectedPath)
        return fcmError(403, QStringLiteral("SENDER_ID_MISMATCH"), QStringLiteral("Permission denied"));
    QJsonParseError pe{};
    const QJsonObject root = QJsonDocument::fromJson(req.body, &pe).object();
    const QJsonObject message = root.value(QStringLiteral("message")).toObject();
    rec->message = message;
    rec->body = req.body;
    rec->token = message.value(QStringLiteral("token")).toString();
    if (pe.error != QJsonParseError::NoError || message.isEmpty() || rec->token.isEmpty())
        return fcmError(400, QStringLiteral("INVALID_ARGUMENT"), QStringLiteral("Invalid JSON payload"));
    const QJsonObject data = message.value(QStringLiteral("data")).toObject();
    for (auto it = data.begin(); it != data.end(); ++it)
        if (!it.value().isString())
            return fcmError(400, QStringLiteral("INVALID_ARGUMENT"),
                            QStringLiteral("data values must be strings"));
    QJsonObject withoutToken = message;
    withoutToken.remove(QStringLiteral("token"));
    if (QJsonDocument(withoutToken).toJson(QJsonDocument::Compact).size() > 4096)
        return fcmError(400, QStringLiteral("INVALID_ARGUMENT"), QStringLiteral("Message is too big"));
    auto b = m_behaviours.find(rec->token);
    if (b != m_behaviours.end() && b->times != 0) {
        if (b->times > 0)
            --b->times;
        if (b->status != 200) {
            StandinResponse r = fcmError(b->status, b->errorCode, QStringLiteral("injected"));
            if (b->retryAfterSecs >= 0)
                addHeader(r.headers, "retry-after", QByteArray::number(b->retryAfterSecs));
            return r;
        }
    }
    return json(200,
                QJsonObject{{QStringLiteral("name"),
                             QStringLiteral("projects/%1/messages/%2")
                                 .arg(m_options.projectId, QUuid::createUuid().toString(QUuid::Id128))}});
}

void FcmStandin::onRequest(H2ServerConnection *c, const StandinRequest &request)
{
    StandinResponse response;
    if (request.method != "POST") {
        response = fcmError(405, QString(), QStringLiteral("method not allowed"));
    } else if (request.path == m_options.tokenPath) {
        response = token(request);
    } else {
        Record rec;
        response = send(request, &rec);
        rec.status = response.status;
        const QJsonArray details = QJsonDocument::fromJson(response.body)
                                       .object()
                                       .value(QStringLiteral("error"))
                                       .toObject()
                                       .value(QStringLiteral("details"))
                                       .toArray();
        if (!details.isEmpty())
            rec.errorCode = details.first().toObject().value(QStringLiteral("errorCode")).toString();
        if (response.status == 200)
            ++m_delivered;
        m_records.append(rec);
    }
    QPointer<H2ServerConnection> guard(c);
    const int streamId = request.streamId;
    if (m_options.latencyMs > 0)
        QTimer::singleShot(m_options.latencyMs, this, [guard, streamId, response] {
            if (guard)
                guard->respond(streamId, response);
        });
    else
        c->respond(streamId, response);
}

} // namespace herald::standin
