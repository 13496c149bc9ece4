#include "http/Router.h"

namespace herald {

void Router::add(const QByteArray &method, const QString &pattern, Handler handler)
{
    m_routes.append({method, pattern, pattern.split(QLatin1Char('/'), Qt::SkipEmptyParts), std::move(handler), {}});
}

void Router::holdUnder(const QString &prefix, Hold hold)
{
    m_holdPrefix = prefix;
    m_hold = std::move(hold);
}

bool Router::guard(const QByteArray &method, const QString &pattern, Guard guard)
{
    for (Route &route : m_routes) {
        if (route.method == method && route.pattern == pattern) {
            route.guard = std::move(guard);
            return true;
        }
    }
    return false;
}

HttpResponse Router::observed(HttpResponse response, const QString &route, const QByteArray &method) const
{
    return observedBy(m_observer, std::move(response), route, method);
}

HttpResponse Router::observedBy(const Observer &observer, HttpResponse response, const QString &route,
                                const QByteArray &method)
{
    if (!observer)
        return response;
    if (response.takeOver) {
        observer(route, method, 101);
    } else if (response.finalize) {
        // The real answer is made later, once the writes are durable: count that one.
        response.finalize = [finalize = std::move(response.finalize), observer, route, method] {
            HttpResponse final = finalize();
            observer(route, method, final.status);
            return final;
        };
    } else if (response.deferred) {
        // Counted when the real answer exists (a password checked on a worker, a read on a reading
        // connection), which may itself wait again or take the connection over.
        response.deferred = [deferred = std::move(response.deferred), observer, route,
                             method](std::function<void(HttpResponse)> answer) {
            deferred([answer = std::move(answer), observer, route, method](HttpResponse final) {
                answer(observedBy(observer, std::move(final), route, method));
            });
        };
    } else {
        observer(route, method, response.status);
    }
    return response;
}

bool Router::match(const Route &route, const QStringList &segments, QHash<QString, QString> *params)
{
    if (route.segments.size() != segments.size())
        return false;
    for (int i = 0; i < segments.size(); ++i) {
        const QString &want = route.segments.at(i);
        if (want.startsWith(QLatin1Char('{')) && want.endsWith(QLatin1Char('}'))) {
            params->insert(want.mid(1, want.size() - 2), segments.at(i));
            continue;
        }
        if (want != segments.at(i))
            return false;
    }
    return true;
}

HttpResponse Router::run(const Route &route, const HttpRequest &request)
{
    if (route.guard) {
        if (std::optional<HttpResponse> refused = route.guard(request))
            return refused.value();
    }
    return route.handler(request);
}

HttpResponse Router::dispatch(HttpRequest &request) const
{
    const QStringList segments = request.path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QByteArrayList allowed;
    for (const Route &route : m_routes) {
        QHash<QString, QString> params;
        if (!match(route, segments, &params))
            continue;
        if (route.method != request.method) {
            allowed.append(route.method);
            continue;
        }
        request.pathParams = params;
        if (m_hold && route.pattern.startsWith(m_holdPrefix)) {
            if (Wait wait = m_hold(request)) {
                // Answered once the wait resumes; the route (and its own guard) runs then, on a copy
                // of the request that lives as long as the wait.
                HttpResponse held;
                held.deferred = [route, request = HttpRequest(request),
                                 wait = std::move(wait)](std::function<void(HttpResponse)> answer) {
                    wait([route, request, answer = std::move(answer)] { answer(run(route, request)); });
                };
                return observed(std::move(held), route.pattern, route.method);
            }
        }
        return observed(run(route, request), route.pattern, route.method);
    }
    if (!allowed.isEmpty()) {
        HttpResponse response = HttpResponse::error(protocol::ApiError::methodNotAllowed(
            QStringLiteral("%1 is not allowed on this path; use %2")
                .arg(QString::fromLatin1(request.method.left(16)),
                     QString::fromLatin1(allowed.join(", ")))));
        response.headers.append({"Allow", allowed.join(", ")});
        return observed(std::move(response), QStringLiteral("unmatched"), QByteArrayLiteral("other"));
    }
    return observed(HttpResponse::error(protocol::ApiError::notFound(QStringLiteral("no such endpoint"))),
                    QStringLiteral("unmatched"), QByteArrayLiteral("other"));
}

void Router::allowBodyUpTo(const QByteArray &method, const QString &path, qint64 bytes)
{
    m_bodyLimits.insert(path, {method, bytes});
}

qint64 Router::bodyLimit(const QByteArray &method, const QString &path, qint64 otherwise) const
{
    if (m_bodyLimits.isEmpty())
        return otherwise;
    const auto it = m_bodyLimits.constFind(path);
    return it != m_bodyLimits.cend() && it->first == method ? qMax(otherwise, it->second) : otherwise;
}

qint64 Router::largestBodyLimit(qint64 otherwise) const
{
    qint64 largest = otherwise;
    for (const auto &limit : m_bodyLimits)
        largest = qMax(largest, limit.second);
    return largest;
}

} // namespace herald
