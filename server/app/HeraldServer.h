#pragma once

#include "app/ServerConfig.h"
#include "http/TlsIdentity.h"

#include <QHash>
#include <QObject>

#include <memory>

namespace herald {

class AccountStatusWatch;
class AdminApi;
class AppCatalog;
class CredentialVault;
struct ImapSettings;
class DeviceAuthenticator;
class Dispatcher;
class EventIngestor;
class EventsApi;
class GatewayPresence;
class HttpServer;
struct HttpLimits;
class MetricsService;
class MonitorManager;
class LastSeenCoalescer;
class PasswordHasher;
class PasswordWorkPool;
class PresenceApi;
class RequestLimiter;
class PresenceTracker;
class ProviderRegistry;
class RegistrationApi;
class ServerMetrics;
class Storage;
class TerminalApi;

// Wires the parts of a running server together: storage, TLS identity, the HTTPS listener and
// the APIs on it. Owns them all; stop() closes the listener and storage in order.
class HeraldServer : public QObject
{
    Q_OBJECT
public:
    explicit HeraldServer(const ServerConfig &config, QObject *parent = nullptr);
    ~HeraldServer() override;

    bool start(QString *error);
    void stop();
    // SIGHUP: re-reads the TLS certificate and key (new handshakes only) and the per-app privacy
    // levels from `fresh`. What cannot be applied is logged and returned; the old stays in force.
    QStringList reload(const ServerConfig &fresh);

    quint16 port() const;
    PresenceTracker *presence() const { return m_presence; }
    ProviderRegistry *providers() const { return m_providers; }
    MonitorManager *monitors() const { return m_monitors; }
    quint16 metricsPort() const; // the separate /metrics listener's, 0 without one
    const TlsIdentity &tls() const { return m_tls; }
    // Set on the very first start: the generated password of the `admin` console account.
    QString initialAdminPassword() const { return m_initialAdminPassword; }

private:
    bool bootstrapOperators(QString *error);
    bool setUpMonitors(QString *error);
    void setUpGatewayPresence();
    void registerRoutes();
    bool startMetrics(const HttpLimits &limits, QString *error);

    ServerConfig m_config;
    TlsIdentity m_tls;
    std::unique_ptr<Storage> m_storage;
    std::unique_ptr<PasswordHasher> m_hasher;
    // Declared after the hasher, so it is destroyed (waiting for running jobs) before it.
    std::unique_ptr<PasswordWorkPool> m_passwordPool;
    std::unique_ptr<DeviceAuthenticator> m_auth;
    HttpServer *m_http = nullptr;
    RegistrationApi *m_registration = nullptr;
    std::unique_ptr<AppCatalog> m_apps;
    PresenceTracker *m_presence = nullptr;
    ProviderRegistry *m_providers = nullptr;
    Dispatcher *m_dispatcher = nullptr;
    EventIngestor *m_ingestor = nullptr;
    MonitorManager *m_monitors = nullptr;
    AccountStatusWatch *m_accountWatch = nullptr;
    RequestLimiter *m_limiter = nullptr;
    LastSeenCoalescer *m_lastSeen = nullptr;
    bool m_joinedNodes = false; // entered in the nodes table: leave it at a clean stop
    TerminalApi *m_terminalApi = nullptr;
    std::unique_ptr<EventsApi> m_eventsApi;
    std::unique_ptr<GatewayPresence> m_gateway;
    std::unique_ptr<PresenceApi> m_presenceApi;
    std::unique_ptr<CredentialVault> m_vault;
    QHash<QString, std::shared_ptr<ImapSettings>> m_imapSections;
    AdminApi *m_admin = nullptr;
    ServerMetrics *m_metrics = nullptr;
    MetricsService *m_metricsService = nullptr;
    QString m_initialAdminPassword;
};

} // namespace herald
