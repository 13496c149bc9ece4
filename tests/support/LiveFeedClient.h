#pragma once

#include <QJsonObject>
#include <QList>
#include <QWebSocket>

#include <functional>

namespace herald::test {

class ServerProcess;

// A console's end of GET /admin/v1/live (QWebSocket): collects every frame it receives.
struct LiveFeedClient
{
    QWebSocket socket;
    QList<QJsonObject> frames;
    quint16 closeCode = 0;

    // Connects with the token as ?access_token= (inQuery) or in the Authorization header.
    bool open(ServerProcess &server, const QString &token, bool inQuery);
    // The first frame from index `from` on that `match` accepts, waiting up to `ms` for it; {} if none.
    QJsonObject waitFor(const std::function<bool(const QJsonObject &)> &match, int from = 0, int ms = 10000);

    static std::function<bool(const QJsonObject &)> ofType(const QString &type);
};

} // namespace herald::test
