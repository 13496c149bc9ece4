#pragma once

#include "admin/AdminServerParts.h"
#include "http/HttpResponse.h"
#include "presence/Presence.h"
#include "storage/Records.h"

#include <QObject>
#include <QSet>
#include <QTimer>

#include <deque>
#include <memory>
#include <optional>

namespace herald {

class AdminClusterFeed;
class AdminLiveClient;
class AdminSessions;
class ProviderHealth;
class Router;
class Storage;
struct HttpRequest;

// GET /admin/v1/live: a WebSocket per console that streams what changes (presence, new
// notifications, delivery outcomes, retired push tokens, provider alarms, monitor states) as small
// JSON frames, so consoles update rows in place instead of polling. Open to helpdesk. Frames are
// built only while a console listens (here, or on another node of a cluster: AdminClusterFeed),
// carry no message contents, name the node they happened on, and every client has a bounded
// queue (AdminLiveClient): the server never waits for a console.
class AdminLiveFeed : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxClients = 64;

    AdminLiveFeed(Storage &storage, AdminSessions &sessions, const AdminServerParts &parts, const ProviderHealth &health,
                  QObject *parent = nullptr);
    void registerRoutes(Router &router);
    int clientCount() const { return int(m_clients.size()); }

    // An operator was disabled, demoted or reset: consoles whose session ended are closed.
    void recheckSessions();
    // Where nodes share one database (Storage::canMessageNodes()): consoles here see the frames of
    // every live node, and consoles elsewhere this node's. After Storage::joinNodes() (the name).
    void shareAcrossNodes(int heartbeatSecs, int timeoutSecs);
    void stopSharing(); // the server stops: the other nodes hear it, nothing more goes out

private:
    HttpResponse upgrade(const HttpRequest &request);
    // Whether anyone follows the feed: a console here, or on another node.
    bool watched() const;
    // A frame of this node (rows as ids, AdminFeedNames): to the other nodes, and to consoles here.
    void happened(QJsonObject frame);
    // To every console here once the names it shows are read; frames go out in the order they
    // came, whichever node they come from, so each node's stay in order.
    void show(const QJsonObject &frame, const QString &node);
    void send(QJsonObject frame);
    void flushReady();
    void clientsChanged();
    void presenceChanged(qint64 deviceId);
    void publishPresence();
    void notificationCreated(const NotificationRecord &notification);
    void deliveryAttempted(const DeliveryRecord &delivery, AttemptChannel channel, const QString &outcome,
                           const QString &detail);
    void deliveryFinished(const DeliveryRecord &delivery); // Delivered, Failed or Cancelled
    void tokenRetired(qint64 deviceId, const QString &reason);
    void monitorChanged(qint64 accountId, const QString &app, const QString &state, const QString &reason);

    Storage &m_storage;
    AdminSessions &m_sessions;
    AdminServerParts m_parts;
    QList<AdminLiveClient *> m_clients;
    AdminClusterFeed *m_cluster = nullptr; // shareAcrossNodes()
    // Presence changes of one event-loop pass go out as one frame per device (a session closing
    // takes all its apps offline at once).
    QSet<qint64> m_presenceDue;
    bool m_presenceQueued = false;
    QTimer m_sessionCheck; // expired console sessions end their feeds too
    struct Slot
    {
        bool ready = false;
        std::optional<QJsonObject> frame; // nullopt: none after all (its device is gone)
    };
    std::deque<std::shared_ptr<Slot>> m_queue; // frames in event order, some waiting for a read
};

} // namespace herald
