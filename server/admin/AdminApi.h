#pragma once

#include "admin/AdminSessions.h"
#include "admin/AuditLog.h"
#include "admin/LoginThrottle.h"
#include "http/HttpResponse.h"
#include "storage/Storage.h"

#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

namespace herald {

class ActivityCounters;
class AdminLiveFeed;
class AdminMonitorsApi;
class AdminNodesApi;
class NodeActivity;
class AdminOperatorsApi;
class AdminStatsApi;
class ProviderHealth;
struct AdminServerParts;
class AdminSourcesApi;
class AdminDevicesApi;
class GatewayPresence;
class AdminNotificationsApi;
class AdminTestPush;
class AdminUsersApi;
class AppCatalog;
class Dispatcher;
class PresenceTracker;
class ProviderRegistry;
class PasswordHasher;
class PasswordWorkPool;
class Router;
class Storage;
struct HttpRequest;

// The admin API (/admin/v1, PROTOCOL.md) used by herald-console: login and sessions, console
// operators and the audit log here; terminal accounts and devices in AdminUsersApi.
class AdminApi : public QObject
{
    Q_OBJECT
public:
    // Console logins verify their password on `pool`; `hasher` makes new hashes (operators, users).
    AdminApi(Storage &storage, const PasswordHasher &hasher, PasswordWorkPool &pool, QObject *parent = nullptr);
    ~AdminApi() override;
    // The running server's parts that the live feed, stats and monitor list follow; before registerRoutes().
    void observe(const AdminServerParts &parts);
    // The calls that need the live delivery side (devices with presence, notifications, test
    // push); made before registerRoutes().
    void attachDelivery(const PresenceTracker &presence, Dispatcher &dispatcher, const ProviderRegistry &providers,
                        const AppCatalog &apps);
    void registerRoutes(Router &router);
    // Where nodes share one database: the live feed shows every live node's frames (after
    // Storage::joinNodes(); AdminLiveFeed::shareAcrossNodes).
    void shareLiveFeed(int nodeHeartbeatSecs, int nodeTimeoutSecs);
    void stopSharingLiveFeed(); // a clean stop, before the storage closes
    // This node's presence and activity counts as its heartbeat reports them to the other nodes'
    // stats (NodeActivity); "" before observe().
    QByteArray activityReport() const;

    static constexpr qint64 SessionLifetimeSeconds = 8 * 3600;
    static constexpr int MaxLoginFailures = 5;
    static constexpr int LoginLockSeconds = 30;

signals:
    // An operator revoked a device; live sessions authenticated by its token must end.
    void deviceRevoked(qint64 deviceRowId);
    void accountStatusChanged(qint64 accountId); // a terminal account was disabled or enabled

private:
    HttpResponse login(const HttpRequest &request);
    // The operator of that name, read off the event loop; `then` runs back on it.
    void readOperator(const QString &name, std::function<void(const std::optional<OperatorRecord> &)> then);
    HttpResponse finishLogin(const std::optional<OperatorRecord> &op, const QString &username, bool passwordOk,
                             const QHostAddress &peer);
    HttpResponse logout(const HttpRequest &request);
    HttpResponse listOperators(const HttpRequest &request);
    HttpResponse createOperator(const HttpRequest &request);
    HttpResponse listAudit(const HttpRequest &request);
    // ?operator= ?action= ?since= ?until= of GET /admin/v1/audit, or the 400 to answer.
    static std::optional<AuditFilter> auditFilter(const HttpRequest &request, protocol::ApiError *error);

    Storage &m_storage;
    const PasswordHasher &m_hasher;
    PasswordWorkPool &m_pool;
    AdminSessions m_sessions;
    QTimer m_operatorRefresh; // AdminSessions::refresh()
    LoginThrottle m_throttle;
    AuditLog m_audit;
    AdminUsersApi *m_users = nullptr;
    std::unique_ptr<AdminSourcesApi> m_sources;
    AdminOperatorsApi *m_operators = nullptr;
    // Set by observe():
    std::unique_ptr<ActivityCounters> m_counters;
    std::unique_ptr<NodeActivity> m_activity;
    ProviderHealth *m_providerHealth = nullptr;
    AdminLiveFeed *m_live = nullptr;
    std::unique_ptr<AdminStatsApi> m_stats;
    std::unique_ptr<AdminMonitorsApi> m_monitors;
    std::unique_ptr<AdminNodesApi> m_nodes;
    const GatewayPresence *m_gateway = nullptr;
    AdminDevicesApi *m_devices = nullptr;
    AdminNotificationsApi *m_notifications = nullptr;
    AdminTestPush *m_testPush = nullptr;
    QString m_dummyHash; // verified against for unknown names, so timing does not reveal who exists
};

} // namespace herald
