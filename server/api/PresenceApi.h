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
    HttpResponse post(const HttpRequest &request);
    // One report of the body; false with *error (naming the field under prefix) when it is malformed.
    static bool parseReport(const QJsonObject &object, const QString &prefix, Parsed *out, protocol::ApiError *error);

    Storage &m_storage;
    GatewayPresence &m_gateway;
};

} // namespace herald
