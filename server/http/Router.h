#pragma once

#include "http/HttpRequest.h"
#include "http/HttpResponse.h"

#include <QList>
#include <QStringList>

#include <functional>
#include <optional>

namespace herald {

// Maps method + path pattern ("/v1/notifications/{id}/open") to a handler. Unknown paths get
// 404 and known paths with the wrong method 405 (with Allow), both in the API's error shape.
class Router
{
public:
    using Handler = std::function<HttpResponse(const HttpRequest &request)>;
    // Told of every answer: the route's pattern ("unmatched" for none, so unknown paths cannot
    // grow the label set), the method and the final status. For /metrics.
    using Observer = std::function<void(const QString &route, const QByteArray &method, int status)>;

    // Runs before a route's handler and may answer in its place (a rate limit's 429).
    using Guard = std::function<std::optional<HttpResponse>(const HttpRequest &request)>;

    // A request held back before its route runs: call `resume` once, later, and the route answers.
    using Wait = std::function<void(std::function<void()> resume)>;
    // Asked before every route under a prefix; an empty Wait lets the request through at once.
    using Hold = std::function<Wait(const HttpRequest &request)>;

    void add(const QByteArray &method, const QString &pattern, Handler handler);
    // Puts `hold` in front of every route whose pattern starts with `prefix` (one hold per router):
    // a console session issued by another node is read from the database before the route, which
    // checks sessions without waiting, sees the request.
    void holdUnder(const QString &prefix, Hold hold);
    // Puts `guard` in front of an added route; false when there is no such route.
    bool guard(const QByteArray &method, const QString &pattern, Guard guard);
    HttpResponse dispatch(HttpRequest &request) const;
    void setObserver(Observer observer) { m_observer = std::move(observer); }

    // A fixed path whose bodies may be larger than the listener's max_body_bytes (a gateway's batch
    // of presence reports). The connection reads heads with largestBodyLimit() and then holds each
    // request to bodyLimit() for its own method and path.
    void allowBodyUpTo(const QByteArray &method, const QString &path, qint64 bytes);
    qint64 bodyLimit(const QByteArray &method, const QString &path, qint64 otherwise) const;
    qint64 largestBodyLimit(qint64 otherwise) const;

private:
    struct Route
    {
        QByteArray method;
        QString pattern;
        QStringList segments;
        Handler handler;
        Guard guard;
    };
    static bool match(const Route &route, const QStringList &segments, QHash<QString, QString> *params);
    static HttpResponse run(const Route &route, const HttpRequest &request); // its guard, then its handler

    HttpResponse observed(HttpResponse response, const QString &route, const QByteArray &method) const;
    static HttpResponse observedBy(const Observer &observer, HttpResponse response, const QString &route,
                                   const QByteArray &method);

    QList<Route> m_routes;
    QHash<QString, QPair<QByteArray, qint64>> m_bodyLimits; // path -> (method, bytes)
    Observer m_observer;
    QString m_holdPrefix;
    Hold m_hold;
};

} // namespace herald
