#include "admin/AdminOperatorsApi.h"

#include "admin/NewPasswordHash.h"

#include "admin/AdminChange.h"
#include "admin/AdminJson.h"
#include "admin/AdminSessions.h"
#include "admin/AdminUsersApi.h"
#include "admin/AuditLog.h"
#include "api/JsonFields.h"
#include "http/HttpRequest.h"
#include "http/Router.h"
#include "registry/PasswordHasher.h"
#include "storage/Storage.h"

#include <memory>

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

std::optional<AdminSessions::Session> AdminOperatorsApi::adminAndName(const HttpRequest &request, QString *name,
                                                                       HttpResponse *failure)
{
    const auto auth = m_sessions.authenticate(request, true);
    if (!auth.session) {
        *failure = HttpResponse::error(auth.error);
        return std::nullopt;
    }
    if (!validName(request, name, failure))
        return std::nullopt;
    return auth.session;
}

bool AdminOperatorsApi::validName(const HttpRequest &request, QString *name, HttpResponse *failure)
{
    *name = request.pathParams.value(QStringLiteral("name"));
    if (AdminJson::namePattern().match(*name).hasMatch())
        return true;
    *failure = HttpResponse::error(protocol::ApiError::badRequest(
        QStringLiteral("invalid_value"),
        QStringLiteral("'%1' is not a valid operator name (letters, digits, . _ @ + -, at most 128)").arg(name->left(64))));
    return false;
}

std::optional<OperatorRecord> AdminOperatorsApi::operatorNamed(Storage &storage, const QString &name,
                                                               AdminChangeResult &result)
{
    auto op = storage.operatorByName(name);
    if (!op)
        result.refused = protocol::ApiError::notFound(QStringLiteral("no operator named '%1'").arg(name));
    else
        result.targetId = op->id;
    return op;
}

bool AdminOperatorsApi::keepsAnAdmin(Storage &storage, const OperatorRecord &op, AdminChangeResult &result)
{
    if (op.role != Admin || op.disabled)
        return true;
    // Read in the same unit as the change it guards: two admins disabling each other at once are
    // two units one after the other, and the second sees the first.
    const auto operators = storage.operators();
    if (!operators)
        return false;
    int enabledAdmins = 0;
    for (const OperatorRecord &other : *operators)
        enabledAdmins += other.role == Admin && !other.disabled;
    if (enabledAdmins > 1)
        return true;
    result.refused = lastAdmin(op.name);
    return false;
}

bool AdminOperatorsApi::operatorBody(Storage &storage, const QString &name, AdminChangeResult &result,
                                     std::optional<OperatorRecord> *changed)
{
    *changed = storage.operatorByName(name);
    if (!*changed)
        return false;
    result.body = AdminJson::operatorRecord(**changed);
    return true;
}

HttpResponse AdminOperatorsApi::setDisabled(const HttpRequest &request, bool disabled)
{
    QString name;
    HttpResponse failure;
    const auto auth = adminAndName(request, &name, &failure);
    if (!auth)
        return failure;
    auto changed = std::make_shared<std::optional<OperatorRecord>>();
    return changeThenAnswer(
        m_storage, this,
        [name, disabled, operatorName = auth->operatorName, peer = request.peer, changed](Storage &storage,
                                                                                                 AdminChangeResult &result) {
            const auto op = operatorNamed(storage, name, result);
            return op && (!disabled || keepsAnAdmin(storage, *op, result)) &&
                   storage.setOperatorDisabled(op->id, disabled) &&
                   (!disabled || storage.deleteConsoleSessionsOf(op->id)) &&
                   AuditLog::append(storage, operatorName,
                                    disabled ? QStringLiteral("operator.disable") : QStringLiteral("operator.enable"),
                                    op->name, peer) &&
                   operatorBody(storage, name, result, changed.get());
        },
        [this, changed, disabled](AdminChangeResult &result) {
            m_sessions.noteOperator(**changed);
            if (disabled)
                m_sessions.endSessionsOf(result.targetId);
            Q_EMIT operatorChanged(result.targetId);
        });
}

HttpResponse AdminOperatorsApi::setRole(const HttpRequest &request)
{
    QString name;
    HttpResponse failure;
    const auto auth = adminAndName(request, &name, &failure);
    if (!auth)
        return failure;
    JsonFields body = JsonFields::fromRequest(request);
    const QString role = body.requiredEnum(QStringLiteral("role"), {Admin, QStringLiteral("helpdesk")});
    if (!body.ok())
        return HttpResponse::error(body.error());
    auto changed = std::make_shared<std::optional<OperatorRecord>>();
    return changeThenAnswer(
        m_storage, this,
        [name, role, operatorName = auth->operatorName, peer = request.peer, changed](Storage &storage,
                                                                                             AdminChangeResult &result) {
            const auto op = operatorNamed(storage, name, result);
            return op && (role == Admin || keepsAnAdmin(storage, *op, result)) && storage.setOperatorRole(op->id, role) &&
                   AuditLog::append(storage, operatorName, QStringLiteral("operator.role"),
                                    op->name + QStringLiteral(" (") + role + QLatin1Char(')'), peer) &&
                   operatorBody(storage, name, result, changed.get());
        },
        [this, changed](AdminChangeResult &result) {
            m_sessions.noteOperator(**changed);
            Q_EMIT operatorChanged(result.targetId);
        });
}

HttpResponse AdminOperatorsApi::setPassword(const HttpRequest &request)
{
    QString name;
    HttpResponse failure;
    const auto auth = adminAndName(request, &name, &failure);
    if (!auth)
        return failure;
    JsonFields body = JsonFields::fromRequest(request);
    const QString password = AdminUsersApi::newPassword(body);
    if (!body.ok())
        return HttpResponse::error(body.error());
    return hashThenAnswer(m_pool, this, password,
                          [this, name, operatorName = auth->operatorName,
                           sessionOperator = auth->operatorId, peer = request.peer](const QString &hash) {
        return changeThenAnswer(
            m_storage, this,
            [name, hash, operatorName, sessionOperator, peer](Storage &storage, AdminChangeResult &result) {
                const auto op = operatorNamed(storage, name, result);
                return op && storage.setOperatorPassword(op->id, hash) &&
                       (op->id == sessionOperator || storage.deleteConsoleSessionsOf(op->id)) &&
                       AuditLog::append(storage, operatorName, QStringLiteral("operator.password"), op->name, peer);
            },
            [this, sessionOperator](AdminChangeResult &result) {
                // A reset usually means the old password leaked: whoever logged in with it is out.
                // An admin changing their own password keeps the session they did it from.
                if (result.targetId != sessionOperator) {
                    m_sessions.endSessionsOf(result.targetId);
                    Q_EMIT operatorChanged(result.targetId);
                }
            });
    });
}

} // namespace herald
