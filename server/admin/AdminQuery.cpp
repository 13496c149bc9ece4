#include "admin/AdminQuery.h"

#include "http/HttpRequest.h"

#include <QUrlQuery>

#include <algorithm>

#include <limits>

namespace herald {

AdminQuery::AdminQuery(const HttpRequest &request, const QStringList &filters)
{
    const auto items = request.query.queryItems(QUrl::FullyDecoded);
    for (const auto &[name, value] : items) {
        if (name != QLatin1String("offset") && name != QLatin1String("limit") && !filters.contains(name)) {
            // A misspelt filter would otherwise silently widen the list to everything.
            fail(QStringLiteral("unknown query parameter '%1'; this call takes offset, limit%2")
                     .arg(name.left(64), filters.isEmpty() ? QString() : QStringLiteral(", ") + filters.join(QStringLiteral(", "))));
            return;
        }
        if (m_values.contains(name)) {
            fail(QStringLiteral("the query parameter %1 is given more than once").arg(name));
            return;
        }
        m_values.insert(name, value);
    }
    m_offset = number(QStringLiteral("offset"), 0, 0, std::numeric_limits<int>::max());
    m_limit = number(QStringLiteral("limit"), DefaultLimit, 1, MaxLimit);
}

int AdminQuery::number(const QString &name, int fallback, int min, int max)
{
    if (!ok() || !m_values.contains(name))
        return fallback;
    const QString text = m_values.value(name);
    bool isNumber = false;
    const qlonglong n = text.toLongLong(&isNumber);
    // Digits only: toLongLong would take " 5" and "+5".
    const bool digits = !text.isEmpty() && text.size() <= 10 &&
                        std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.isDigit() && c.unicode() < 128; });
    if (!isNumber || !digits || n < min || n > max) {
        fail(max == std::numeric_limits<int>::max()
                 ? QStringLiteral("%1 must be a whole number from %2").arg(name).arg(min)
                 : QStringLiteral("%1 must be a whole number from %2 to %3").arg(name).arg(min).arg(max));
        return fallback;
    }
    return int(n);
}

QString AdminQuery::value(const QString &name, int maxLength)
{
    if (!ok())
        return {};
    const QString v = m_values.value(name);
    if (v.size() > maxLength) {
        fail(QStringLiteral("%1 must have at most %2 characters").arg(name).arg(maxLength));
        return {};
    }
    return v;
}

QString AdminQuery::oneOf(const QString &name, const QStringList &allowed)
{
    if (!ok() || !m_values.contains(name))
        return {};
    const QString v = m_values.value(name);
    if (!allowed.contains(v)) {
        fail(QStringLiteral("%1 must be one of: %2").arg(name, allowed.join(QStringLiteral(", "))));
        return {};
    }
    return v;
}

void AdminQuery::fail(const QString &message)
{
    if (!m_error)
        m_error = protocol::ApiError::badRequest(QStringLiteral("invalid_value"), message);
}

QJsonObject AdminQuery::page(QJsonObject body, int total) const
{
    body.insert(QStringLiteral("total"), total);
    body.insert(QStringLiteral("offset"), m_offset);
    body.insert(QStringLiteral("limit"), m_limit);
    return body;
}

} // namespace herald
