#include "admin/AdminApi.h"

#include "admin/AdminDevicesApi.h"
#include "admin/AdminChange.h"
#include "admin/AdminJson.h"
#include "admin/ActivityCounters.h"
#include "admin/AdminListPage.h"
#include "admin/AdminLiveFeed.h"
#include "admin/AdminMonitorsApi.h"
#include "admin/AdminNodesApi.h"
#include "admin/AdminServerParts.h"
#include "admin/AdminStatsApi.h"
#include "admin/NodeActivity.h"
#include "admin/ProviderHealth.h"
#include "dispatch/Dispatcher.h"
#include "dispatch/EventIngestor.h"
#include "push/ProviderRegistry.h"
#include "admin/AdminOperatorsApi.h"
#include "admin/AdminSourcesApi.h"
#include "admin/AdminNotificationsApi.h"
#include "admin/AdminTestPush.h"
#include "admin/AdminLog.h"
#include "admin/AdminUsersApi.h"
#include "admin/NewPasswordHash.h"
#include "api/JsonFields.h"
#include "api/ReadThenAnswer.h"
#include "http/HttpRequest.h"
#include "http/Router.h"
#include "registry/PasswordHasher.h"
#include "registry/PasswordWorkPool.h"
#include "storage/Storage.h"
#include "crypto/RandomToken.h"

#include <QJsonArray>
#include <QPointer>

#include <memory>

namespace herald {
namespace {

const QStringList Roles{QStringLiteral("admin"), QStringLiteral("helpdesk")};
constexpr int MaxAuditLimit = 1000; // from before paging: ?limit= keeps its range

} // namespace

AdminApi::AdminApi(Storage &storage, const PasswordHasher &hasher, PasswordWorkPool &pool, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_hasher(hasher)
    , m_pool(pool)
    , m_sessions(storage, SessionLifetimeSeconds)
    , m_throttle(MaxLoginFailures, LoginLockSeconds)
    , m_audit(storage)
    , m_dummyHash(hasher.hash(RandomToken::urlSafe(16)))
{
    m_users = new AdminUsersApi(storage, pool, m_sessions, m_audit, this);
    connect(m_users, &AdminUsersApi::deviceRevoked, this, &AdminApi::deviceRevoked);
    connect(m_users, &AdminUsersApi::accountStatusChanged, this, &AdminApi::accountStatusChanged);
    m_sources = std::make_unique<AdminSourcesApi>(storage, m_sessions, m_audit);
    m_operators = new AdminOperatorsApi(storage, pool, m_sessions, m_audit, this);
    if (!m_sessions.loadOperators())
        qCWarning(lcAdmin).noquote() << "cannot read the console operators:" << storage.lastError();
    connect(&m_operatorRefresh, &QTimer::timeout, this, [this] { m_sessions.refresh(); });
    m_operatorRefresh.start(AdminSessions::RefreshMs);
}

AdminApi::~AdminApi() = default;

void AdminApi::observe(const AdminServerParts &parts)
{
    m_counters = std::make_unique<ActivityCounters>();
    connect(parts.ingestor, &EventIngestor::notificationCreated, this, [this] { m_counters->count(ActivityCounters::Events); });
    connect(parts.dispatcher, &Dispatcher::deliveryAttempted, this,
            [this](const DeliveryRecord &, AttemptChannel channel, const QString &outcome) {
                // Counted when delivered: an in-band delivery once acknowledged, a push once accepted.
                if (channel == AttemptChannel::InBand && outcome == QLatin1String("acked"))
                    m_counters->count(ActivityCounters::InBand);
                else if (channel == AttemptChannel::Push && outcome == QLatin1String("delivered"))
                    m_counters->count(ActivityCounters::Push);
                else if (outcome == QLatin1String("seen-in-app"))
                    m_counters->count(ActivityCounters::SeenInApp);
            });
    connect(parts.dispatcher, &Dispatcher::deliveryFinished, this, [this](const QString &, DeliveryState state) {
        if (state == DeliveryState::Failed)
            m_counters->count(ActivityCounters::Failed);
    });
    m_providerHealth = new ProviderHealth(this);
    for (Provider *provider : parts.providers->providers())
        m_providerHealth->watch(provider);
    m_live = new AdminLiveFeed(m_storage, m_sessions, parts, *m_providerHealth, this);
    connect(m_operators, &AdminOperatorsApi::operatorChanged, m_live, &AdminLiveFeed::recheckSessions);
    m_activity = std::make_unique<NodeActivity>(*parts.presence, *m_counters);
    m_stats = std::make_unique<AdminStatsApi>(m_storage, m_sessions, parts, *m_activity, *m_providerHealth);
    m_monitors = std::make_unique<AdminMonitorsApi>(m_storage, m_sessions, *parts.monitors, *parts.apps, *parts.dispatcher);
    m_nodes = std::make_unique<AdminNodesApi>(m_storage, m_sessions, *parts.dispatcher);
    m_gateway = parts.gateway;
    m_users->setGatewayPresence(m_gateway);
    if (m_devices)
        m_devices->setGatewayPresence(m_gateway);
}

void AdminApi::shareLiveFeed(int nodeHeartbeatSecs, int nodeTimeoutSecs)
{
    if (m_live)
        m_live->shareAcrossNodes(nodeHeartbeatSecs, nodeTimeoutSecs);
}

void AdminApi::stopSharingLiveFeed()
{
    if (m_live)
        m_live->stopSharing();
}

QByteArray AdminApi::activityReport() const
{
    return m_activity ? m_activity->report() : QByteArray();
}

void AdminApi::attachDelivery(const PresenceTracker &presence, Dispatcher &dispatcher,
                              const ProviderRegistry &providers, const AppCatalog &apps)
{
    m_devices = new AdminDevicesApi(m_storage, m_sessions, presence, dispatcher, this);
    m_devices->setGatewayPresence(m_gateway);
    m_notifications = new AdminNotificationsApi(m_storage, m_sessions, m_audit, dispatcher, apps, this);
    m_testPush = new AdminTestPush(m_storage, m_sessions, m_audit, dispatcher, providers, this);
}

void AdminApi::registerRoutes(Router &router)
{
    // A console's token may come from another node's login (or from before a restart): its row is
    // read before any route checks it.
    router.holdUnder(QStringLiteral("/admin/v1/"), [this](const HttpRequest &r) { return m_sessions.lookupFor(r); });
    router.add("POST", QStringLiteral("/admin/v1/login"), [this](const HttpRequest &r) { return login(r); });
    router.add("POST", QStringLiteral("/admin/v1/logout"), [this](const HttpRequest &r) { return logout(r); });
    router.add("GET", QStringLiteral("/admin/v1/operators"), [this](const HttpRequest &r) { return listOperators(r); });
    router.add("POST", QStringLiteral("/admin/v1/operators"), [this](const HttpRequest &r) { return createOperator(r); });
    router.add("GET", QStringLiteral("/admin/v1/audit"), [this](const HttpRequest &r) { return listAudit(r); });
    m_users->registerRoutes(router);
    m_sources->registerRoutes(router);
    m_operators->registerRoutes(router);
    if (m_live) { // observe() was called: a running server, not a bare API
        m_live->registerRoutes(router);
        m_stats->registerRoutes(router);
        m_monitors->registerRoutes(router);
        m_nodes->registerRoutes(router);
    }
    if (m_devices)
        m_devices->registerRoutes(router);
    if (m_notifications)
        m_notifications->registerRoutes(router);
    if (m_testPush)
        m_testPush->registerRoutes(router);
}

HttpResponse AdminApi::login(const HttpRequest &request)
{
    JsonFields body = JsonFields::fromRequest(request);
    const QString username = body.requiredString(QStringLiteral("username"), AdminJson::MaxNameLength,
                                                 &AdminJson::namePattern());
    const QString password = body.requiredString(QStringLiteral("password"), PasswordHasher::MaxPasswordBytes);
    if (!body.ok())
        return HttpResponse::error(body.error());
    if (password.toUtf8().size() > PasswordHasher::MaxPasswordBytes)
        return HttpResponse::error(protocol::ApiError::badRequest(QStringLiteral("invalid_value"),
                                                                  QStringLiteral("password is too long")));

    if (const int wait = m_throttle.lockedFor(username, request.peer)) {
        // Not audited: a guessing run would otherwise write a row per attempt. The lock itself was.
        qCInfo(lcAdmin) << "console login for" << username << "from" << request.peer.toString() << "throttled";
        HttpResponse response = HttpResponse::error(protocol::ApiError{
            429, QStringLiteral("too_many_attempts"),
            QStringLiteral("too many failed logins; try again in %1 s").arg(wait)});
        response.headers.append({"Retry-After", QByteArray::number(wait)});
        return response;
    }

    // Who it is, read off the event loop; then Argon2id on the worker pool; then the operator read
    // again (it may have changed during the wait) before a session is issued.
    const QHostAddress peer = request.peer;
    HttpResponse response;
    response.deferred = [this, username, password, peer](std::function<void(HttpResponse)> answer) {
        readOperator(username, [this, username, password, peer, answer](const std::optional<OperatorRecord> &op) {
            const QString encoded = op ? op->passwordHash : m_dummyHash;
            const bool queued = m_pool.verify(password, encoded, this, [this, username, peer, answer](bool passwordOk) {
                readOperator(username, [this, username, passwordOk, peer, answer](const std::optional<OperatorRecord> &op) {
                    answer(finishLogin(op, username, passwordOk, peer));
                });
            });
            if (!queued)
                answer(passwordWorkersBusy(m_pool));
        });
    };
    return response;
}

void AdminApi::readOperator(const QString &name, std::function<void(const std::optional<OperatorRecord> &)> then)
{
    auto found = std::make_shared<std::optional<OperatorRecord>>();
    m_storage.readInBackground([found, name](Storage &storage) { *found = storage.operatorByName(name); },
                               [self = QPointer<AdminApi>(this), found, then = std::move(then)] {
                                   if (self)
                                       then(*found);
                               });
}

HttpResponse AdminApi::finishLogin(const std::optional<OperatorRecord> &op, const QString &username, bool passwordOk,
                                   const QHostAddress &peer)
{
    if (!op || !passwordOk) {
        m_throttle.recordFailure(username, peer);
        const bool nowLocked = m_throttle.lockedFor(username, peer) > 0;
        m_audit.record(username, QStringLiteral("login"), QString(), peer,
                       nowLocked ? QStringLiteral("invalid_credentials, locked") : QStringLiteral("invalid_credentials"));
        return HttpResponse::error(protocol::ApiError{401, QStringLiteral("invalid_credentials"),
                                                      QStringLiteral("unknown username or wrong password")});
    }
    m_sessions.noteOperator(*op);
    if (op->disabled) {
        m_audit.record(username, QStringLiteral("login"), QString(), peer, QStringLiteral("account_disabled"));
        return HttpResponse::error(protocol::ApiError{403, QStringLiteral("account_disabled"),
                                                      QStringLiteral("this console account is disabled")});
    }
    m_throttle.recordSuccess(username, peer);
    // Answered once the session is committed, so that any node the console reaches next knows it.
    HttpResponse response;
    response.deferred = [this, op = *op, peer](std::function<void(HttpResponse)> answer) {
        m_sessions.issue(op, [this, op, peer, answer](const std::optional<AdminSessions::Issued> &issued) {
            if (!issued) {
                answer(HttpResponse::error(protocol::ApiError::internal()));
                return;
            }
            m_audit.record(op.name, QStringLiteral("login"), QString(), peer);
            answer(HttpResponse::json(200, QJsonObject{{QStringLiteral("token"), issued->token},
                                                       {QStringLiteral("role"), op.role},
                                                       {QStringLiteral("expiresAt"), AdminJson::time(issued->expiresAt)}}));
        });
    };
    return response;
}

HttpResponse AdminApi::logout(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, false);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    HttpResponse response;
    response.deferred = [this, request, name = auth.session->operatorName](std::function<void(HttpResponse)> answer) {
        m_sessions.revoke(request, [this, name, peer = request.peer, answer](bool ok) {
            if (!ok) {
                // Ended here already; other nodes would still take it until it expires.
                answer(HttpResponse::error(protocol::ApiError::internal()));
                return;
            }
            m_audit.record(name, QStringLiteral("logout"), QString(), peer);
            answer(HttpResponse::noContent());
        });
    };
    return response;
}

HttpResponse AdminApi::listOperators(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, true);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    return readThenAnswer(m_storage, this, [](Storage &storage) { return storage.operators(); },
                          [](const std::optional<QList<OperatorRecord>> &operators) {
        if (!operators)
            return HttpResponse::error(protocol::ApiError::internal());
        QJsonArray list;
        for (const OperatorRecord &op : *operators)
            list.append(AdminJson::operatorRecord(op));
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("operators"), list}});
    });
}

HttpResponse AdminApi::createOperator(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, true);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    JsonFields body = JsonFields::fromRequest(request);
    const QString username = body.requiredString(QStringLiteral("username"), AdminJson::MaxNameLength,
                                                 &AdminJson::namePattern());
    const QString password = body.requiredString(QStringLiteral("password"), PasswordHasher::MaxPasswordBytes);
    const QString role = body.requiredEnum(QStringLiteral("role"), Roles);
    if (body.ok() && password.size() < AdminJson::MinPasswordLength)
        body.fail(QStringLiteral("invalid_value"),
                  QStringLiteral("password must have at least %1 characters").arg(AdminJson::MinPasswordLength));
    if (body.ok() && password.toUtf8().size() > PasswordHasher::MaxPasswordBytes)
        body.fail(QStringLiteral("invalid_value"), QStringLiteral("password is too long"));
    if (!body.ok())
        return HttpResponse::error(body.error());
    // The name is checked in the change itself: someone may take it while the hash is computed.
    return hashThenAnswer(m_pool, this, password,
                          [this, username, role, operatorName = auth.session->operatorName, peer = request.peer](const QString &hash) {
        auto created = std::make_shared<std::optional<OperatorRecord>>();
        return changeThenAnswer(
            m_storage, this,
            [username, role, hash, operatorName, peer, created](Storage &storage, AdminChangeResult &result) {
                if (storage.operatorByName(username)) {
                    result.refused = protocol::ApiError{409, QStringLiteral("conflict"),
                                                        QStringLiteral("operator '%1' already exists").arg(username)};
                    return false;
                }
                if (!storage.createOperator(username, hash, role) ||
                    !AuditLog::append(storage, operatorName, QStringLiteral("operator.create"),
                                      username + QStringLiteral(" (") + role + QLatin1Char(')'), peer))
                    return false;
                *created = storage.operatorByName(username);
                if (!*created)
                    return false;
                result.status = 201;
                result.body = AdminJson::operatorRecord(**created);
                return true;
            },
            [this, created](AdminChangeResult &) { m_sessions.noteOperator(**created); });
    });
}

HttpResponse AdminApi::listAudit(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, false);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    protocol::ApiError error;
    const auto page = AdminListPage::fromQuery(request, &error, MaxAuditLimit);
    if (!page)
        return HttpResponse::error(error);
    const auto filter = auditFilter(request, &error);
    if (!filter)
        return HttpResponse::error(error);
    struct Found
    {
        std::optional<QList<AuditRecord>> entries;
        int total = 0;
    };
    return readThenAnswer(
        m_storage, this,
        [filter = *filter, page = *page](Storage &storage) {
            Found found;
            found.entries = storage.auditEntries(filter, page.offset, page.limit, &found.total);
            return found;
        },
        [page = *page](const Found &found) {
            if (!found.entries)
                return HttpResponse::error(protocol::ApiError::internal());
            QJsonArray list;
            for (const AuditRecord &entry : *found.entries)
                list.append(AdminJson::audit(entry));
            return HttpResponse::json(200, page.wrap(QJsonObject{{QStringLiteral("entries"), list}}, found.total));
        });
}

std::optional<AuditFilter> AdminApi::auditFilter(const HttpRequest &request, protocol::ApiError *error)
{
    const auto value = [&request](const QString &name) {
        return request.query.queryItemValue(name, QUrl::FullyDecoded);
    };
    AuditFilter filter;
    filter.operatorName = value(QStringLiteral("operator"));
    filter.action = value(QStringLiteral("action"));
    // The log keeps names up to 128 characters (a failed login's tried name) and short action words.
    if (filter.operatorName.size() > 128 || filter.action.size() > 64) {
        *error = protocol::ApiError::badRequest(QStringLiteral("invalid_value"),
                                                QStringLiteral("operator has at most 128 characters, action at most 64"));
        return std::nullopt;
    }
    for (const QString &name : {QStringLiteral("since"), QStringLiteral("until")}) {
        if (!request.query.hasQueryItem(name))
            continue;
        const QString text = value(name);
        const QDateTime t = text.size() <= 64 ? QDateTime::fromString(text, Qt::ISODateWithMs) : QDateTime();
        if (!t.isValid() || t.timeSpec() == Qt::LocalTime) {
            *error = protocol::ApiError::badRequest(
                QStringLiteral("invalid_value"),
                QStringLiteral("%1 must be an ISO 8601 time with a zone, e.g. 2026-01-31T12:00:00Z").arg(name));
            return std::nullopt;
        }
        (name == QLatin1String("since") ? filter.since : filter.until) = t;
    }
    if (filter.since.isValid() && filter.until.isValid() && filter.until < filter.since) {
        *error = protocol::ApiError::badRequest(QStringLiteral("invalid_value"), QStringLiteral("until is before since"));
        return std::nullopt;
    }
    return filter;
}

} // namespace herald
