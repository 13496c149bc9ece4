#include "limits/RequestLimiter.h"

#include "http/HttpRequest.h"
#include "http/Router.h"

#include <QtEndian>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcLimits, "herald.limits", QtInfoMsg)

namespace herald {

RequestLimiter::RequestLimiter(const LimitSettings &s, QObject *parent)
    : QObject(parent)
    , m_tables{TokenBucketTable(s.registerPerAddress, s.maxBuckets), TokenBucketTable(s.registerPerAccount, s.maxBuckets),
               TokenBucketTable(s.loginPerAddress, s.maxBuckets),    TokenBucketTable(s.loginPerAccount, s.maxBuckets),
               TokenBucketTable(s.sessionPerAddress, s.maxBuckets),  TokenBucketTable(s.eventsPerSource, s.maxBuckets)}
    , m_exempt(s.exemptAddresses)
{
}

QString RequestLimiter::reason(Limit limit)
{
    switch (limit) {
    case Limit::RegisterPerAccount:
    case Limit::LoginPerAccount:
        return QStringLiteral("account");
    case Limit::EventsPerSource:
        return QStringLiteral("source");
    default:
        return QStringLiteral("address");
    }
}

QByteArray RequestLimiter::addressKey(const QHostAddress &peer) const
{
    bool isV4 = false;
    const quint32 v4 = peer.toIPv4Address(&isV4); // also takes ::ffff:a.b.c.d apart
    const QHostAddress address = isV4 ? QHostAddress(v4) : peer;
    for (const auto &subnet : m_exempt) {
        if (address.isInSubnet(subnet))
            return {};
    }
    if (isV4) {
        const quint32 be = qToBigEndian(v4);
        return QByteArray("4", 1) + QByteArray(reinterpret_cast<const char *>(&be), 4);
    }
    const Q_IPV6ADDR v6 = address.toIPv6Address();
    return QByteArray("6", 1) + QByteArray(reinterpret_cast<const char *>(v6.c), 8);
}

std::optional<HttpResponse> RequestLimiter::check(Limit limit, const QByteArray &key, const QString &route)
{
    if (key.isEmpty())
        return std::nullopt;
    const int wait = table(limit).take(key);
    if (wait == 0)
        return std::nullopt;
    const QString why = reason(limit);
    qCDebug(lcLimits) << route << "refused: per-" + why << "limit, retry in" << wait << "s";
    Q_EMIT rejected(route, why);
    HttpResponse response = HttpResponse::error(protocol::ApiError{
        429, QStringLiteral("rate_limited"),
        QStringLiteral("too many requests for this %1; try again in %2 s").arg(why).arg(wait)});
    response.headers.append({"Retry-After", QByteArray::number(wait)});
    return response;
}

void RequestLimiter::refund(Limit limit, const QByteArray &key)
{
    if (!key.isEmpty())
        table(limit).refund(key);
}

void RequestLimiter::guardRoutes(Router &router)
{
    auto byAddress = [this](Limit limit, const QString &route) {
        return [this, limit, route](const HttpRequest &request) { return check(limit, addressKey(request.peer), route); };
    };
    router.guard("POST", QStringLiteral("/v1/register"), byAddress(Limit::RegisterPerAddress, QStringLiteral("/v1/register")));
    router.guard("POST", QStringLiteral("/v1/login"), byAddress(Limit::LoginPerAddress, QStringLiteral("/v1/login")));
    router.guard("GET", QStringLiteral("/v1/session"), byAddress(Limit::SessionPerAddress, QStringLiteral("/v1/session")));
    // By the token itself, before any lookup: a source that floods is held back without costing a
    // query per request. The table keeps only a digest of it. No token: the handler answers 401.
    router.guard("POST", QStringLiteral("/v1/events"), [this](const HttpRequest &request) {
        const QString token = request.bearerToken();
        return check(Limit::EventsPerSource, token.isEmpty() ? QByteArray() : QByteArray("t") + token.toUtf8(),
                     QStringLiteral("/v1/events"));
    });
}

} // namespace herald
