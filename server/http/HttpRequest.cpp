#include "http/HttpRequest.h"

namespace herald {

QString HttpRequest::bearerToken(bool allowQuery) const
{
    const QByteArray auth = header("authorization").trimmed();
    if (auth.size() > 7 && auth.left(7).toLower() == "bearer ")
        return QString::fromLatin1(auth.mid(7).trimmed());
    if (allowQuery && query.hasQueryItem(QStringLiteral("access_token")))
        return query.queryItemValue(QStringLiteral("access_token"), QUrl::FullyDecoded);
    return {};
}

} // namespace herald
