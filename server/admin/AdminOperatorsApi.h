#pragma once

#include "admin/AdminSessions.h"
#include "http/HttpResponse.h"
#include "storage/Records.h"

#include <QObject>

#include <optional>

namespace herald {

struct AdminChangeResult;
class AuditLog;
class PasswordWorkPool;
class Router;
class Storage;
struct HttpRequest;

// Changes to console operators (/admin/v1/operators/{name}/…): disable, enable, role, password.
// Admin only and audited. The last enabled admin can be neither disabled nor demoted (409
// last_admin), so a console can never lock every admin out; a disabled operator's sessions end
// at once, live feeds included.
class AdminOperatorsApi : public QObject
{
    Q_OBJECT
public:
    AdminOperatorsApi(Storage &storage, PasswordWorkPool &pool, AdminSessions &sessions, AuditLog &audit,
                      QObject *parent = nullptr);
    void registerRoutes(Router &router);

signals:
    // The operator was disabled or changed role: whatever it holds open must be checked again.
    void operatorChanged(qint64 operatorId);

private:
    HttpResponse setDisabled(const HttpRequest &request, bool disabled);
    HttpResponse setRole(const HttpRequest &request);
    HttpResponse setPassword(const HttpRequest &request);

    // An admin's session and the path's operator name, or the 401/403/400 to answer.
    std::optional<AdminSessions::Session> adminAndName(const HttpRequest &request, QString *name, HttpResponse *failure);
    // The path's operator name, or the 400 to answer.
    static bool validName(const HttpRequest &request, QString *name, HttpResponse *failure);
    // Inside a change (on the background writer): the operator of that name, or the 404 refusal.
    static std::optional<OperatorRecord> operatorNamed(Storage &storage, const QString &name, AdminChangeResult &result);
    // False (with the 409 last_admin refusal, or a storage failure) when `op` is the only enabled
    // admin, which must stay one.
    static bool keepsAnAdmin(Storage &storage, const OperatorRecord &op, AdminChangeResult &result);
    // The operator as changed, for the answer and for the sessions.
    static bool operatorBody(Storage &storage, const QString &name, AdminChangeResult &result,
                             std::optional<OperatorRecord> *changed);

    Storage &m_storage;
    PasswordWorkPool &m_pool; // new passwords are hashed there, off the event loop
    AdminSessions &m_sessions;
    AuditLog &m_audit;
};

} // namespace herald
