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

} // namespace

AdminStatsApi::AdminStatsApi(Storage &storage, AdminSessions &sessions, const AdminServerParts &parts,
                             NodeActivity &activity, const ProviderHealth &health)
    : m_storage(storage)
    , m_sessions(sessions)
    , m_parts(parts)
    , m_activity(activity)
    , m_health(health)
{
}

void AdminStatsApi::registerRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/admin/v1/stats"), [this](const HttpRequest &r) { return stats(r); });
}

QJsonObject AdminStatsApi::devices(const QHash<QString, int> &byPlatform, const NodeActivity::Devices &live) const
{
    int total = 0;
    QJsonObject platforms;
    for (const QString &platform : {QStringLiteral("ios"), QStringLiteral("android"), QStringLiteral("web"), QStringLiteral("desktop")})
        platforms.insert(platform, 0); // every platform present, so a console need not guess
    for (auto it = byPlatform.cbegin(); it != byPlatform.cend(); ++it) {
        platforms.insert(it.key(), it.value());
        total += it.value();
    }
    const int online = live.online();
    return QJsonObject{{QStringLiteral("total"), total},
                       {QStringLiteral("online"), online},
                       {QStringLiteral("byPlatform"), platforms},
                       {QStringLiteral("byPresence"), QJsonObject{{QStringLiteral("foreground"), live.foreground},
                                                                  {QStringLiteral("background"), live.background},
                                                                  {QStringLiteral("closed"), live.closed},
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
    };
    const qint64 aliveSince = m_parts.dispatcher->nodeAliveSince();
    // The nodes are read once: the cluster's figures, where monitors run and the other nodes'
    // activity all come from the same rows.
    return readThenAnswer(
        m_storage, nullptr,
        [](Storage &storage) {
            return Found{storage.deviceCountsByPlatform(), storage.logins(), storage.openDeliveryCount(), storage.nodes()};
        },
        [this, aliveSince, self = m_storage.nodeName(), claimer = m_storage.claimer()](const Found &found) {
            if (!found.byPlatform || !found.logins || !found.outbox || !found.nodes)
                return HttpResponse::error(protocol::ApiError::internal());
            const auto places = AdminMonitorsApi::placesOf(*found.nodes, aliveSince, self, claimer);
            const NodeActivity::Totals activity = m_activity.cluster(m_activity.live(), *found.nodes, aliveSince, claimer);
            return statsAnswer(devices(*found.byPlatform, activity.devices), activity, monitors(*found.logins, places),
                               *found.outbox, NodeSummary::cluster(*found.nodes, aliveSince));
        });
}

HttpResponse AdminStatsApi::statsAnswer(const QJsonObject &devices, const NodeActivity::Totals &activity,
                                        const QJsonObject &monitors, qint64 outbox, const QJsonObject &cluster) const
{
    const ActivityCounters::Counts &minute = activity.lastMinute;
    const ActivityCounters::Counts &hour = activity.lastHour;
    QJsonArray series;
    for (const ActivityCounters::Minute &m : m_activity.series(activity))
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
