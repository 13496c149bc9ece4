#pragma once

#include "api/DeviceAuthenticator.h"
#include "http/HttpResponse.h"

#include <QObject>
#include <QStringList>

namespace herald {

class AppCatalog;
class Dispatcher;
class MonitorManager;
class PresenceTracker;
class RequestLimiter;
class Router;
class Storage;
struct HttpRequest;
struct SessionSettings;

// The terminal calls after registration: login trigger, logout, the session channel upgrade,
// the notification list and open (PROTOCOL.md, terminal API).
class TerminalApi : public QObject
{
    Q_OBJECT
public:
    TerminalApi(Storage &storage, const DeviceAuthenticator &auth, PresenceTracker &presence, Dispatcher &dispatcher,
                MonitorManager &monitors, const AppCatalog &apps, const SessionSettings &config,
                QObject *parent = nullptr);
    void registerRoutes(Router &router);
    // Holds each account's logins to the limiter's rate; without one, no limit.
    void setLimiter(RequestLimiter *limiter) { m_limiter = limiter; }

    static constexpr int MaxCredentialsBytes = 4096;
    // How long POST /v1/login waits for the monitors it started to connect or fail.
    static constexpr int LoginMonitorWaitMs = 10000;

private:
    using Auth = DeviceAuthenticator::Result;

    // Each endpoint looks its bearer token up off the event loop (DeviceAuthenticator::withDevice);
    // the ...As() half answers once the device is known.
    HttpResponse login(const HttpRequest &request);
    HttpResponse loginAs(const HttpRequest &request, const Auth &auth);
    HttpResponse logout(const HttpRequest &request);
    HttpResponse logoutAs(const HttpRequest &request, const Auth &auth, const std::optional<QList<LoginRecord>> &logins);
    HttpResponse loginAnswer(qint64 accountId, const QStringList &apps) const;
    HttpResponse session(const HttpRequest &request);
    HttpResponse sessionAs(const HttpRequest &request, const Auth &auth);
    HttpResponse notifications(const HttpRequest &request);
    HttpResponse open(const HttpRequest &request);
    HttpResponse openAs(const Auth &auth, std::optional<NotificationRecord> n);
    HttpResponse openAnswer(const NotificationRecord &n) const; // full content and the launch descriptor

    Storage &m_storage;
    const DeviceAuthenticator &m_auth;
    PresenceTracker &m_presence;
    Dispatcher &m_dispatcher;
    MonitorManager &m_monitors;
    const AppCatalog &m_apps;
    const SessionSettings &m_config;
    RequestLimiter *m_limiter = nullptr;
};

} // namespace herald
