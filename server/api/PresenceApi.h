#pragma once

#include "http/HttpResponse.h"
#include "presence/GatewayPresence.h"

#include <QJsonObject>

namespace herald {

class Router;
class Storage;
struct HttpRequest;

// POST /v1/presence: remote-app gateways say which app is in the foreground of a user's remote
// session (or on one device), so nobody is pushed about mail they are looking at. Only a source of
// kind "presence" may call it; such a token cannot post events, nor an event token report presence.
// Its answers wait for a read on a reading connection; the server drains those (Storage::setGroupCommit(false))
// before it lets go of this object.
class PresenceApi
{
public:
    static constexpr int MaxReports = 1000;
    // A full batch (1 000 reports with device ids) is larger than the default body limit.
    static constexpr qint64 MaxBodyBytes = 512 * 1024;

    PresenceApi(Storage &storage, GatewayPresence &gateway);
    void registerRoutes(Router &router);

private:
    struct Parsed
    {
        QString account;
        QString app;
        QString device;
        GatewayPresence::Report report;
    };
    // What a batch's names are in storage, per report (read off the event loop).
    struct Rows;
    HttpResponse post(const HttpRequest &request);
    HttpResponse apply(QList<Parsed> reports, const Rows &rows, const QString &sourceName);
    // One report of the body; false with *error (naming the field under prefix) when it is malformed.
    static bool parseReport(const QJsonObject &object, const QString &prefix, Parsed *out, protocol::ApiError *error);

    Storage &m_storage;
    GatewayPresence &m_gateway;
};

} // namespace herald
