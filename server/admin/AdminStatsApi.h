#pragma once

#include "admin/AdminMonitorsApi.h"
#include "admin/AdminServerParts.h"
#include "admin/NodeActivity.h"
#include "http/HttpResponse.h"
#include "storage/Records.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>

namespace herald {

class AdminSessions;
class ProviderHealth;
class Router;
class Storage;
struct HttpRequest;

// GET /admin/v1/stats: the console's dashboard in one read — devices by platform and by presence,
// recent events and deliveries, the outbox depth, monitors by state and each push provider's
// health, and the cluster's nodes, sessions and monitors. What lives in the nodes' memory
// (presence, recent counts) is summed over the live nodes: this node's live, the others' as
// their last heartbeat reported it (NodeActivity). Open to helpdesk.
class AdminStatsApi
{
public:
    AdminStatsApi(Storage &storage, AdminSessions &sessions, const AdminServerParts &parts, NodeActivity &activity,
                  const ProviderHealth &health);
    void registerRoutes(Router &router);

private:
    HttpResponse stats(const HttpRequest &request);
    HttpResponse statsAnswer(const QJsonObject &devices, const NodeActivity::Totals &activity,
                             const QJsonObject &monitors, qint64 outbox, const QJsonObject &cluster) const;
    QJsonObject devices(const QHash<QString, int> &byPlatform, const NodeActivity::Devices &online) const;
    QJsonObject monitors(const QList<LoginRecord> &logins, const AdminMonitorsApi::Places &places) const;
    QJsonArray providers() const;

    Storage &m_storage;
    AdminSessions &m_sessions;
    AdminServerParts m_parts;
    NodeActivity &m_activity;
    const ProviderHealth &m_health;
};

} // namespace herald
