#include "WebPushStandin.h"

#include "JwtVerifier.h"
#include "crypto/EcP256Key.h"
#include "crypto/Jwt.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>
#include <QUuid>

#include <openssl/bio.h>
#include <openssl/pem.h>

namespace herald::standin {
namespace {

StandinResponse answer(int status, const QString &reason)
{
    StandinResponse r;
    r.status = status;
    if (!reason.isEmpty()) {
        // Mozilla's autopush answers errors in this shape.
        r.body = QJsonDocument(QJsonObject{{QStringLiteral("code"), status}, {QStringLiteral("error"), reason}})
                     .toJson(QJsonDocument::Compact);
        addHeader(r.headers, "content-type", "application/json");
    }
    return r;
}

QByteArray publicKeyPem(const EcP256Key &key)
{
    BIO *out = BIO_new(BIO_s_mem());
    QByteArray pem;
    if (out && PEM_write_bio_PUBKEY(out, key.handle()) == 1) {
        char *data = nullptr;
        const long size = BIO_get_mem_data(out, &data);
        pem = QByteArray(data, int(size));
    }
    BIO_free(out);
    return pem;
}

} // namespace

WebPushStandin::WebPushStandin(const Options &options, QObject *parent)
    : QObject(parent), m_options(options), m_server(options.certPem, options.keyPem)
{
    connect(&m_server, &H2Server::newH2Connection, this, [this](H2ServerConnection *c) {
        connect(c, &H2ServerConnection::requestReceived, this, &WebPushStandin::onRequest);
    });
}

bool WebPushStandin::listen(quint16 port)
{
    return m_server.listen(QHostAddress::LocalHost, port);
}

QString WebPushStandin::origin() const
{
    return QStringLiteral("https://127.0.0.1:%1").arg(port());
}

void WebPushStandin::setBehaviour(const QString &subscription, const Behaviour &behaviour)
{
    m_behaviours.insert(subscription, behaviour);
}

void WebPushStandin::onRequest(H2ServerConnection *connection, const StandinRequest &request)
{
    Record record;
    const StandinResponse response = evaluate(request, &record);
    record.status = response.status;
    m_records.append(record);
    Q_EMIT answered(record);
    connection->respond(request.streamId, response);
}

QString WebPushStandin::verifyVapid(const QByteArray &authorization, Record *record) const
{
    static const QRegularExpression re(QStringLiteral("^vapid t=([A-Za-z0-9_.-]+), *k=([A-Za-z0-9_-]+)\\z"));
    const QRegularExpressionMatch m = re.match(QString::fromLatin1(authorization));
    if (!m.hasMatch())
        return QStringLiteral("Authorization is not \"vapid t=JWT, k=KEY\"");
    record->vapidKey = Jwt::fromBase64Url(m.captured(2).toLatin1());
    QString why;
    const EcP256Key key = EcP256Key::fromPublicPoint(record->vapidKey, &why);
    if (key.isNull())
        return QStringLiteral("k ") + why;
    const JwtVerifier verifier(publicKeyPem(key), JwtVerifier::Algorithm::ES256);
    QJsonObject header;
    if (!verifier.verify(m.captured(1).toLatin1(), &header, &record->claims, &why))
        return QStringLiteral("JWT: ") + why;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QJsonValue exp = record->claims.value(QStringLiteral("exp"));
    if (record->claims.value(QStringLiteral("aud")).toString() != origin())
        return QStringLiteral("aud is not %1").arg(origin());
    if (!exp.isDouble() || qint64(exp.toDouble()) <= now)
        return QStringLiteral("exp is missing or past");
    if (qint64(exp.toDouble()) > now + 24 * 3600)
        return QStringLiteral("exp is more than 24 hours ahead");
    const QString sub = record->claims.value(QStringLiteral("sub")).toString();
    if (!sub.startsWith(QLatin1String("mailto:")) && !sub.startsWith(QLatin1String("https://")))
        return QStringLiteral("sub is not a mailto: or https: URL");
    return {};
}

StandinResponse WebPushStandin::evaluate(const StandinRequest &request, Record *record)
{
    if (request.method != "POST")
        return answer(405, QStringLiteral("method"));
    if (!request.path.startsWith("/push/") || request.path.size() <= 6)
        return answer(404, QStringLiteral("no such subscription"));
    record->subscription = QString::fromLatin1(request.path.mid(6));
    record->authorization = request.header("authorization");
    record->ttl = request.header("ttl");
    record->urgency = request.header("urgency");
    record->contentEncoding = request.header("content-encoding");
    record->topic = request.header("topic");
    record->body = request.body;
    auto refuse = [record](int status, const QString &reason) {
        record->reason = reason;
        return answer(status, reason);
    };
    if (const QString problem = verifyVapid(record->authorization, record); !problem.isEmpty())
        return refuse(401, problem);
    if (!m_options.subscriptionKey.isEmpty() && record->vapidKey != m_options.subscriptionKey)
        return refuse(403, QStringLiteral("the VAPID key is not the subscription's applicationServerKey"));
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,10}\\z"));
    if (!digits.match(QString::fromLatin1(record->ttl)).hasMatch())
        return refuse(400, QStringLiteral("TTL missing or not a number"));
    static const QList<QByteArray> urgencies{"very-low", "low", "normal", "high"};
    if (!record->urgency.isEmpty() && !urgencies.contains(record->urgency))
        return refuse(400, QStringLiteral("unknown Urgency"));
    if (!request.body.isEmpty() && record->contentEncoding != "aes128gcm")
        return refuse(400, QStringLiteral("a body needs Content-Encoding: aes128gcm"));
    if (request.body.size() > 4096)
        return refuse(413, QStringLiteral("payload larger than 4096 bytes"));
    auto b = m_behaviours.find(record->subscription);
    if (b != m_behaviours.end() && b->times != 0) {
        if (b->times > 0)
            --b->times;
        if (b->status != 201) {
            StandinResponse r = refuse(b->status, QStringLiteral("scripted"));
            if (b->retryAfterSecs >= 0)
                addHeader(r.headers, "retry-after", QByteArray::number(b->retryAfterSecs));
            return r;
        }
    }
    StandinResponse ok = answer(201, {});
    addHeader(ok.headers, "location", "/message/" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces));
    return ok;
}

} // namespace herald::standin
