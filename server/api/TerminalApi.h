#pragma once

#include "http/HttpResponse.h"

#include <QObject>

namespace herald {

class AppCatalog;
class DeviceAuthenticator;
class Dispatcher;
class MonitorManager;
class PresenceTracker;
class Router;
class Storage;
struct HttpRequest;
struct ServerConfig;

// The terminal calls after registration: login trigger, logout, the session channel upgrade,
// the notification list and open (PROTOCOL.md, terminal API).
class TerminalApi : public QObject
{
    Q_OBJECT
public:
    TerminalApi(Storage &storage, const DeviceAuthenticator &auth, PresenceTracker &presence, Dispatcher &dispatcher,
                MonitorManager &monitors, const AppCatalog &apps, const ServerConfig &config,
                QObject *parent = nullptr);
    void registerRoutes(Router &router);

    static constexpr int MaxCredentialsBytes = 4096;

private:
    HttpResponse login(const HttpRequest &request);
    HttpResponse logout(const HttpRequest &request);
    HttpResponse session(const HttpRequest &request);
    HttpResponse notifications(const HttpRequest &request);
    HttpResponse open(const HttpRequest &request);

    Storage &m_storage;
    const DeviceAuthenticator &m_auth;
    PresenceTracker &m_presence;
    Dispatcher &m_dispatcher;
    MonitorManager &m_monitors;
    const AppCatalog &m_apps;
    const ServerConfig &m_config;
};

} // namespace herald
