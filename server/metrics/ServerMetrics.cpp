#include "metrics/ServerMetrics.h"

#include "dispatch/Dispatcher.h"
#include "dispatch/EventIngestor.h"
#include "http/Router.h"
#include "limits/RequestLimiter.h"
#include "registry/PasswordWorkPool.h"
#include "monitor/MonitorManager.h"
#include "presence/PresenceTracker.h"
#include "storage/Storage.h"

#include <QPointer>

#include <memory>
#include <optional>

#include <QDateTime>

#include <cmath>

namespace herald {

namespace {
// Seconds. Deliveries span an in-band ack (milliseconds) to a push retried for minutes.
const QList<double> DeliveryBuckets{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800};
const QList<double> ProviderBuckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
const QList<double> CommitBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

// Provider reasons are short codes ("Unregistered", "QUOTA_EXCEEDED"); anything else is cut so a
// strange answer cannot make the label huge.
QString reasonLabel(const QString &reason)
{
    return reason.isEmpty() ? QStringLiteral("none") : reason.left(64);
}
} // namespace

ServerMetrics::ServerMetrics(QObject *parent)
    : QObject(parent)
{
    m_httpRequests = m_registry.counter("herald_http_requests_total", "HTTP requests answered, by route pattern, method and status.",
                                        {"route", "method", "status"});
    m_events = m_registry.counter("herald_events_total", "Events received, by result: accepted (a new notification) or deduplicated.",
                                  {"result"});
    m_events->inc({QStringLiteral("accepted")}, 0);
    m_events->inc({QStringLiteral("deduplicated")}, 0);
    m_attempts = m_registry.counter("herald_delivery_attempts_total",
                                    "Delivery attempts by channel (inband, push) and outcome.", {"channel", "outcome"});
    m_deliveries = m_registry.counter("herald_deliveries_total",
                                      "Deliveries that reached a final state, by channel and state (delivered, failed, cancelled).",
                                      {"channel", "state"});
    m_deliveryLatency = m_registry.histogram("herald_delivery_latency_seconds",
                                             "From the event's acceptance to its delivery, by channel.", DeliveryBuckets,
                                             {"channel"});
    m_pushResults = m_registry.counter("herald_push_results_total", "Push provider answers by provider, outcome and reason.",
                                       {"provider", "outcome", "reason"});
    m_pushLatency = m_registry.histogram("herald_push_request_duration_seconds",
                                         "From handing a push to its provider to the provider's answer.", ProviderBuckets,
                                         {"provider"});
    m_retries = m_registry.counter("herald_delivery_retries_total", "Push retries scheduled after a transient failure.");
    m_retiredTokens = m_registry.counter("herald_push_tokens_retired_total",
                                         "Push tokens retired because the provider said they are dead, by reason.", {"reason"});
    m_sessions = m_registry.gauge("herald_sessions", "Terminal sessions open now.");
    m_appPresence = m_registry.gauge("herald_session_apps",
                                     "Apps on open sessions by presence (foreground, background, closed).", {"presence"});
    m_monitors = m_registry.gauge("herald_monitors", "Mailbox monitors by state (starting, watching, failing, stopped).",
                                  {"state"});
    m_outbox = m_registry.gauge("herald_outbox_depth", "Deliveries not finished yet (pending, in-band, pushing, retrying).");
    m_commitLatency = m_registry.histogram("herald_storage_commit_duration_seconds", "Time one database COMMIT took.",
                                           CommitBuckets);

    m_rejected = m_registry.counter("herald_http_rejected_total",
                                    "Requests turned away before their work, by route and reason: a rate limit "
                                    "(address, account, source) or busy (the password workers were full).",
                                    {"route", "reason"});
    m_passwordPending = m_registry.gauge("herald_password_jobs", "Password hashes and checks queued or running now.");
    m_passwordRefused = m_registry.counter("herald_password_jobs_refused_total",
                                           "Password checks refused because the worker pool's queue was full.");

    m_appPresence->setCollector([this] {
        QMap<QStringList, double> counts{{{QStringLiteral("foreground")}, 0},
                                         {{QStringLiteral("background")}, 0},
                                         {{QStringLiteral("closed")}, 0}};
        for (Presence p : std::as_const(m_presence))
            counts[{presenceName(p)}] += 1;
        return counts;
    });
    m_monitors->setCollector([this] {
        QMap<QStringList, double> counts{{{QStringLiteral("starting")}, 0},
                                         {{QStringLiteral("watching")}, 0},
                                         {{QStringLiteral("failing")}, 0},
                                         {{QStringLiteral("stopped")}, 0}};
        for (const QString &state : std::as_const(m_monitorStates))
            counts[{state}] += 1;
        return counts;
    });
}

void ServerMetrics::watchRouter(Router &router)
{
    router.setObserver([this](const QString &route, const QByteArray &method, int status) {
        m_httpRequests->inc({route, QString::fromLatin1(method), QString::number(status)});
    });
}

void ServerMetrics::watchLimits(RequestLimiter &limiter, PasswordWorkPool &pool)
{
    // Every series exists from the start: a dashboard sees zeros rather than gaps.
    const QList<QStringList> series{{QStringLiteral("/v1/register"), QStringLiteral("address")},
                                    {QStringLiteral("/v1/register"), QStringLiteral("account")},
                                    {QStringLiteral("/v1/register"), QStringLiteral("busy")},
                                    {QStringLiteral("/v1/login"), QStringLiteral("address")},
                                    {QStringLiteral("/v1/login"), QStringLiteral("account")},
                                    {QStringLiteral("/v1/session"), QStringLiteral("address")},
                                    {QStringLiteral("/v1/events"), QStringLiteral("source")}};
    for (const QStringList &labels : series)
        m_rejected->inc(labels, 0);
    connect(&limiter, &RequestLimiter::rejected, this,
            [this](const QString &route, const QString &reason) { m_rejected->inc({route, reason}); });
    connect(&pool, &PasswordWorkPool::refused, this, [this] { m_passwordRefused->inc({}); });
    m_passwordPending->setCollector([&pool] { return QMap<QStringList, double>{{{}, double(pool.pending())}}; });
}

void ServerMetrics::watchIngestor(EventIngestor &ingestor)
{
    connect(&ingestor, &EventIngestor::notificationCreated, this,
            [this](const NotificationRecord &) { m_events->inc({QStringLiteral("accepted")}); });
    connect(&ingestor, &EventIngestor::eventRepeated, this,
            [this](const QString &) { m_events->inc({QStringLiteral("deduplicated")}); });
}

void ServerMetrics::watchDispatcher(Dispatcher &dispatcher)
{
    connect(&dispatcher, &Dispatcher::deliveryAttempted, this,
            [this](const DeliveryRecord &, AttemptChannel channel, const QString &outcome, const QString &) {
                // Push answers are counted by pushAnswered (every answer, refusals too). Labels are
                // spelt as storage spells them ("inband", not the admin API's "in-band").
                if (channel == AttemptChannel::Push)
                    return;
                m_attempts->inc({toText(channel), outcome});
            });
    connect(&dispatcher, &Dispatcher::pushAnswered, this,
            [this](const QString &provider, const QString &outcome, const QString &reason, double seconds) {
                m_attempts->inc({QStringLiteral("push"), outcome});
                m_pushResults->inc({provider, outcome, reasonLabel(reason)});
                m_pushLatency->observe({provider}, seconds);
            });
    const auto ended = [this](const DeliveryRecord &d) {
        const QString channel = d.channel == DeliveryChannel::None ? QStringLiteral("none") : toText(d.channel);
        m_deliveries->inc({channel, toText(d.state)});
        if (d.state == DeliveryState::Delivered && d.createdAt.isValid())
            m_deliveryLatency->observe({channel}, double(d.createdAt.msecsTo(QDateTime::currentDateTimeUtc())) / 1000.0);
    };
    connect(&dispatcher, &Dispatcher::deliveryCompleted, this, ended);
    // Cancelled from outside (an operator): ended too, though not by the dispatcher's own decision.
    connect(&dispatcher, &Dispatcher::deliveryWithdrawn, this, ended);
    connect(&dispatcher, &Dispatcher::retryScheduled, this, [this](const DeliveryRecord &) { m_retries->inc(); });
    connect(&dispatcher, &Dispatcher::pushTokenRetired, this,
            [this](qint64, const QString &reason) { m_retiredTokens->inc({reasonLabel(reason)}); });
}

void ServerMetrics::watchPresence(PresenceTracker &presence)
{
    m_sessions->setCollector([tracker = &presence] { return QMap<QStringList, double>{{{}, double(tracker->sessionCount())}}; });
    connect(&presence, &PresenceTracker::presenceChanged, this, [this](qint64 deviceId, const QString &app, Presence p) {
        if (p == Presence::Offline)
            m_presence.remove({deviceId, app});
        else
            m_presence.insert({deviceId, app}, p);
    });
    connect(&presence, &PresenceTracker::sessionClosed, this, [this](qint64 deviceId) {
        for (auto it = m_presence.begin(); it != m_presence.end();)
            it = it.key().first == deviceId ? m_presence.erase(it) : std::next(it);
    });
}

void ServerMetrics::watchMonitors(MonitorManager &monitors)
{
    connect(&monitors, &MonitorManager::monitorStateChanged, this,
            [this](qint64 accountId, const QString &app, const QString &state, const QString &) {
                m_monitorStates.insert({accountId, app}, state);
            });
}

void ServerMetrics::watchStorage(Storage &storage)
{
    // Counting the outbox is a read that grows with it (a deep one during a provider outage is when
    // someone watches it), so it runs on a reading connection: a scrape shows the last count and
    // asks for the next one, at most one under way.
    refreshOutboxDepth(storage);
    m_outbox->setCollector([this, store = &storage] {
        refreshOutboxDepth(*store);
        // NaN, not 0, when storage cannot say: an empty outbox and an unknown one must differ.
        return QMap<QStringList, double>{{{}, m_outboxDepth ? double(*m_outboxDepth) : std::nan("")}};
    });
    metrics::Histogram *commits = m_commitLatency;
    // Called on the committing thread; the histogram takes its own lock.
    storage.setCommitObserver([commits](double seconds) { commits->observe({}, seconds); });
}

void ServerMetrics::refreshOutboxDepth(Storage &storage)
{
    if (m_countingOutbox)
        return;
    m_countingOutbox = true;
    auto depth = std::make_shared<std::optional<qint64>>();
    storage.readInBackground([depth](Storage &reading) { *depth = reading.openDeliveryCount(); },
                             [self = QPointer<ServerMetrics>(this), depth] {
                                 if (!self)
                                     return;
                                 self->m_countingOutbox = false;
                                 self->m_outboxDepth = *depth;
                             });
}

} // namespace herald
