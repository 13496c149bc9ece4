#pragma once

namespace herald {

class AppCatalog;
class Dispatcher;
class EventIngestor;
class GatewayPresence;
class MonitorManager;
class PresenceTracker;
class ProviderRegistry;

// The running server's parts the live feed, the stats and the monitor list observe. Handed to
// AdminApi::observe() by HeraldServer before the routes are registered.
struct AdminServerParts
{
    PresenceTracker *presence = nullptr;
    Dispatcher *dispatcher = nullptr;
    EventIngestor *ingestor = nullptr;
    MonitorManager *monitors = nullptr;
    ProviderRegistry *providers = nullptr;
    const AppCatalog *apps = nullptr;
    const GatewayPresence *gateway = nullptr; // remote-app gateways' reports, shown beside devices
};

} // namespace herald
