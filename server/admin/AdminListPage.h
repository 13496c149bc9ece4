#pragma once

#include "protocol/ApiError.h"

#include <QJsonObject>

#include <optional>

namespace herald {

struct HttpRequest;

// The paging every admin list takes: ?offset= (from 0) and ?limit= (1..500, default 100). The
// answer carries them back beside "total", so a console can show "41–60 of 312".
struct AdminListPage
{
    int offset = 0;
    int limit = DefaultLimit;

    static constexpr int DefaultLimit = 100;
    static constexpr int MaxLimit = 500;

    // The page the query asks for, or the 400 invalid_value naming the bad parameter.
    static std::optional<AdminListPage> fromQuery(const HttpRequest &request, protocol::ApiError *error,
                                                  int maxLimit = MaxLimit);
    // `answer` plus "total", "offset" and "limit".
    QJsonObject wrap(QJsonObject answer, int total) const;
};

} // namespace herald
