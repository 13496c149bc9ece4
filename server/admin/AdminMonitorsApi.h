#pragma once

#include "http/HttpResponse.h"
#include "storage/Records.h"

#include <QHash>

namespace herald {

class AdminSessions;
class AppCatalog;
class Dispatcher;
class MonitorManager;
class Router;
class Storage;
struct HttpRequest;

// GET /admin/v1/monitors[?user=]: every login and what watches it — a built-in monitor (with its
// state: starting, watching, failing and why, stopped) or event sources ("events"). Open to helpdesk:
// "why does alice get no mail notifications" starts here.
class AdminMonitorsApi
{
public:
    AdminMonitorsApi(Storage &storage, AdminSessions &sessions, MonitorManager &monitors, const AppCatalog &apps,
                     const Dispatcher &dispatcher);
    void registerRoutes(Router &router);
    // Where the monitors of a cluster run: this node, and the other live runs (claimer -> node name).
    struct Places
    {
        QString self;
        QHash<QString, QString> otherRuns;
    };
    // Reads the live runs on a reading connection (a cluster's nodes watch each other's logins);
    // `self` is this node's name, as the event loop's storage knows it.
    static Places readPlaces(Storage &storage, qint64 aliveSince, const QString &self);
    // The same from rows of the nodes table already read (Storage::nodes()), live by the
    // dispatcher's test (NodeSummary::isAlive); `selfClaimer` is this run, not another.
    static Places placesOf(const QList<NodeRecord> &nodes, qint64 aliveSince, const QString &self,
                           const QString &selfClaimer);
    // The login's monitor as the list shows it (also counted by the stats): its state, reasons,
    // since and node. A monitor that runs on another live node is shown as that node stored it.
    static QJsonObject describe(const LoginRecord &login, const MonitorManager &monitors, const AppCatalog &apps,
                                const Places &places);

private:
    HttpResponse list(const HttpRequest &request);
    static QString storedState(const QString &stored);

    Storage &m_storage;
    AdminSessions &m_sessions;
    MonitorManager &m_monitors;
    const AppCatalog &m_apps;
    const Dispatcher &m_dispatcher;
};

} // namespace herald
