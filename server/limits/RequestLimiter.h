#pragma once

#include "http/HttpResponse.h"
#include "limits/LimitSettings.h"
#include "limits/TokenBucketTable.h"

#include <QObject>

#include <array>
#include <optional>

namespace herald {

class Router;
struct HttpRequest;

// The rate limits of the terminal and source APIs (token buckets, one table per limit). A refused
// request gets 429 + Retry-After in the API's error shape and is counted by route and reason.
class RequestLimiter : public QObject
{
    Q_OBJECT
public:
    enum class Limit { RegisterPerAddress, RegisterPerAccount, LoginPerAddress, LoginPerAccount, SessionPerAddress,
                       EventsPerSource };

    explicit RequestLimiter(const LimitSettings &settings, QObject *parent = nullptr);

    // Puts the per-address limits on POST /v1/register, POST /v1/login and GET /v1/session and the
    // per-source-token limit on POST /v1/events, in front of their handlers (which must exist).
    void guardRoutes(Router &router);

    // Takes a token for `key` under `limit`: nullopt when allowed, else the 429 to answer.
    std::optional<HttpResponse> check(Limit limit, const QByteArray &key, const QString &route);
    void refund(Limit limit, const QByteArray &key);
    // A request turned away for another reason ("busy": the password workers were full), counted
    // with the rate-limit refusals.
    void noteRejected(const QString &route, const QString &reason) { Q_EMIT rejected(route, reason); }

    // The key of a client address for the per-address limits (an IPv6 client by its /64, which
    // one subscriber usually holds whole), or empty for an exempt address.
    QByteArray addressKey(const QHostAddress &address) const;

    const TokenBucketTable &table(Limit limit) const { return m_tables.at(size_t(limit)); }
    TokenBucketTable &table(Limit limit) { return m_tables.at(size_t(limit)); }
    static QString reason(Limit limit); // "address", "account", "source"

signals:
    void rejected(const QString &route, const QString &reason);

private:
    std::array<TokenBucketTable, 6> m_tables;
    QList<QPair<QHostAddress, int>> m_exempt;
};

} // namespace herald
