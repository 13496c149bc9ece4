#include "admin/AdminUsersApi.h"

#include "admin/NewPasswordHash.h"

#include "admin/AdminChange.h"
#include "admin/AdminJson.h"
#include "admin/AdminLog.h"
#include "admin/AdminSessions.h"
#include "admin/AuditLog.h"
#include "api/ReadThenAnswer.h"
#include "api/JsonFields.h"
#include "http/HttpRequest.h"
#include "http/Router.h"
#include "registry/PasswordHasher.h"
#include "storage/Storage.h"

#include <QJsonArray>

namespace herald {

AdminUsersApi::AdminUsersApi(Storage &storage, PasswordWorkPool &pool, AdminSessions &sessions,
                             AuditLog &audit, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_pool(pool)
    , m_sessions(sessions)
    , m_audit(audit)
{
}

void AdminUsersApi::registerRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/admin/v1/users"), [this](const HttpRequest &r) { return listUsers(r); });
    router.add("POST", QStringLiteral("/admin/v1/users"), [this](const HttpRequest &r) { return createUser(r); });
    router.add("POST", QStringLiteral("/admin/v1/users/{name}/disable"),
               [this](const HttpRequest &r) { return setDisabled(r, true); });
    router.add("POST", QStringLiteral("/admin/v1/users/{name}/enable"),
               [this](const HttpRequest &r) { return setDisabled(r, false); });
    router.add("POST", QStringLiteral("/admin/v1/users/{name}/password"),
               [this](const HttpRequest &r) { return resetPassword(r); });
    router.add("DELETE", QStringLiteral("/admin/v1/devices/{deviceId}"),
               [this](const HttpRequest &r) { return revokeDevice(r); });
}

bool AdminUsersApi::validAccountName(const QString &name, HttpResponse *failure)
{
    if (AdminJson::namePattern().match(name).hasMatch())
        return true;
    *failure = HttpResponse::error(protocol::ApiError::badRequest(
        QStringLiteral("invalid_value"),
        QStringLiteral("'%1' is not a valid account name (letters, digits, . _ @ + -, at most 128)").arg(name.left(64))));
    return false;
}

std::optional<AccountRecord> AdminUsersApi::accountNamed(Storage &storage, const QString &name,
                                                         AdminChangeResult &result)
{
    auto account = storage.accountByName(name);
    if (!account)
        result.refused = protocol::ApiError::notFound(QStringLiteral("no account named '%1'").arg(name));
    return account;
}

bool AdminUsersApi::accountBody(Storage &storage, qint64 accountId, AdminChangeResult &result)
{
    const auto account = storage.accountById(accountId);
    const auto devices = storage.devicesOfAccount(accountId);
    if (!account || !devices)
        return false;
    result.targetId = accountId;
    result.body = AdminJson::account(*account, int(devices->size()));
    return true;
}

QString AdminUsersApi::newPassword(JsonFields &body)
{
    const QString password = body.requiredString(QStringLiteral("password"), PasswordHasher::MaxPasswordBytes);
    if (body.ok() && password.size() < AdminJson::MinPasswordLength)
        body.fail(QStringLiteral("invalid_value"),
                  QStringLiteral("password must have at least %1 characters").arg(AdminJson::MinPasswordLength));
    if (body.ok() && password.toUtf8().size() > PasswordHasher::MaxPasswordBytes)
        body.fail(QStringLiteral("invalid_value"), QStringLiteral("password is too long"));
    return password;
}

HttpResponse AdminUsersApi::listUsers(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, false);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    // Every account, read on a reading connection; presence from the gateways is added here.
    struct Found
    {
        std::optional<QList<AccountRecord>> accounts;
        std::optional<QHash<qint64, int>> counts;
    };
    return readThenAnswer(
        m_storage, this,
        [](Storage &storage) { return Found{storage.accounts(), storage.deviceCountsByAccount()}; },
        [this](const Found &found) { return usersAnswer(found.accounts, found.counts); });
}

HttpResponse AdminUsersApi::usersAnswer(const std::optional<QList<AccountRecord>> &accounts,
                                        const std::optional<QHash<qint64, int>> &counts) const
{
    if (!accounts || !counts)
        return HttpResponse::error(protocol::ApiError::internal());
    QJsonArray list;
    const auto views = m_gateway ? m_gateway->accountWideViews(QDateTime::currentDateTimeUtc())
                                 : QHash<qint64, QHash<QString, GatewayPresence::View>>();
    for (const AccountRecord &account : *accounts) {
        QJsonObject o = AdminJson::account(account, counts->value(account.id));
        QJsonObject gateway;
        const auto ofAccount = views.value(account.id);
        for (auto it = ofAccount.cbegin(); it != ofAccount.cend(); ++it)
            gateway.insert(it.key(), AdminJson::gatewayView(it.value()));
        o.insert(QStringLiteral("gateway"), gateway);
        list.append(o);
    }
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("users"), list}});
}

HttpResponse AdminUsersApi::createUser(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, true);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    JsonFields body = JsonFields::fromRequest(request);
    const QString username = body.requiredString(QStringLiteral("username"), AdminJson::MaxNameLength,
                                                 &AdminJson::namePattern());
    const QString password = newPassword(body);
    if (!body.ok())
        return HttpResponse::error(body.error());
    // The name is checked again in the change itself: someone may take it while the hash is computed.
    return hashThenAnswer(m_pool, this, password,
                          [this, username, operatorName = auth.session->operatorName, peer = request.peer](const QString &hash) {
        return changeThenAnswer(m_storage, this, [username, hash, operatorName, peer](Storage &storage, AdminChangeResult &result) {
            if (storage.accountByName(username)) {
                result.refused = protocol::ApiError{409, QStringLiteral("conflict"),
                                                    QStringLiteral("account '%1' already exists").arg(username)};
                return false;
            }
            const auto created = storage.createAccount(username, hash);
            result.status = 201;
            return created && AuditLog::append(storage, operatorName, QStringLiteral("user.create"), username, peer) &&
                   accountBody(storage, *created, result);
        });
    });
}

HttpResponse AdminUsersApi::setDisabled(const HttpRequest &request, bool disabled)
{
    const auto auth = m_sessions.authenticate(request, true);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    const QString name = request.pathParams.value(QStringLiteral("name"));
    HttpResponse failure;
    if (!validAccountName(name, &failure))
        return failure;
    return changeThenAnswer(
        m_storage, this,
        [name, disabled, operatorName = auth.session->operatorName, peer = request.peer](Storage &storage,
                                                                                        AdminChangeResult &result) {
            const auto account = accountNamed(storage, name, result);
            return account && storage.setAccountDisabled(account->id, disabled) &&
                   AuditLog::append(storage, operatorName,
                                    disabled ? QStringLiteral("user.disable") : QStringLiteral("user.enable"),
                                    account->name, peer) &&
                   accountBody(storage, account->id, result);
        },
        [this](AdminChangeResult &result) {
            m_storage.forgetCachedTargets();
            Q_EMIT accountStatusChanged(result.targetId);
        });
}

HttpResponse AdminUsersApi::resetPassword(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, true);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    const QString name = request.pathParams.value(QStringLiteral("name"));
    HttpResponse failure;
    if (!validAccountName(name, &failure))
        return failure;
    JsonFields body = JsonFields::fromRequest(request);
    const QString password = newPassword(body);
    if (!body.ok())
        return HttpResponse::error(body.error());
    return hashThenAnswer(m_pool, this, password,
                          [this, name, operatorName = auth.session->operatorName, peer = request.peer](const QString &hash) {
        return changeThenAnswer(m_storage, this, [name, hash, operatorName, peer](Storage &storage, AdminChangeResult &result) {
            const auto account = accountNamed(storage, name, result);
            return account && storage.setAccountPassword(account->id, hash) &&
                   AuditLog::append(storage, operatorName, QStringLiteral("user.password"), account->name, peer);
        });
    });
}

HttpResponse AdminUsersApi::revokeDevice(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, true);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    const QString deviceId = request.pathParams.value(QStringLiteral("deviceId"));
    if (deviceId.isEmpty() || deviceId.size() > 128)
        return HttpResponse::error(protocol::ApiError::badRequest(QStringLiteral("invalid_value"),
                                                                  QStringLiteral("the device id must have 1 to 128 characters")));
    return changeThenAnswer(
        m_storage, this,
        [deviceId, operatorName = auth.session->operatorName, peer = request.peer](Storage &storage,
                                                                                  AdminChangeResult &result) {
            const auto device = storage.deviceByDeviceId(deviceId);
            if (!device) {
                result.refused =
                    protocol::ApiError::notFound(QStringLiteral("no device with id '%1'").arg(deviceId.left(64)));
                return false;
            }
            const auto account = storage.accountById(device->accountId);
            const QString target = deviceId + QStringLiteral(" (") + (account ? account->name : QString()) + QLatin1Char(')');
            result.targetId = device->id;
            return storage.deleteDevice(device->id) &&
                   AuditLog::append(storage, operatorName, QStringLiteral("device.revoke"), target, peer);
        },
        [this](AdminChangeResult &result) {
            m_storage.forgetCachedTargets();
            Q_EMIT deviceRevoked(result.targetId);
        });
}

} // namespace herald
