#pragma once

#include "http/HttpResponse.h"
#include "storage/Storage.h"

#include <QHash>
#include <QObject>

namespace herald {

class AdminSessions;
class Dispatcher;
class GatewayPresence;
class PresenceTracker;
class Router;
struct DeviceRecord;
struct HttpRequest;

// GET /admin/v1/devices: every device, or one user's, paged and searchable, each with its account,
// its live presence per app (from the PresenceTracker, not storage) and its push token's state.
// In a cluster a device whose session another live node holds is online too, with the app that
// node published as on screen (live_sessions; the other apps show closed) and that node's name.
// Open to helpdesk: it changes nothing.
class AdminDevicesApi : public QObject
{
    Q_OBJECT
public:
    AdminDevicesApi(Storage &storage, AdminSessions &sessions, const PresenceTracker &presence,
                    const Dispatcher &dispatcher, QObject *parent = nullptr);
    void registerRoutes(Router &router);
    // Adds each app's fresh gateway report (if any) to the devices' JSON as "gateway".
    void setGatewayPresence(const GatewayPresence *gateway) { m_gateway = gateway; }

    // Sessions other live nodes hold, by device row id.
    using Elsewhere = QHash<qint64, Storage::SessionElsewhere>;
    // The device as the console sees it: AdminJson::device plus account, online, presence, node,
    // pushToken. `elsewhere`: the sessions other nodes hold.
    QJsonObject deviceJson(const DeviceRecord &device, const QString &account, const Elsewhere &elsewhere = {}) const;

private:
    HttpResponse listDevices(const HttpRequest &request);
    // Each registered app's presence word, and the node that holds the session ("" offline).
    QHash<QString, QString> presenceOf(const DeviceRecord &device, const Elsewhere &elsewhere, QString *node) const;
    bool matchesPresence(const DeviceRecord &device, const Elsewhere &elsewhere, const QString &presence) const;

    Storage &m_storage;
    AdminSessions &m_sessions;
    const PresenceTracker &m_presence;
    const Dispatcher &m_dispatcher;
    const GatewayPresence *m_gateway = nullptr;
};

} // namespace herald
