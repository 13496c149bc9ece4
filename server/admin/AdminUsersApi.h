#pragma once

#include "http/HttpResponse.h"
#include "storage/Records.h"

#include <QObject>

#include <QHash>
#include <QList>

#include <optional>

namespace herald {

class AdminSessions;
struct AdminChangeResult;
class GatewayPresence;
class JsonFields;
class AuditLog;
class PasswordWorkPool;
class Router;
class Storage;
struct HttpRequest;

// Terminal accounts as the console sees them: /admin/v1/users, and revoking a device (the
// device list is AdminDevicesApi's). Reads are open to helpdesk; every change needs the admin role and is audited
// in the same transaction, which runs on the background writer (AdminChange.h).
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

    // A path's account name is well-formed, or the 400 to answer.
    static bool validAccountName(const QString &name, HttpResponse *failure);
    // Inside a change (on the background writer): the account of that name, or the 404 refusal.
    static std::optional<AccountRecord> accountNamed(Storage &storage, const QString &name, AdminChangeResult &result);
    // The account as the answer shows it, with its device count.
    static bool accountBody(Storage &storage, qint64 accountId, AdminChangeResult &result);

    Storage &m_storage;
    PasswordWorkPool &m_pool; // new passwords are hashed there, off the event loop
    AdminSessions &m_sessions;
    AuditLog &m_audit;
    const GatewayPresence *m_gateway = nullptr;
};

} // namespace herald
