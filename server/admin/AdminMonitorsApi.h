#pragma once

#include "http/HttpResponse.h"
#include "storage/Records.h"

namespace herald {

class AdminSessions;
class AppCatalog;
class MonitorManager;
class Router;
class Storage;
struct HttpRequest;

// GET /admin/v1/monitors[?user=]: every login and what watches it — a built-in monitor (with its
// state: starting, watching, failing and why, stopped) or event sources ("events"). Open to helpdesk:
// "why does alice get no mail notifications" starts here.
class AdminMonitorsApi
{
public:
    AdminMonitorsApi(Storage &storage, AdminSessions &sessions, MonitorManager &monitors, const AppCatalog &apps);
    void registerRoutes(Router &router);
    // The login's monitor as the list shows it (also counted by the stats): its state, reasons and since.
    static QJsonObject describe(const LoginRecord &login, const MonitorManager &monitors, const AppCatalog &apps);

private:
    HttpResponse list(const HttpRequest &request);

    Storage &m_storage;
    AdminSessions &m_sessions;
    MonitorManager &m_monitors;
    const AppCatalog &m_apps;
};

} // namespace herald
