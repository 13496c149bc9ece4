#pragma once

#include "http/HttpResponse.h"
#include "storage/Records.h"

#include <QObject>

#include <QHash>
#include <QList>

#include <optional>

namespace herald {

class AdminSessions;
class GatewayPresence;
class JsonFields;
class AuditLog;
class PasswordWorkPool;
class Router;
class Storage;
struct HttpRequest;

// Terminal accounts as the console sees them: /admin/v1/users, and revoking a device (the
// device list is AdminDevicesApi's). Reads are open to helpdesk; every change needs the admin role and is audited
// in the same transaction.
class AdminUsersApi : public QObject
{
    Q_OBJECT
public:
    AdminUsersApi(Storage &storage, PasswordWorkPool &pool, AdminSessions &sessions, AuditLog &audit,
                  QObject *parent = nullptr);
    void registerRoutes(Router &router);
    // Reads and checks {"password"} for a new account or a reset (console operators too).
    static QString newPassword(JsonFields &body);
    // Adds the account-wide gateway reports to the users list as "gateway".
    void setGatewayPresence(const GatewayPresence *gateway) { m_gateway = gateway; }

signals:
    void deviceRevoked(qint64 deviceRowId);
    void accountStatusChanged(qint64 accountId); // disabled or enabled

private:
    HttpResponse listUsers(const HttpRequest &request);
    HttpResponse usersAnswer(const std::optional<QList<AccountRecord>> &accounts,
                             const std::optional<QHash<qint64, int>> &counts) const;
    HttpResponse createUser(const HttpRequest &request);
    HttpResponse setDisabled(const HttpRequest &request, bool disabled);
    HttpResponse resetPassword(const HttpRequest &request);
    HttpResponse revokeDevice(const HttpRequest &request);

    // The account named by a path or query value, or the 400/404 to answer.
    std::optional<AccountRecord> findAccount(const QString &name, HttpResponse *failure);
    HttpResponse accountResponse(int status, qint64 accountId);

    Storage &m_storage;
    PasswordWorkPool &m_pool; // new passwords are hashed there, off the event loop
    AdminSessions &m_sessions;
    AuditLog &m_audit;
    const GatewayPresence *m_gateway = nullptr;
};

} // namespace herald
