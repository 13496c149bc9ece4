#pragma once

#include "http/HttpResponse.h"

namespace herald {

class AdminSessions;
class Dispatcher;
class Router;
class Storage;
struct HttpRequest;

// GET /admin/v1/nodes[?state=alive|stopped]: the cluster's nodes as their heartbeats report them
// (address, version, sessions, monitors), alive or stopped, and which one answered. Open to
// helpdesk: "which node holds that session" and "is node 3 up" start here. On SQLite it lists the
// one server.
class AdminNodesApi
{
public:
    AdminNodesApi(Storage &storage, AdminSessions &sessions, const Dispatcher &dispatcher);
    void registerRoutes(Router &router);

private:
    HttpResponse list(const HttpRequest &request);

    Storage &m_storage;
    AdminSessions &m_sessions;
    const Dispatcher &m_dispatcher;
};

} // namespace herald
