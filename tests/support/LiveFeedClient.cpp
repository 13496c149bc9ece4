#include "LiveFeedClient.h"

#include "ServerProcess.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QSslConfiguration>

namespace herald::test {

bool LiveFeedClient::open(ServerProcess &server, const QString &token, bool inQuery)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(server.caCertificates());
    socket.setSslConfiguration(tls);
    QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket,
                     [this](const QString &text) { frames.append(QJsonDocument::fromJson(text.toUtf8()).object()); });
    QObject::connect(&socket, &QWebSocket::disconnected, &socket, [this] { closeCode = quint16(socket.closeCode()); });
    QUrl url(server.baseUrl().replace(QStringLiteral("https://"), QStringLiteral("wss://")) + QStringLiteral("/admin/v1/live"));
    QNetworkRequest request;
    if (inQuery)
        url.setQuery(QStringLiteral("access_token=") + token);
    else
        request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    request.setUrl(url);
    QSignalSpy connected(&socket, &QWebSocket::connected);
    socket.open(request);
    return connected.wait(10000);
}

QJsonObject LiveFeedClient::waitFor(const std::function<bool(const QJsonObject &)> &match, int from, int ms)
{
    QDeadlineTimer deadline(ms);
    for (;;) {
        for (int i = from; i < frames.size(); ++i)
            if (match(frames.at(i)))
                return frames.at(i);
        if (deadline.hasExpired())
            return {};
        QSignalSpy more(&socket, &QWebSocket::textMessageReceived);
        more.wait(int(qMax<qint64>(1, deadline.remainingTime())));
    }
}

std::function<bool(const QJsonObject &)> LiveFeedClient::ofType(const QString &type)
{
    return [type](const QJsonObject &o) { return o.value(QStringLiteral("type")).toString() == type; };
}

} // namespace herald::test
