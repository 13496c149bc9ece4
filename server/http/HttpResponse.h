#pragma once

#include "protocol/ApiError.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPair>

#include <functional>

namespace herald {

struct HttpRequest;
class TlsSocket;

struct HttpResponse
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool closeAfter = false;
    // Set by handlers that take the connection over (WebSocket upgrade): the HTTP layer writes
    // nothing, lets go of the socket and hands it over together with the request and whatever
    // the client already sent after it (a client may send its first frame right behind the upgrade).
    std::function<void(TlsSocket *socket, const HttpRequest &request, const QByteArray &pending)> takeOver;
    // Set by handlers whose answer depends on writes still under way (an event's rows, stored in
    // the background): the HTTP layer calls it when the answer passes the gate, i.e. once those
    // writes are committed, and sends what it returns instead of this response.
    std::function<HttpResponse()> finalize;
    // Set by handlers whose answer waits for something outside the request (a monitor's first
    // connection at login): the HTTP layer calls it with `answer` and reads nothing more from the
    // connection until `answer` is called, once, with the real response (which then passes the gate
    // like any other). The handler bounds the wait; a client that leaves meanwhile is no error.
    std::function<void(std::function<void(HttpResponse)> answer)> deferred;

    static HttpResponse json(int status, const QJsonObject &object);
    static HttpResponse json(int status, const QJsonArray &array);
    static HttpResponse error(const protocol::ApiError &error);
    static HttpResponse noContent();
    static HttpResponse text(int status, const QByteArray &body, const QByteArray &contentType);

    QByteArray serialize(bool keepAlive) const;
    static QByteArray reasonPhrase(int status);
};

} // namespace herald
