#include "PushLink.h"

#include <QRegularExpression>

namespace herald {

QString PushLink::notificationId(const QString &uri)
{
    // Ids are time-ordered UUIDs; the app-name rule is the protocol's. Anything else is refused
    // rather than passed on to a request path.
    static const QRegularExpression form(QStringLiteral(
        "^herald://(?:n|open/[a-z0-9][a-z0-9._-]{0,63})/([A-Za-z0-9][A-Za-z0-9-]{0,63})\\z"));
    if (uri.size() > 200)
        return {};
    const QRegularExpressionMatch m = form.match(uri);
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace herald
