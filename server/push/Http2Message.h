#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace herald {

using Http2Headers = QList<QPair<QByteArray, QByteArray>>; // lower-case names, wire order

struct Http2Request
{
    QByteArray method = QByteArrayLiteral("POST");
    QByteArray path;
    Http2Headers headers; // without pseudo-headers; the client adds :method/:scheme/:authority/:path
    QByteArray body;
    // Names (":path" included) whose values differ from request to request: sent as HPACK literals
    // that are never indexed, so they do not push the ones that repeat (the bearer token above
    // all) out of the connection's header table.
    QList<QByteArray> neverIndexed;
};

struct Http2Response
{
    int status = 0;
    Http2Headers headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers)
            if (h.first == name)
                return h.second;
        return {};
    }
};

} // namespace herald
