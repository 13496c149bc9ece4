#include "admin/AdminListPage.h"

#include "http/HttpRequest.h"

namespace herald {

namespace {

// A whole number in [low, high] from the query, `fallback` when the parameter is absent.
std::optional<int> boundedNumber(const HttpRequest &request, const QString &name, int fallback, int low, int high,
                                 protocol::ApiError *error)
{
    if (!request.query.hasQueryItem(name))
        return fallback;
    const QString text = request.query.queryItemValue(name, QUrl::FullyDecoded);
    bool isNumber = false;
    const qlonglong value = text.size() <= 12 ? text.toLongLong(&isNumber) : 0;
    if (!isNumber || value < low || value > high || text.startsWith(QLatin1Char('+'))) {
        *error = protocol::ApiError::badRequest(QStringLiteral("invalid_value"),
                                                QStringLiteral("%1 must be a whole number from %2 to %3")
                                                    .arg(name).arg(low).arg(high));
        return std::nullopt;
    }
    return int(value);
}

} // namespace

std::optional<AdminListPage> AdminListPage::fromQuery(const HttpRequest &request, protocol::ApiError *error,
                                                      int maxLimit)
{
    const auto offset = boundedNumber(request, QStringLiteral("offset"), 0, 0, 1'000'000'000, error);
    if (!offset)
        return std::nullopt;
    const auto limit = boundedNumber(request, QStringLiteral("limit"), DefaultLimit, 1, maxLimit, error);
    if (!limit)
        return std::nullopt;
    return AdminListPage{*offset, *limit};
}

QJsonObject AdminListPage::wrap(QJsonObject answer, int total) const
{
    answer.insert(QStringLiteral("total"), total);
    answer.insert(QStringLiteral("offset"), offset);
    answer.insert(QStringLiteral("limit"), limit);
    return answer;
}

} // namespace herald
