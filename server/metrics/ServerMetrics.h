#pragma once

#include "metrics/MetricsRegistry.h"
#include "presence/Presence.h"

#include <QHash>
#include <QObject>
#include <QPair>

#include <optional>

namespace herald {

class Dispatcher;
class EventIngestor;
class MonitorManager;
class PasswordWorkPool;
class PresenceTracker;
class RequestLimiter;
class Router;
class Storage;

// What /metrics reports, and where each number comes from: the parts' own signals (the
// observation seam), the router's observer, the storage's commit observer, and at scrape time
// the numbers their owners already keep (sessions, outbox depth). Every family exists from the
// start, so a dashboard sees zeros rather than gaps before the first event.
class ServerMetrics : public QObject
{
    Q_OBJECT
public:
    explicit ServerMetrics(QObject *parent = nullptr);

    void watchRouter(Router &router);
    void watchIngestor(EventIngestor &ingestor);
    void watchDispatcher(Dispatcher &dispatcher);
    void watchPresence(PresenceTracker &presence);
    void watchMonitors(MonitorManager &monitors);
    void watchStorage(Storage &storage);
    void watchLimits(RequestLimiter &limiter, PasswordWorkPool &pool);

    const metrics::MetricsRegistry &registry() const { return m_registry; }

private:
    metrics::MetricsRegistry m_registry;
    metrics::Counter *m_httpRequests;
    metrics::Counter *m_events;
    metrics::Counter *m_attempts;
    metrics::Counter *m_deliveries;
    metrics::Histogram *m_deliveryLatency;
    metrics::Counter *m_pushResults;
    metrics::Histogram *m_pushLatency;
    metrics::Counter *m_retries;
    metrics::Counter *m_retiredTokens;
    metrics::Gauge *m_sessions;
    metrics::Gauge *m_appPresence;
    metrics::Gauge *m_monitors;
    metrics::Gauge *m_outbox;
    metrics::Histogram *m_commitLatency;
    metrics::Counter *m_rejected;
    metrics::Gauge *m_passwordPending;
    metrics::Counter *m_passwordRefused;

    QHash<QPair<qint64, QString>, Presence> m_presence;  // (device, app) -> presence, Offline left out
    QHash<QPair<qint64, QString>, QString> m_monitorStates; // (account, app) -> last state this run
    void refreshOutboxDepth(Storage &storage);
    std::optional<qint64> m_outboxDepth; // the last count read; unset until one came back, or when it failed
    bool m_countingOutbox = false;
};

} // namespace herald
