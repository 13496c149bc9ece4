#pragma once

#include "http/HttpResponse.h"

namespace herald {

class AdminSessions;
class AuditLog;
class Router;
class Storage;
struct HttpRequest;

// Event sources as the console manages them: /admin/v1/sources. Listing is open to helpdesk;
// adding (the token is in that answer only) and revoking need the admin role and are audited.
class AdminSourcesApi
{
public:
    AdminSourcesApi(Storage &storage, AdminSessions &sessions, AuditLog &audit);
    void registerRoutes(Router &router);

private:
    HttpResponse list(const HttpRequest &request);
    HttpResponse create(const HttpRequest &request);
    HttpResponse revoke(const HttpRequest &request);

    Storage &m_storage;
    AdminSessions &m_sessions;
    AuditLog &m_audit;
};

} // namespace herald
