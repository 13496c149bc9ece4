#include "admin/AdminOperatorsApi.h"

#include "admin/NewPasswordHash.h"

#include "admin/AdminJson.h"
#include "admin/AdminSessions.h"
#include "admin/AdminUsersApi.h"
#include "admin/AuditLog.h"
#include "api/JsonFields.h"
#include "http/HttpRequest.h"
#include "http/Router.h"
#include "registry/PasswordHasher.h"
#include "storage/Storage.h"

namespace herald {

namespace {

const QString Admin = QStringLiteral("admin");

protocol::ApiError lastAdmin(const QString &name)
{
    return {409, QStringLiteral("last_admin"),
            QStringLiteral("'%1' is the last enabled admin; make another operator admin first").arg(name)};
}

} // namespace

AdminOperatorsApi::AdminOperatorsApi(Storage &storage, PasswordWorkPool &pool, AdminSessions &sessions,
                                     AuditLog &audit, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_pool(pool)
    , m_sessions(sessions)
    , m_audit(audit)
{
}

void AdminOperatorsApi::registerRoutes(Router &router)
{
    router.add("POST", QStringLiteral("/admin/v1/operators/{name}/disable"),
               [this](const HttpRequest &r) { return setDisabled(r, true); });
    router.add("POST", QStringLiteral("/admin/v1/operators/{name}/enable"),
               [this](const HttpRequest &r) { return setDisabled(r, false); });
    router.add("POST", QStringLiteral("/admin/v1/operators/{name}/role"), [this](const HttpRequest &r) { return setRole(r); });
    router.add("POST", QStringLiteral("/admin/v1/operators/{name}/password"),
               [this](const HttpRequest &r) { return setPassword(r); });
}

std::optional<OperatorRecord> AdminOperatorsApi::findOperator(const HttpRequest &request, HttpResponse *failure)
{
    const QString name = request.pathParams.value(QStringLiteral("name"));
    if (!AdminJson::namePattern().match(name).hasMatch()) {
        *failure = HttpResponse::error(protocol::ApiError::badRequest(
            QStringLiteral("invalid_value"),
            QStringLiteral("'%1' is not a valid operator name (letters, digits, . _ @ + -, at most 128)").arg(name.left(64))));
        return std::nullopt;
    }
    auto op = m_storage.operatorByName(name);
    if (!op)
        *failure = HttpResponse::error(protocol::ApiError::notFound(QStringLiteral("no operator named '%1'").arg(name)));
    return op;
}

std::optional<bool> AdminOperatorsApi::isLastAdmin(const OperatorRecord &op)
{
    if (op.role != Admin || op.disabled)
        return false;
    const auto operators = m_storage.operators();
    if (!operators)
        return std::nullopt;
    int enabledAdmins = 0;
    for (const OperatorRecord &other : *operators)
        enabledAdmins += other.role == Admin && !other.disabled;
    return enabledAdmins <= 1;
}

HttpResponse AdminOperatorsApi::operatorResponse(const QString &name)
{
    const auto op = m_storage.operatorByName(name);
    if (!op)
        return HttpResponse::error(protocol::ApiError::internal());
    return HttpResponse::json(200, AdminJson::operatorRecord(*op));
}

HttpResponse AdminOperatorsApi::setDisabled(const HttpRequest &request, bool disabled)
{
    const auto auth = m_sessions.authenticate(request, true);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    HttpResponse failure;
    const auto op = findOperator(request, &failure);
    if (!op)
        return failure;
    if (disabled) {
        const auto last = isLastAdmin(*op);
        if (!last)
            return HttpResponse::error(protocol::ApiError::internal());
        if (*last)
            return HttpResponse::error(lastAdmin(op->name));
    }
    const bool ok = m_storage.transaction([&] {
        return m_storage.setOperatorDisabled(op->id, disabled) &&
               m_audit.record(auth.session->operatorName,
                              disabled ? QStringLiteral("operator.disable") : QStringLiteral("operator.enable"), op->name,
                              request.peer);
    });
    if (!ok)
        return HttpResponse::error(protocol::ApiError::internal());
    if (disabled)
        m_sessions.endSessionsOf(op->id);
    Q_EMIT operatorChanged(op->id);
    return operatorResponse(op->name);
}

HttpResponse AdminOperatorsApi::setRole(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, true);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    HttpResponse failure;
    const auto op = findOperator(request, &failure);
    if (!op)
        return failure;
    JsonFields body = JsonFields::fromRequest(request);
    const QString role = body.requiredEnum(QStringLiteral("role"), {Admin, QStringLiteral("helpdesk")});
    if (!body.ok())
        return HttpResponse::error(body.error());
    if (role != Admin) {
        const auto last = isLastAdmin(*op);
        if (!last)
            return HttpResponse::error(protocol::ApiError::internal());
        if (*last)
            return HttpResponse::error(lastAdmin(op->name));
    }
    const bool ok = m_storage.transaction([&] {
        return m_storage.setOperatorRole(op->id, role) &&
               m_audit.record(auth.session->operatorName, QStringLiteral("operator.role"),
                              op->name + QStringLiteral(" (") + role + QLatin1Char(')'), request.peer);
    });
    if (!ok)
        return HttpResponse::error(protocol::ApiError::internal());
    Q_EMIT operatorChanged(op->id);
    return operatorResponse(op->name);
}

HttpResponse AdminOperatorsApi::setPassword(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, true);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    HttpResponse failure;
    const auto op = findOperator(request, &failure);
    if (!op)
        return failure;
    JsonFields body = JsonFields::fromRequest(request);
    const QString password = AdminUsersApi::newPassword(body);
    if (!body.ok())
        return HttpResponse::error(body.error());
    return hashThenAnswer(m_pool, this, password,
                          [this, opId = op->id, name = op->name, operatorName = auth.session->operatorName,
                           sessionOperator = auth.session->operatorId, peer = request.peer](const QString &hash) {
        const bool ok = m_storage.transaction([&] {
            return m_storage.setOperatorPassword(opId, hash) &&
                   m_audit.record(operatorName, QStringLiteral("operator.password"), name, peer);
        });
        if (!ok)
            return HttpResponse::error(protocol::ApiError::internal());
        // A reset usually means the old password leaked: whoever logged in with it is out. An
        // admin changing their own password keeps the session they did it from.
        if (opId != sessionOperator) {
            m_sessions.endSessionsOf(opId);
            Q_EMIT operatorChanged(opId);
        }
        return HttpResponse::noContent();
    });
}

} // namespace herald
