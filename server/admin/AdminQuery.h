#pragma once

#include "protocol/ApiError.h"

#include <QHash>
#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace herald {

struct HttpRequest;

// The query string of an admin list call (docs/protocol.md, "Paging"): `offset` and `limit` plus
// the filters the call names. An unknown or repeated parameter, a bad number or a value outside
// its set is the first error, a 400 `invalid_value` naming the parameter; once an error is
// recorded, further reads return empty values, so handlers check ok() once.
class AdminQuery
{
public:
    AdminQuery(const HttpRequest &request, const QStringList &filters);

    bool ok() const { return !m_error.has_value(); }
    const protocol::ApiError &error() const { return *m_error; }
    int offset() const { return m_offset; }
    int limit() const { return m_limit; }
    bool has(const QString &name) const { return m_values.contains(name); }
    // The decoded value ("" when absent), refused when longer than maxLength.
    QString value(const QString &name, int maxLength = 256);
    // The value, which must be one of `allowed` when present ("" when absent).
    QString oneOf(const QString &name, const QStringList &allowed);
    void fail(const QString &message);
    // `body` with "total", "offset" and "limit" added.
    QJsonObject page(QJsonObject body, int total) const;

    static constexpr int DefaultLimit = 100;
    static constexpr int MaxLimit = 500;

private:
    int number(const QString &name, int fallback, int min, int max);

    QHash<QString, QString> m_values;
    int m_offset = 0;
    int m_limit = DefaultLimit;
    std::optional<protocol::ApiError> m_error;
};

} // namespace herald
