#pragma once

#include "http/HttpResponse.h"

#include <QObject>

namespace herald {

class AdminSessions;
class AuditLog;
class Dispatcher;
class ProviderRegistry;
class Router;
class Storage;
struct HttpRequest;

// POST /admin/v1/test-push: sends a test notification to one device through the Dispatcher, the
// same decision as for real news (in-band when the app is in the foreground there, else the
// device's push provider), and answers with the verdict once it is known (TestPushRun), without
// holding up the event loop. Open to helpdesk; audited. The test is stored as a notification in
// state "test", so the console shows its history, while the user's lists and unread counts never
// include it.
class AdminTestPush : public QObject
{
    Q_OBJECT
public:
    AdminTestPush(Storage &storage, AdminSessions &sessions, AuditLog &audit, Dispatcher &dispatcher,
                  const ProviderRegistry &providers, QObject *parent = nullptr);
    void registerRoutes(Router &router);

    static constexpr int BoundMs = 15'000;  // the longest an answer waits for its verdict
    static constexpr int MaxText = 200;
    static constexpr int MaxRunning = 16;   // test pushes waiting for a verdict at once
    static constexpr int LifetimeSecs = 300; // a test notification expires after this

private:
    HttpResponse testPush(const HttpRequest &request);

    Storage &m_storage;
    AdminSessions &m_sessions;
    AuditLog &m_audit;
    Dispatcher &m_dispatcher;
    const ProviderRegistry &m_providers;
    int m_running = 0;
};

} // namespace herald
