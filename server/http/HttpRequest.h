#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QString>
#include <QUrlQuery>

namespace herald {

struct HttpRequest
{
    QByteArray method;              // "GET", "POST", ...
    QString path;                   // decoded path without the query
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; // names lower-cased; repeated headers joined with ", "
    QByteArray body;
    QHostAddress peer;
    QHash<QString, QString> pathParams; // {id} segments matched by the Router

    QByteArray header(const QByteArray &lowerName) const { return headers.value(lowerName); }
    // The token of "Authorization: Bearer <token>", or ?access_token= when allowQuery is set.
    QString bearerToken(bool allowQuery = false) const;
};

} // namespace herald
