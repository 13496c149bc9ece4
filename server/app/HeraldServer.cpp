#include "app/HeraldServer.h"

#include "admin/AdminApi.h"
#include "app/AccountStatusWatch.h"
#include "admin/AdminServerParts.h"
#include "api/DeviceAuthenticator.h"
#include "api/EventsApi.h"
#include "api/PresenceApi.h"
#include "api/RegistrationApi.h"
#include "api/TerminalApi.h"
#include "dispatch/AppSettings.h"
#include "dispatch/Dispatcher.h"
#include "dispatch/LiveSessionPublisher.h"
#include "dispatch/EventIngestor.h"
#include "monitor/MonitorLeases.h"
#include "monitor/MonitorManager.h"
#include "monitor/imap/ImapMonitorFactory.h"
#include "monitor/imap/ImapSettings.h"
#include "registry/CredentialVault.h"
#include "presence/Presence.h"
#include "presence/GatewayPresence.h"
#include "presence/PresenceTracker.h"
#include "push/ProviderRegistry.h"
#include "app/AppLog.h"
#include "app/NodeName.h"
#include "app/StorageFactory.h"
#include "http/HttpServer.h"
#include "limits/RequestLimiter.h"
#include "metrics/MetricsService.h"
#include "metrics/ServerMetrics.h"
#include "registry/LastSeenCoalescer.h"
#include "registry/PasswordHasher.h"
#include "registry/PasswordWorkPool.h"
#include "storage/Storage.h"
#include "crypto/RandomToken.h"
#include "HeraldVersion.h"

#include <QPointer>
#include <QDir>
#include <QSaveFile>
#include <QTimer>

#include <utility>

namespace herald {

HeraldServer::HeraldServer(const ServerConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
{
}

HeraldServer::~HeraldServer()
{
    stop();
}

bool HeraldServer::start(QString *error)
{
    m_storage = openStorage(m_config, error);
    if (!m_storage)
        return false;
    const auto node = loadOrCreateNodeName(m_config.dataDir, error);
    if (!node)
        return false;
    m_hasher = std::make_unique<PasswordHasher>(m_config.kdfMemoryKib, m_config.kdfIterations);
    m_passwordPool = std::make_unique<PasswordWorkPool>(*m_hasher, m_config.passwordWorkers, m_config.passwordQueue);
    m_auth = std::make_unique<DeviceAuthenticator>(*m_storage);
    if (!bootstrapOperators(error))
        return false;
    m_apps = std::make_unique<AppCatalog>();
    if (!m_apps->load(m_config.sections, error))
        return false;
    m_providers = new ProviderRegistry(this);
    if (!m_providers->load(m_config.sections, m_config.dataDir, error))
        return false;
    m_presence = new PresenceTracker(this);
    m_dispatcher = new Dispatcher(*m_storage, *m_presence, *m_providers, *m_apps, m_config.dispatch, this);
    m_ingestor = new EventIngestor(*m_storage, *m_presence, *m_dispatcher, m_config.dispatch, this);
    m_monitors = new MonitorManager(*m_storage, *m_apps, *m_ingestor, this);
    m_accountWatch = new AccountStatusWatch(*m_storage, *m_monitors, *m_presence, this);
    if (!setUpMonitors(error))
        return false;
    // last_seen feeds the "latest device" policy across restarts. A storm of reconnects or state
    // frames must not become a storm of writes: at most one per device per interval.
    m_lastSeen = new LastSeenCoalescer(
        m_config.lastSeenIntervalSecs * 1000,
        [this](const QList<LastSeenCoalescer::Seen> &seen) {
            // On the background writer, with the outbox's rows: a last-seen time is nobody's
            // answer, and on PostgreSQL each one would otherwise be a round trip on the event loop.
            // A sweep's devices come as one list, one statement per unit (not one unit each, which
            // queued the events behind thousands of round trips).
            m_storage->writeInBackground([seen](Storage &storage) { return storage.touchDevices(seen); },
                                         [devices = seen.size()](bool ok) {
                                             if (!ok)
                                                 qCWarning(lcApp) << "cannot store when" << devices
                                                                  << "devices were last seen";
                                         });
        },
        this);
    m_lastSeen->startTimer();
    auto touch = [this](qint64 deviceId) { m_lastSeen->touch(deviceId, QDateTime::currentDateTimeUtc()); };
    connect(m_presence, &PresenceTracker::sessionReady, this, touch);
    connect(m_presence, &PresenceTracker::presenceChanged, this, [touch](qint64 deviceId, const QString &, Presence p) {
        if (p != Presence::Offline)
            touch(deviceId);
    });
    setUpGatewayPresence();

    const bool tlsOk = m_config.tlsCertFile.isEmpty()
                           ? m_tls.loadOrCreateSelfSigned(m_config.dataDir, error)
                           : m_tls.loadFiles(m_config.tlsCertFile, m_config.tlsKeyFile, error);
    if (!tlsOk)
        return false;
    qCInfo(lcApp).noquote() << "TLS certificate" << m_tls.certificatePath() << "SHA-256 fingerprint"
                            << m_tls.fingerprint();

    HttpLimits limits;
    limits.maxBodyBytes = m_config.maxBodyBytes;
    limits.headerTimeoutMs = m_config.requestTimeoutSecs * 1000;
    m_http = new HttpServer(limits, this);
    if (!m_http->setTlsCredentials(m_tls.chain(), m_tls.key(), error))
        return false;
    // Group commit: the writes of one event-loop pass share a transaction, and answers wait for it.
    m_storage->setGroupCommit(true);
    m_http->setResponseGate([this](std::function<void(bool)> write) { m_storage->whenDurable(std::move(write)); });
    registerRoutes();
    if (!m_http->listen(m_config.listenAddress, m_config.listenPort)) {
        *error = QStringLiteral("cannot listen on %1: %2").arg(m_config.listenString(), m_http->errorString());
        return false;
    }
    // After the main listener, so "listening on" in the log is always the main one's address.
    if (!startMetrics(limits, error))
        return false;
    ServerConfig actual = m_config;
    actual.listenPort = m_http->serverPort();
    // The outbox's claims: this run enters the nodes table under the data folder's node name
    // (dropping that node's earlier runs, so their unfinished deliveries are claimed at once).
    if (!m_storage->joinNodes(*node)) {
        *error = QStringLiteral("cannot enter this server in the nodes table: %1").arg(m_storage->lastError());
        return false;
    }
    m_joinedNodes = true;
    qCInfo(lcApp).noquote() << "node" << *node;
    if (m_storage->canMessageNodes()) {
        // A cluster's nodes hand each other in-band deliveries (docs/architecture.md, "Cluster").
        new LiveSessionPublisher(*m_storage, *m_presence, this);
        m_storage->setHandOverReceiver([dispatcher = QPointer<Dispatcher>(m_dispatcher)](const QString &id) {
            if (dispatcher)
                dispatcher->receiveHandOver(id);
        });
        m_storage->setWithdrawReceiver([dispatcher = QPointer<Dispatcher>(m_dispatcher)](const QString &id) {
            if (dispatcher)
                dispatcher->withdrawnElsewhere(id);
        });
        // And a console on any node follows the live feed of all of them.
        m_admin->shareLiveFeed(m_config.dispatch.nodeHeartbeatSecs, m_config.dispatch.nodeTimeoutSecs);
    }
    // Each heartbeat tells the other nodes' consoles where this one listens and what it holds, and
    // their stats its presence and activity counts.
    m_dispatcher->setNodeReporter([this, address = actual.listenString()] {
        return Storage::NodeReport{address, QStringLiteral(HERALD_VERSION_STRING), m_presence->sessionCount(),
                                   m_monitors->runningMonitors(), m_admin->activityReport()};
    });
    m_dispatcher->resume();
    // Each login is watched by one node of a cluster: this run takes its share (all of them when
    // it runs alone) and starts their monitors, then renews the leases at every heartbeat.
    (new MonitorLeases(*m_storage, *m_monitors, m_config.dispatch.nodeHeartbeatSecs,
                       m_config.dispatch.nodeTimeoutSecs, this))
        ->start();
    m_accountWatch->start();
    qCInfo(lcApp).noquote() << "listening on https://" + actual.listenString();
    return true;
}

bool HeraldServer::startMetrics(const HttpLimits &limits, QString *error)
{
    if (!m_config.metrics.enabled)
        return true;
    m_metrics = new ServerMetrics(this);
    m_metrics->watchRouter(m_http->router());
    m_metrics->watchIngestor(*m_ingestor);
    m_metrics->watchDispatcher(*m_dispatcher);
    m_metrics->watchPresence(*m_presence);
    m_metrics->watchMonitors(*m_monitors);
    m_metrics->watchStorage(*m_storage);
    m_metrics->watchLimits(*m_limiter, *m_passwordPool);
    m_metricsService = new MetricsService(m_config.metrics, *m_metrics, this);
    return m_metricsService->start(m_http->router(), m_tls, limits, error);
}

quint16 HeraldServer::metricsPort() const
{
    return m_metricsService ? m_metricsService->separatePort() : 0;
}

void HeraldServer::registerRoutes()
{
    Router &router = m_http->router();
    router.add("GET", QStringLiteral("/healthz"), [this](const HttpRequest &) {
        // Healthy means the database answers, not merely that the process is alive.
        if (m_storage->schemaVersion() <= 0)
            return HttpResponse::error(protocol::ApiError{503, QStringLiteral("unavailable"),
                                                          QStringLiteral("storage is not available")});
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}});
    });
    m_registration = new RegistrationApi(*m_storage, *m_hasher, *m_passwordPool, *m_auth, this);
    m_registration->registerRoutes(router);
    // A forgotten or re-registered device's token is dead: so is any session it opened.
    connect(m_registration, &RegistrationApi::deviceRemoved, m_presence,
            [this](qint64 id) { m_presence->disconnectDevice(id, "device unregistered"); });
    connect(m_registration, &RegistrationApi::deviceTokenReplaced, m_presence,
            [this](qint64 id) { m_presence->disconnectDevice(id, "device token replaced"); });
    m_terminalApi = new TerminalApi(*m_storage, *m_auth, *m_presence, *m_dispatcher, *m_monitors, *m_apps, m_config.session, this);
    m_terminalApi->registerRoutes(router);
    m_eventsApi = std::make_unique<EventsApi>(*m_storage, *m_ingestor);
    m_eventsApi->registerRoutes(router);
    // Rate limits go in front of the routes above, and into the two handlers that know the account.
    m_limiter = new RequestLimiter(m_config.limits, this);
    m_limiter->guardRoutes(router);
    m_registration->setLimiter(m_limiter);
    m_terminalApi->setLimiter(m_limiter);
    m_presenceApi = std::make_unique<PresenceApi>(*m_storage, *m_gateway);
    m_presenceApi->registerRoutes(router);
    m_admin = new AdminApi(*m_storage, *m_hasher, *m_passwordPool, this);
    m_admin->observe(AdminServerParts{m_presence, m_dispatcher, m_ingestor, m_monitors, m_providers, m_apps.get(),
                                     m_gateway.get()});
    m_admin->attachDelivery(*m_presence, *m_dispatcher, *m_providers, *m_apps);
    m_admin->registerRoutes(router);
    connect(m_admin, &AdminApi::deviceRevoked, m_presence,
            [this](qint64 id) { m_presence->disconnectDevice(id, "device revoked by an operator"); });
    connect(m_admin, &AdminApi::accountStatusChanged, m_accountWatch, &AccountStatusWatch::check);
}

void HeraldServer::setUpGatewayPresence()
{
    // Gateways' reports (POST /v1/presence) against the terminals' own frames: the time of each
    // device's latest state frame decides which of the two is newer.
    m_gateway = std::make_unique<GatewayPresence>();
    m_dispatcher->setGatewayPresence(m_gateway.get());
    connect(m_presence, &PresenceTracker::presenceChanged, this, [this](qint64 deviceId, const QString &app, Presence) {
        m_gateway->noteClientState(deviceId, app, QDateTime::currentDateTimeUtc());
    });
    connect(m_presence, &PresenceTracker::sessionClosed, this, [this](qint64 deviceId) { m_gateway->forgetClient(deviceId); });
    auto *prune = new QTimer(this);
    connect(prune, &QTimer::timeout, this, [this] { m_gateway->prune(QDateTime::currentDateTimeUtc()); });
    prune->start(60'000);
}

bool HeraldServer::bootstrapOperators(QString *error)
{
    const auto count = m_storage->operatorCount();
    if (!count) {
        *error = QStringLiteral("cannot read console accounts: %1").arg(m_storage->lastError());
        return false;
    }
    if (*count > 0)
        return true;
    m_initialAdminPassword = RandomToken::urlSafe(18);
    if (!m_storage->createOperator(QStringLiteral("admin"), m_hasher->hash(m_initialAdminPassword),
                                   QStringLiteral("admin"))) {
        // The nodes of a new cluster start at once on an empty database, and each finds no account:
        // the first insert wins, and its node holds the password.
        const QString failed = m_storage->lastError();
        m_initialAdminPassword.clear();
        if (m_storage->operatorCount().value_or(0) > 0) {
            qCInfo(lcApp) << "another node created the console account 'admin' at the same time;"
                          << "its password is in that node's data folder";
            return true;
        }
        *error = QStringLiteral("cannot create the admin console account: %1").arg(failed);
        return false;
    }
    // Shown once: on stdout for whoever started the server, and in an owner-only file for a daemon.
    const QString path = QDir(m_config.dataDir).filePath(QStringLiteral("initial-admin-password"));
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly)) {
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        file.write(m_initialAdminPassword.toUtf8() + '\n');
        file.commit();
    }
    qCInfo(lcApp).noquote() << "created the console account 'admin'; its password is in" << path;
    return true;
}

bool HeraldServer::setUpMonitors(QString *error)
{
    for (const ConfigSection &section : std::as_const(m_config.sections)) {
        if (!section.name.startsWith(QLatin1String("imap.")))
            continue;
        auto settings = ImapSettings::fromSection(section.values, section.name, section.fileName, error);
        if (!settings)
            return false;
        m_imapSections.insert(section.name, std::make_shared<ImapSettings>(*settings));
    }
    m_monitors->setFactory([this](const QString &section, const MonitorContext &context, QString *error) -> Monitor * {
        const auto settings = m_imapSections.value(section);
        if (!settings) {
            *error = QStringLiteral("no monitor section [%1]").arg(section);
            return nullptr;
        }
        return ImapMonitorFactory(*settings).create(context);
    });
    // Users' own app passwords are sealed with AES-256-GCM under a key that never leaves the data folder.
    // A cluster's nodes open each other's sealed passwords when a login moves: they share one key.
    const QString keyFile = m_config.credentialKeyFile.isEmpty()
                                ? QDir(m_config.dataDir).filePath(QStringLiteral("credentials.key"))
                                : m_config.credentialKeyFile;
    m_vault = CredentialVault::open(keyFile, error);
    if (!m_vault)
        return false;
    m_monitors->setSealer(
        [this](const QByteArray &plain, const QByteArray &aad) { return m_vault->encrypt(plain, aad); },
        [this](const QByteArray &record, const QByteArray &aad) { return m_vault->decrypt(record, aad).value_or(QByteArray()); });
    return true;
}

QStringList HeraldServer::reload(const ServerConfig &fresh)
{
    QStringList problems;
    TlsIdentity renewed;
    QString error;
    const bool tlsOk = fresh.tlsCertFile.isEmpty() ? renewed.loadOrCreateSelfSigned(m_config.dataDir, &error)
                                                   : renewed.loadFiles(fresh.tlsCertFile, fresh.tlsKeyFile, &error);
    if (!tlsOk) {
        problems << QStringLiteral("TLS certificate not reloaded, the old one stays: %1").arg(error);
    } else if (m_http && (!m_http->setTlsCredentials(renewed.chain(), renewed.key(), &error) ||
                          (m_metricsService && !m_metricsService->setTlsCredentials(renewed, &error)))) {
        problems << QStringLiteral("TLS certificate not reloaded, the old one stays: %1").arg(error);
    } else if (m_http) {
        const bool changed = renewed.fingerprint() != m_tls.fingerprint();
        m_tls = renewed;
        m_config.tlsCertFile = fresh.tlsCertFile;
        m_config.tlsKeyFile = fresh.tlsKeyFile;
        qCInfo(lcApp).noquote() << (changed ? "TLS certificate renewed:" : "TLS certificate unchanged:")
                                << m_tls.certificatePath() << "SHA-256 fingerprint" << m_tls.fingerprint();
    }
    AppCatalog apps;
    if (!apps.load(fresh.sections, &error)) {
        problems << QStringLiteral("app settings not reloaded, the old ones stay: %1").arg(error);
    } else if (m_apps) {
        const QStringList changed = m_apps->applyPrivacy(apps);
        if (!changed.isEmpty())
            qCInfo(lcApp).noquote() << "privacy level changed for:" << changed.join(QStringLiteral(", "));
    }
    for (const QString &problem : std::as_const(problems))
        qCWarning(lcApp).noquote() << problem;
    return problems;
}

void HeraldServer::stop()
{
    if (m_storage) {
        m_storage->setHandOverReceiver({});
        m_storage->setWithdrawReceiver({});
    }
    if (m_admin) // while the background writer still runs: its "off" reaches the other nodes
        m_admin->stopSharingLiveFeed();
    // First: reads and background writes under way finish, and their answers run, while
    // everything they answer to is still there. What follows writes inline.
    if (m_storage)
        m_storage->setGroupCommit(false);
    if (m_lastSeen && m_storage)
        m_lastSeen->flushAll();
    if (m_monitors)
        m_monitors->stopAll();
    if (m_metricsService)
        m_metricsService->close();
    if (m_http) {
        m_http->close();
        delete m_http;
        m_http = nullptr;
    }
    // Once: stop() runs again from the destructor, when the database is closed.
    if (m_storage && std::exchange(m_joinedNodes, false) && !m_storage->leaveNodes())
        qCWarning(lcApp) << "cannot leave the nodes table; other nodes take over once this run's heartbeat ages:"
                         << m_storage->lastError();
    if (m_storage)
        m_storage->close();
}

quint16 HeraldServer::port() const
{
    return m_http ? m_http->serverPort() : 0;
}

} // namespace herald
