#pragma once

#include "http/HttpResponse.h"
#include "storage/Records.h"

#include <QObject>

#include <optional>

namespace herald {

class AdminSessions;
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

    // The operator named by the path, or the 400/404 to answer.
    std::optional<OperatorRecord> findOperator(const HttpRequest &request, HttpResponse *failure);
    // True when `op` is the only enabled admin (so it must stay one); nullopt if storage failed.
    std::optional<bool> isLastAdmin(const OperatorRecord &op);
    HttpResponse operatorResponse(const QString &name);

    Storage &m_storage;
    PasswordWorkPool &m_pool; // new passwords are hashed there, off the event loop
    AdminSessions &m_sessions;
    AuditLog &m_audit;
};

} // namespace herald
