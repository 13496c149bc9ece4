#pragma once

#include "admin/AdminServerParts.h"
#include "http/HttpResponse.h"
#include "presence/Presence.h"
#include "storage/Records.h"

#include <QObject>
#include <QSet>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>
#include <optional>

namespace herald {

class AdminLiveClient;
class AdminSessions;
class ProviderHealth;
class Router;
class Storage;
struct HttpRequest;

// GET /admin/v1/live: a WebSocket per console that streams what changes (presence, new
// notifications, delivery outcomes, retired push tokens, provider alarms, monitor states) as small
// JSON frames, so consoles update rows in place instead of polling. Open to helpdesk. Frames are
// built only while a console listens, carry no message contents, and every client has a bounded
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

private:
    HttpResponse upgrade(const HttpRequest &request);
    // To every console, after the frames still waiting for their reads (publishAfterRead()).
    void broadcast(QJsonObject frame);
    void send(QJsonObject frame);
    // The names a frame shows (account, device id) are read on a reading connection, not on the
    // event loop, which would otherwise pay reads for every event while a console watches: `read`
    // runs there (by value, on the Storage it is given), `format` makes the frame back on the event
    // loop (nullopt: none). Frames still go out in the order their events came.
    template <typename Read, typename Format>
    void publishAfterRead(Read read, Format format);
    void flushReady();
    void presenceChanged(qint64 deviceId);
    void publishPresence();
    void notificationCreated(const NotificationRecord &notification);
    void deliveryAttempted(const DeliveryRecord &delivery, AttemptChannel channel, const QString &outcome,
                           const QString &detail);
    void deliveryFinished(const DeliveryRecord &delivery); // Delivered, Failed or Cancelled
    void tokenRetired(qint64 deviceId, const QString &reason);
    void monitorChanged(qint64 accountId, const QString &app, const QString &state, const QString &reason);
    static QString accountName(Storage &storage, qint64 accountId);

    Storage &m_storage;
    AdminSessions &m_sessions;
    AdminServerParts m_parts;
    QList<AdminLiveClient *> m_clients;
    // Presence changes of one event-loop pass go out as one frame per device (a session closing
    // takes all its apps offline at once).
    QSet<qint64> m_presenceDue;
    bool m_presenceQueued = false;
    QTimer m_sessionCheck; // expired console sessions end their feeds too
    struct Slot
    {
        bool ready = false;
        std::function<std::optional<QJsonObject>()> frame;
    };
    std::deque<std::shared_ptr<Slot>> m_queue; // frames in event order, some waiting for a read
};

} // namespace herald
