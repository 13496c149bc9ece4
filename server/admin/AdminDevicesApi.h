#pragma once

#include "http/HttpResponse.h"

#include <QObject>

namespace herald {

class AdminSessions;
class GatewayPresence;
class PresenceTracker;
class Router;
class Storage;
struct DeviceRecord;
struct HttpRequest;

// GET /admin/v1/devices: every device, or one user's, paged and searchable, each with its account,
// its live presence per app (from the PresenceTracker, not storage) and its push token's state.
// Open to helpdesk: it changes nothing.
class AdminDevicesApi : public QObject
{
    Q_OBJECT
public:
    AdminDevicesApi(Storage &storage, AdminSessions &sessions, const PresenceTracker &presence,
                    QObject *parent = nullptr);
    void registerRoutes(Router &router);
    // Adds each app's fresh gateway report (if any) to the devices' JSON as "gateway".
    void setGatewayPresence(const GatewayPresence *gateway) { m_gateway = gateway; }

    // The device as the console sees it: AdminJson::device plus account, online, presence, pushToken.
    QJsonObject deviceJson(const DeviceRecord &device, const QString &account) const;

private:
    HttpResponse listDevices(const HttpRequest &request);
    bool matchesPresence(const DeviceRecord &device, const QString &presence) const;

    Storage &m_storage;
    AdminSessions &m_sessions;
    const PresenceTracker &m_presence;
    const GatewayPresence *m_gateway = nullptr;
};

} // namespace herald
