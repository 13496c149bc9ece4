#include "admin/AdminStatsApi.h"

#include "admin/ActivityCounters.h"
#include "admin/AdminJson.h"
#include "admin/AdminMonitorsApi.h"
#include "admin/AdminSessions.h"
#include "admin/NodeSummary.h"
#include "dispatch/Dispatcher.h"
#include "admin/ProviderHealth.h"
#include "api/ReadThenAnswer.h"
#include "http/HttpRequest.h"
#include "http/Router.h"
#include "presence/PresenceTracker.h"
#include "presence/TerminalSession.h"
#include "push/Provider.h"
#include "push/ProviderRegistry.h"
#include "storage/Storage.h"

#include <QJsonArray>

namespace herald {

namespace {

QJsonObject deliveryCounts(const ActivityCounters::Counts &c)
{
    return {{QStringLiteral("inband"), c.inBand}, {QStringLiteral("push"), c.push}, {QStringLiteral("failed"), c.failed},
            {QStringLiteral("seenInApp"), c.seenInApp}};
}

// A device's presence in one word: its most visible app's, offline without a session.
Presence devicePresence(const TerminalSession &session)
{
    Presence best = Presence::Closed;
    const auto apps = session.appStates();
    for (auto it = apps.cbegin(); it != apps.cend(); ++it) {
        const Presence p = session.presence(it.key());
        if (p == Presence::Foreground)
            return p;
        if (p == Presence::Background)
            best = p;
    }
    return best;
}

} // namespace

AdminStatsApi::AdminStatsApi(Storage &storage, AdminSessions &sessions, const AdminServerParts &parts,
                             ActivityCounters &counters, const ProviderHealth &health)
    : m_storage(storage)
    , m_sessions(sessions)
    , m_parts(parts)
    , m_counters(counters)
    , m_health(health)
{
}

void AdminStatsApi::registerRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/admin/v1/stats"), [this](const HttpRequest &r) { return stats(r); });
}

QJsonObject AdminStatsApi::devices(const QHash<QString, int> &byPlatform) const
{
    int total = 0;
    QJsonObject platforms;
    for (const QString &platform : {QStringLiteral("ios"), QStringLiteral("android"), QStringLiteral("web"), QStringLiteral("desktop")})
        platforms.insert(platform, 0); // every platform present, so a console need not guess
    for (auto it = byPlatform.cbegin(); it != byPlatform.cend(); ++it) {
        platforms.insert(it.key(), it.value());
        total += it.value();
    }
    int foreground = 0, background = 0, closed = 0;
    for (const TerminalSession *session : m_parts.presence->sessions()) {
        if (!session->isReady())
            continue;
        switch (devicePresence(*session)) {
        case Presence::Foreground: ++foreground; break;
        case Presence::Background: ++background; break;
        default: ++closed; break;
        }
    }
    const int online = foreground + background + closed;
    return QJsonObject{{QStringLiteral("total"), total},
                       {QStringLiteral("online"), online},
                       {QStringLiteral("byPlatform"), platforms},
                       {QStringLiteral("byPresence"), QJsonObject{{QStringLiteral("foreground"), foreground},
                                                                  {QStringLiteral("background"), background},
                                                                  {QStringLiteral("closed"), closed},
                                                                  {QStringLiteral("offline"), qMax(0, total - online)}}}};
}

QJsonObject AdminStatsApi::monitors(const QList<LoginRecord> &logins, const AdminMonitorsApi::Places &places) const
{
    QJsonObject byState{{QStringLiteral("starting"), 0}, {QStringLiteral("watching"), 0},
                        {QStringLiteral("failing"), 0}, {QStringLiteral("stopped"), 0}};
    for (const LoginRecord &login : logins) {
        const QString state = AdminMonitorsApi::describe(login, *m_parts.monitors, *m_parts.apps, places).value(QStringLiteral("state")).toString();
        byState.insert(state, byState.value(state).toInt() + 1);
    }
    return byState;
}

QJsonArray AdminStatsApi::providers() const
{
    QJsonArray list;
    for (const Provider *provider : m_parts.providers->providers()) {
        const ProviderHealth::State state = m_health.state(provider->name());
        list.append(QJsonObject{{QStringLiteral("name"), provider->name()},
                                {QStringLiteral("platforms"), QJsonArray::fromStringList(m_parts.providers->platformsOf(provider))},
                                {QStringLiteral("state"), state.alarm ? QStringLiteral("alarm") : QStringLiteral("ok")},
                                {QStringLiteral("reason"), state.alarm ? QJsonValue(state.reason) : QJsonValue(QJsonValue::Null)}});
    }
    return list;
}

HttpResponse AdminStatsApi::stats(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, false);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    // The counts storage keeps are read on a reading connection (every login is a row, and a
    // console polls this); what lives in memory is added on the event loop.
    struct Found
    {
        std::optional<QHash<QString, int>> byPlatform;
        std::optional<QList<LoginRecord>> logins;
        std::optional<qint64> outbox;
        std::optional<QList<NodeRecord>> nodes;
        AdminMonitorsApi::Places places;
    };
    const qint64 aliveSince = m_parts.dispatcher->nodeAliveSince();
    return readThenAnswer(
        m_storage, nullptr,
        [aliveSince, self = m_storage.nodeName()](Storage &storage) {
            return Found{storage.deviceCountsByPlatform(), storage.logins(), storage.openDeliveryCount(), storage.nodes(),
                         AdminMonitorsApi::readPlaces(storage, aliveSince, self)};
        },
        [this, aliveSince](const Found &found) {
            if (!found.byPlatform || !found.logins || !found.outbox || !found.nodes)
                return HttpResponse::error(protocol::ApiError::internal());
            return statsAnswer(devices(*found.byPlatform), monitors(*found.logins, found.places), *found.outbox,
                               NodeSummary::cluster(*found.nodes, aliveSince));
        });
}

HttpResponse AdminStatsApi::statsAnswer(const QJsonObject &devices, const QJsonObject &monitors, qint64 outbox,
                                        const QJsonObject &cluster) const
{
    const ActivityCounters::Counts minute = m_counters.lastMinute();
    const ActivityCounters::Counts hour = m_counters.lastHour();
    QJsonArray series;
    for (const ActivityCounters::Minute &m : m_counters.series())
        series.append(QJsonObject{{QStringLiteral("minute"), AdminJson::time(m.start)},
                                  {QStringLiteral("events"), m.counts.events},
                                  {QStringLiteral("inband"), m.counts.inBand},
                                  {QStringLiteral("push"), m.counts.push},
                                  {QStringLiteral("failed"), m.counts.failed},
                                  {QStringLiteral("seenInApp"), m.counts.seenInApp}});
    return HttpResponse::json(
        200, QJsonObject{{QStringLiteral("devices"), devices},
                         {QStringLiteral("events"), QJsonObject{{QStringLiteral("lastMinute"), minute.events},
                                                               {QStringLiteral("lastHour"), hour.events}}},
                         {QStringLiteral("deliveries"), QJsonObject{{QStringLiteral("lastMinute"), deliveryCounts(minute)},
                                                                   {QStringLiteral("lastHour"), deliveryCounts(hour)}}},
                         {QStringLiteral("outboxDepth"), outbox},
                         {QStringLiteral("monitors"), monitors},
                         {QStringLiteral("providers"), providers()},
                         {QStringLiteral("series"), series},
                         {QStringLiteral("cluster"), cluster}});
}

} // namespace herald
