#pragma once

#include "admin/AdminSessions.h"
#include "admin/AuditLog.h"
#include "admin/LoginThrottle.h"
#include "http/HttpResponse.h"

#include <QObject>

namespace herald {

class AdminDevicesApi;
class AdminNotificationsApi;
class AdminTestPush;
class AdminUsersApi;
class AppCatalog;
class Dispatcher;
class PresenceTracker;
class ProviderRegistry;
class PasswordHasher;
class Router;
class Storage;
struct HttpRequest;

// The admin API (/admin/v1, PROTOCOL.md) used by herald-console: login and sessions, console
// operators and the audit log here; terminal accounts and devices in AdminUsersApi.
class AdminApi : public QObject
{
    Q_OBJECT
public:
    AdminApi(Storage &storage, const PasswordHasher &hasher, QObject *parent = nullptr);
    ~AdminApi() override;
    // The calls that need the live delivery side (devices with presence, notifications, test
    // push); made before registerRoutes().
    void attachDelivery(const PresenceTracker &presence, Dispatcher &dispatcher, const ProviderRegistry &providers,
                        const AppCatalog &apps);
    void registerRoutes(Router &router);

    static constexpr qint64 SessionLifetimeSeconds = 8 * 3600;
    static constexpr int MaxLoginFailures = 5;
    static constexpr int LoginLockSeconds = 30;

signals:
    // An operator revoked a device; live sessions authenticated by its token must end.
    void deviceRevoked(qint64 deviceRowId);

private:
    HttpResponse login(const HttpRequest &request);
    HttpResponse logout(const HttpRequest &request);
    HttpResponse listOperators(const HttpRequest &request);
    HttpResponse createOperator(const HttpRequest &request);
    HttpResponse listAudit(const HttpRequest &request);

    Storage &m_storage;
    const PasswordHasher &m_hasher;
    AdminSessions m_sessions;
    LoginThrottle m_throttle;
    AuditLog m_audit;
    AdminUsersApi *m_users = nullptr;
    AdminDevicesApi *m_devices = nullptr;
    AdminNotificationsApi *m_notifications = nullptr;
    AdminTestPush *m_testPush = nullptr;
    QString m_dummyHash; // verified against for unknown names, so timing does not reveal who exists
};

} // namespace herald
