#include "admin/AdminUsersApi.h"

#include "admin/NewPasswordHash.h"

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

std::optional<AccountRecord> AdminUsersApi::findAccount(const QString &name, HttpResponse *failure)
{
    if (!AdminJson::namePattern().match(name).hasMatch()) {
        *failure = HttpResponse::error(protocol::ApiError::badRequest(
            QStringLiteral("invalid_value"),
            QStringLiteral("'%1' is not a valid account name (letters, digits, . _ @ + -, at most 128)").arg(name.left(64))));
        return std::nullopt;
    }
    auto account = m_storage.accountByName(name);
    if (!account)
        *failure = HttpResponse::error(protocol::ApiError::notFound(QStringLiteral("no account named '%1'").arg(name)));
    return account;
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

HttpResponse AdminUsersApi::accountResponse(int status, qint64 accountId)
{
    const auto account = m_storage.accountById(accountId);
    const auto devices = m_storage.devicesOfAccount(accountId);
    if (!account || !devices)
        return HttpResponse::error(protocol::ApiError::internal());
    return HttpResponse::json(status, AdminJson::account(*account, int(devices->size())));
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
    if (m_storage.accountByName(username))
        return HttpResponse::error(protocol::ApiError{409, QStringLiteral("conflict"),
                                                      QStringLiteral("account '%1' already exists").arg(username)});
    return hashThenAnswer(m_pool, this, password,
                          [this, username, operatorName = auth.session->operatorName, peer = request.peer](const QString &hash) {
        if (m_storage.accountByName(username)) // made by someone else while the hash was computed
            return HttpResponse::error(protocol::ApiError{409, QStringLiteral("conflict"),
                                                          QStringLiteral("account '%1' already exists").arg(username)});
        qint64 id = 0;
        const bool ok = m_storage.transaction([&] {
            const auto created = m_storage.createAccount(username, hash);
            id = created.value_or(0);
            return created && m_audit.record(operatorName, QStringLiteral("user.create"), username, peer);
        });
        if (!ok)
            return HttpResponse::error(protocol::ApiError::internal());
        return accountResponse(201, id);
    });
}

HttpResponse AdminUsersApi::setDisabled(const HttpRequest &request, bool disabled)
{
    const auto auth = m_sessions.authenticate(request, true);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    HttpResponse failure;
    const auto account = findAccount(request.pathParams.value(QStringLiteral("name")), &failure);
    if (!account)
        return failure;
    const bool ok = m_storage.transaction([&] {
        return m_storage.setAccountDisabled(account->id, disabled) &&
               m_audit.record(auth.session->operatorName,
                              disabled ? QStringLiteral("user.disable") : QStringLiteral("user.enable"), account->name,
                              request.peer);
    });
    if (!ok)
        return HttpResponse::error(protocol::ApiError::internal());
    Q_EMIT accountStatusChanged(account->id);
    return accountResponse(200, account->id);
}

HttpResponse AdminUsersApi::resetPassword(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, true);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    HttpResponse failure;
    const auto account = findAccount(request.pathParams.value(QStringLiteral("name")), &failure);
    if (!account)
        return failure;
    JsonFields body = JsonFields::fromRequest(request);
    const QString password = newPassword(body);
    if (!body.ok())
        return HttpResponse::error(body.error());
    return hashThenAnswer(m_pool, this, password,
                          [this, accountId = account->id, name = account->name, operatorName = auth.session->operatorName,
                           peer = request.peer](const QString &hash) {
        const bool ok = m_storage.transaction([&] {
            return m_storage.setAccountPassword(accountId, hash) &&
                   m_audit.record(operatorName, QStringLiteral("user.password"), name, peer);
        });
        return ok ? HttpResponse::noContent() : HttpResponse::error(protocol::ApiError::internal());
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
    const auto device = m_storage.deviceByDeviceId(deviceId);
    if (!device)
        return HttpResponse::error(protocol::ApiError::notFound(QStringLiteral("no device with id '%1'").arg(deviceId.left(64))));
    const auto account = m_storage.accountById(device->accountId);
    const QString target = deviceId + QStringLiteral(" (") + (account ? account->name : QString()) + QLatin1Char(')');
    const bool ok = m_storage.transaction([&] {
        return m_storage.deleteDevice(device->id) &&
               m_audit.record(auth.session->operatorName, QStringLiteral("device.revoke"), target, request.peer);
    });
    if (!ok)
        return HttpResponse::error(protocol::ApiError::internal());
    Q_EMIT deviceRevoked(device->id);
    return HttpResponse::noContent();
}

} // namespace herald
