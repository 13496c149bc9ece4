#include "ApnsStandin.h"

#include <utility>

#include <QJsonDocument>
#include <QJsonObject>
#include <QSslSocket>
#include <QTimer>
#include <QUuid>

namespace herald::standin {

namespace {

StandinResponse error(int status, const QString &reason, qint64 timestamp = 0)
{
    QJsonObject o{{QStringLiteral("reason"), reason}};
    if (timestamp)
        o.insert(QStringLiteral("timestamp"), timestamp);
    StandinResponse r;
    r.status = status;
    r.body = QJsonDocument(o).toJson(QJsonDocument::Compact);
    addHeader(r.headers, "content-type", "application/json; charset=utf-8");
    return r;
}

bool isHexToken(const QByteArray &t)
{
    if (t.size() != 64)
        return false;
    for (char c : t)
        if (!isxdigit(uchar(c)))
            return false;
    return true;
}

} // namespace

ApnsStandin::ApnsStandin(const Options &options, QObject *parent)
    : QObject(parent), m_options(options), m_server(options.certPem, options.keyPem),
      m_verifier(options.tokenPublicKeyPem, JwtVerifier::Algorithm::ES256)
{
    m_server.setInitialMaxStreams(options.initialMaxStreams);
    m_server.setRequestClientCertificate(!options.clientCertificatePem.isEmpty());
    connect(&m_server, &H2Server::newH2Connection, this, [this](H2ServerConnection *c) {
        m_connections.insert(c->id(), {});
        connect(c, &H2ServerConnection::requestReceived, this, &ApnsStandin::onRequest);
        connect(c, &H2ServerConnection::closed, this,
                [this](H2ServerConnection *gone) { m_connections.remove(gone->id()); });
    });
}

bool ApnsStandin::listen(quint16 port)
{
    return m_server.listen(QHostAddress::LocalHost, port);
}

void ApnsStandin::setBehaviour(const QString &deviceToken, const Behaviour &behaviour)
{
    m_behaviours.insert(deviceToken, behaviour);
}

void ApnsStandin::failNext(int count, int status, const QString &reason, int retryAfterSecs)
{
    m_injection = {count, status, reason, retryAfterSecs};
}

int ApnsStandin::acceptedCount(const QString &apnsId) const
{
    return m_acceptedById.value(apnsId.toLower());
}

void ApnsStandin::releaseHeld()
{
    m_holding = false;
    const QList<std::function<void()>> held = std::exchange(m_held, {});
    for (const auto &send : held)
        send();
}

void ApnsStandin::clearRecords()
{
    m_records.clear();
    m_acceptedById.clear();
    m_delivered = 0;
}

bool ApnsStandin::checkToken(ConnectionState &state, const QByteArray &authorization, QString *reason,
                             int *status)
{
    *status = 403;
    if (!authorization.startsWith("bearer ")) {
        *reason = QStringLiteral("MissingProviderToken");
        return false;
    }
    const QByteArray token = authorization.mid(7);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    if (!state.token.isEmpty() && token == state.token) {
        // Verified when it arrived on this connection, as APNs caches it; only its age can change.
        if (now - state.tokenIat > m_options.tokenMaxAgeSecs) {
            *reason = QStringLiteral("ExpiredProviderToken");
            return false;
        }
        return true;
    }
    QJsonObject header, claims;
    QString why;
    // Tokens are verified once per connection, as APNs caches them; age is checked every time.
    if (!m_verifier.verify(token, &header, &claims, &why) ||
        header.value(QStringLiteral("kid")).toString() != m_options.keyId ||
        claims.value(QStringLiteral("iss")).toString() != m_options.teamId ||
        !claims.value(QStringLiteral("iat")).isDouble()) {
        *reason = QStringLiteral("InvalidProviderToken");
        return false;
    }
    const qint64 iat = qint64(claims.value(QStringLiteral("iat")).toDouble());
    if (iat > now + 300) {
        *reason = QStringLiteral("InvalidProviderToken");
        return false;
    }
    if (now - iat > m_options.tokenMaxAgeSecs) {
        *reason = QStringLiteral("ExpiredProviderToken");
        return false;
    }
    if (token != state.token) {
        if (!state.token.isEmpty() && now - state.tokenSetAt < m_options.tokenMinChangeSecs) {
            *status = 429;
            *reason = QStringLiteral("TooManyProviderTokenUpdates");
            return false;
        }
        state.token = token;
        state.tokenSetAt = now;
        state.tokenIat = iat;
    }
    return true;
}

StandinResponse ApnsStandin::evaluate(H2ServerConnection *c, const StandinRequest &req, Record *rec,
                                      Hostile *hostile)
{
    ConnectionState &state = m_connections[c->id()];
    if (req.method != "POST")
        return error(405, QStringLiteral("MethodNotAllowed"));
    if (!req.path.startsWith("/3/device/"))
        return error(404, QStringLiteral("BadPath"));
    const QByteArray deviceToken = req.path.mid(10);
    rec->deviceToken = QString::fromLatin1(deviceToken);
    rec->apnsId = QString::fromLatin1(req.header("apns-id"));
    rec->topic = QString::fromUtf8(req.header("apns-topic"));
    rec->pushType = QString::fromLatin1(req.header("apns-push-type"));
    rec->priority = QString::fromLatin1(req.header("apns-priority"));
    rec->expiration = QString::fromLatin1(req.header("apns-expiration"));
    rec->collapseId = QString::fromUtf8(req.header("apns-collapse-id"));
    rec->payload = req.body;
    rec->neverIndexed = req.neverIndexed;

    bool certAuthenticated = false;
    if (!m_options.clientCertificatePem.isEmpty()) {
        const QSslCertificate expected(m_options.clientCertificatePem, QSsl::Pem);
        certAuthenticated = c->socket()->peerCertificate() == expected;
    }
    if (!certAuthenticated) {
        QString reason;
        int status = 403;
        if (!checkToken(state, req.header("authorization"), &reason, &status))
            return error(status, reason);
    }
    if (!isHexToken(deviceToken))
        return error(400, QStringLiteral("BadDeviceToken"));
    if (rec->topic.isEmpty())
        return error(400, QStringLiteral("MissingTopic"));
    if (!m_options.topics.isEmpty() && !m_options.topics.contains(rec->topic))
        return error(400, QStringLiteral("TopicDisallowed"));
    static const QStringList pushTypes{"alert", "background", "voip",         "complication", "fileprovider",
                                       "mdm",   "location",   "liveactivity", "pushtotalk"};
    if (!rec->pushType.isEmpty() && !pushTypes.contains(rec->pushType))
        return error(400, QStringLiteral("InvalidPushType"));
    if (!rec->priority.isEmpty() && !QStringList{"10", "5", "1"}.contains(rec->priority))
        return error(400, QStringLiteral("BadPriority"));
    if (rec->pushType == QLatin1String("background") && rec->priority == QLatin1String("10"))
        return error(400, QStringLiteral("BadPriority"));
    bool ok = true;
    if (!rec->expiration.isEmpty())
        rec->expiration.toLongLong(&ok);
    if (!ok)
        return error(400, QStringLiteral("BadExpirationDate"));
    if (!rec->apnsId.isEmpty() && QUuid::fromString(rec->apnsId).isNull())
        return error(400, QStringLiteral("BadMessageId"));
    if (req.header("apns-collapse-id").size() > 64)
        return error(400, QStringLiteral("BadCollapseId"));
    if (req.body.isEmpty())
        return error(400, QStringLiteral("PayloadEmpty"));
    if (req.body.size() > (rec->pushType == QLatin1String("voip") ? 5120 : 4096))
        return error(413, QStringLiteral("PayloadTooLarge"));
    if (!QJsonDocument::fromJson(req.body).isObject())
        return error(400, QStringLiteral("BadPayload"));

    if (m_injection.count > 0) {
        --m_injection.count;
        StandinResponse r = error(m_injection.status, m_injection.reason);
        if (m_injection.retryAfter >= 0)
            addHeader(r.headers, "retry-after", QByteArray::number(m_injection.retryAfter));
        return r;
    }
    auto b = m_behaviours.find(rec->deviceToken);
    if (b != m_behaviours.end() && b->times != 0) {
        if (b->times > 0)
            --b->times;
        *hostile = b->hostile;
        if (b->hostile == Hostile::None || b->hostile == Hostile::NonJsonBody) {
            StandinResponse r =
                b->hostile == Hostile::NonJsonBody
                    ? StandinResponse{b->status,
                                      {qMakePair(QByteArray("content-type"), QByteArray("text/html"))},
                                      "<html><body>502 upstream trouble</body></html>"}
                    : error(b->status, b->reason, b->timestamp);
            if (b->retryAfterSecs >= 0)
                addHeader(r.headers, "retry-after", QByteArray::number(b->retryAfterSecs));
            if (b->status != 200)
                return r;
        } else if (b->hostile != Hostile::HugeHeaders) {
            return StandinResponse{b->status, {}, {}};
        }
    }
    StandinResponse r;
    r.status = 200;
    const QString id =
        rec->apnsId.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces).toUpper() : rec->apnsId;
    addHeader(r.headers, "apns-id", id.toLatin1());
    addHeader(r.headers, "apns-unique-id", QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1());
    if (*hostile == Hostile::HugeHeaders)
        addHeader(r.headers, "x-padding", QByteArray(200 * 1024, 'x'));
    if (!state.raised) {
        state.raised = true; // APNs lifts the one-stream limit after the first authenticated success
        c->setMaxConcurrentStreams(m_options.raisedMaxStreams);
    }
    return r;
}

void ApnsStandin::onRequest(H2ServerConnection *c, const StandinRequest &request)
{
    ConnectionState &state = m_connections[c->id()];
    if (c->goAwayLastStreamId() >= 0 && request.streamId > c->goAwayLastStreamId()) {
        c->refuse(request.streamId); // not processed: the client must resend it elsewhere
        return;
    }
    auto b = m_behaviours.find(QString::fromLatin1(request.path.mid(10)));
    if (b != m_behaviours.end() && b->hostile == Hostile::RefuseStream && b->times != 0) {
        if (b->times > 0)
            --b->times;
        c->refuse(request.streamId); // REFUSED_STREAM: not processed, not recorded
        return;
    }
    ++state.requests;
    ++state.inFlight;
    m_maxConcurrentSeen = qMax(m_maxConcurrentSeen, qMax(state.inFlight, c->openStreams()));
    Record rec;
    rec.connectionId = c->id();
    Hostile hostile = Hostile::None;
    StandinResponse response = evaluate(c, request, &rec, &hostile);
    rec.status = response.status;
    if (response.status != 200) {
        const QJsonObject o = QJsonDocument::fromJson(response.body).object();
        rec.reason = o.value(QStringLiteral("reason")).toString();
    }
    const bool recorded =
        hostile == Hostile::None || hostile == Hostile::NonJsonBody || hostile == Hostile::HugeHeaders;
    if (recorded) {
        if (response.status == 200) {
            ++m_delivered;
            if (m_options.keepRecords)
                ++m_acceptedById[rec.apnsId.toLower()];
        }
        if (m_options.keepRecords)
            m_records.append(rec);
        Q_EMIT answered(rec);
    }
    if (m_options.goawayAfterRequests > 0 && state.requests == m_options.goawayAfterRequests)
        c->goAway(request.streamId, R"({"reason":"Shutdown"})");
    QPointer<H2ServerConnection> guard(c);
    if (m_holding) {
        m_held.append([=] { answer(guard, request.streamId, response, hostile); });
    } else if (m_options.latencyMs > 0) {
        QTimer::singleShot(m_options.latencyMs, this,
                           [=] { answer(guard, request.streamId, response, hostile); });
    } else {
        answer(guard, request.streamId, response, hostile);
    }
}

void ApnsStandin::answer(QPointer<H2ServerConnection> c, int streamId, StandinResponse response,
                         Hostile hostile)
{
    if (!c)
        return;
    auto it = m_connections.find(c->id());
    if (it != m_connections.end())
        --it->inFlight;
    switch (hostile) {
    case Hostile::Garbage:
        c->sendGarbage();
        return;
    case Hostile::DropMidStream:
        c->dropMidStream(streamId, 200);
        return;
    case Hostile::NoResponse:
        return;
    default:
        c->respond(streamId, response);
        return;
    }
}

} // namespace herald::standin
