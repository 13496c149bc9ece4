#include "admin/AdminLiveFeed.h"

#include "admin/AdminClusterFeed.h"
#include "admin/AdminFeedNames.h"
#include "admin/AdminJson.h"
#include "admin/AdminLiveClient.h"
#include "admin/AdminLog.h"
#include "admin/AdminSessions.h"
#include "admin/ProviderHealth.h"
#include "dispatch/Dispatcher.h"
#include "dispatch/EventIngestor.h"
#include "http/HttpRequest.h"
#include "http/Router.h"
#include "http/TlsSocket.h"
#include "monitor/MonitorManager.h"
#include "presence/PresenceTracker.h"
#include "presence/TerminalSession.h"
#include "presence/WebSocketConnection.h"
#include "registry/DeviceToken.h"
#include "storage/Storage.h"

#include <QJsonDocument>
#include <QPointer>

namespace herald {

namespace {

QJsonValue textOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

} // namespace

AdminLiveFeed::AdminLiveFeed(Storage &storage, AdminSessions &sessions, const AdminServerParts &parts,
                             const ProviderHealth &health, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_sessions(sessions)
    , m_parts(parts)
{
    connect(m_parts.presence, &PresenceTracker::presenceChanged, this, [this](qint64 id) { presenceChanged(id); });
    connect(m_parts.presence, &PresenceTracker::sessionReady, this, &AdminLiveFeed::presenceChanged);
    connect(m_parts.presence, &PresenceTracker::sessionClosed, this, &AdminLiveFeed::presenceChanged);
    connect(m_parts.ingestor, &EventIngestor::notificationCreated, this, &AdminLiveFeed::notificationCreated);
    connect(m_parts.dispatcher, &Dispatcher::deliveryAttempted, this, &AdminLiveFeed::deliveryAttempted);
    // With the record: the final row may not be committed yet, so a read could not show it.
    connect(m_parts.dispatcher, &Dispatcher::deliveryCompleted, this, &AdminLiveFeed::deliveryFinished);
    connect(m_parts.dispatcher, &Dispatcher::deliveryWithdrawn, this, &AdminLiveFeed::deliveryFinished);
    connect(m_parts.dispatcher, &Dispatcher::pushTokenRetired, this, &AdminLiveFeed::tokenRetired);
    connect(m_parts.monitors, &MonitorManager::monitorStateChanged, this, &AdminLiveFeed::monitorChanged);
    connect(&health, &ProviderHealth::stateChanged, this, [this](const QString &name, const QString &state, const QString &reason) {
        if (!watched())
            return;
        happened({{QStringLiteral("type"), QStringLiteral("provider")},
                  {QStringLiteral("name"), name},
                  {QStringLiteral("state"), state},
                  {QStringLiteral("reason"), textOrNull(reason)}});
    });
    m_sessionCheck.setInterval(60'000);
    connect(&m_sessionCheck, &QTimer::timeout, this, &AdminLiveFeed::recheckSessions);
}

void AdminLiveFeed::registerRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/admin/v1/live"), [this](const HttpRequest &r) { return upgrade(r); });
}

HttpResponse AdminLiveFeed::upgrade(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, false, true);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    QByteArray acceptKey;
    QString error;
    if (!WebSocketConnection::checkUpgrade(request, &acceptKey, &error)) {
        HttpResponse response = HttpResponse::error(protocol::ApiError{426, QStringLiteral("upgrade_required"), error});
        response.headers.append(qMakePair(QByteArray("Upgrade"), QByteArray("websocket")));
        return response;
    }
    if (m_clients.size() >= MaxClients)
        return HttpResponse::error(protocol::ApiError{503, QStringLiteral("too_many_connections"),
                                                      QStringLiteral("%1 consoles are already following the live feed").arg(MaxClients)});
    HttpResponse response;
    const QByteArray tokenHash = DeviceToken::hash(request.bearerToken(true));
    const AdminSessions::Session session = *auth.session;
    response.takeOver = [this, acceptKey, tokenHash, session](TlsSocket *socket, const HttpRequest &, const QByteArray &pending) {
        socket->write(WebSocketConnection::handshakeResponse(acceptKey));
        auto *client = new AdminLiveClient(socket, pending, tokenHash, session.operatorName, this);
        m_clients.append(client);
        connect(client, &AdminLiveClient::finished, this, [this, client] {
            if (m_clients.removeAll(client) > 0)
                clientsChanged();
        });
        if (m_clients.size() == 1)
            clientsChanged();
        if (!m_sessionCheck.isActive())
            m_sessionCheck.start();
        qCInfo(lcAdmin) << "operator" << session.operatorName << "follows the live feed";
        client->send(QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("hello")},
                                               {QStringLiteral("at"), AdminJson::time(QDateTime::currentDateTimeUtc())},
                                               {QStringLiteral("role"), session.role},
                                               {QStringLiteral("node"), m_storage.nodeName()}})
                         .toJson(QJsonDocument::Compact));
    };
    return response;
}

void AdminLiveFeed::recheckSessions()
{
    for (AdminLiveClient *client : QList<AdminLiveClient *>(m_clients)) {
        if (!m_sessions.current(client->tokenHash())) {
            qCInfo(lcAdmin) << "ending the live feed of operator" << client->operatorName() << "(session ended)";
            client->end(WebSocketConnection::PolicyViolation, "session ended");
        }
    }
    if (m_clients.isEmpty())
        m_sessionCheck.stop();
}

bool AdminLiveFeed::watched() const
{
    return !m_clients.isEmpty() || (m_cluster && m_cluster->othersWatch());
}

void AdminLiveFeed::clientsChanged()
{
    if (m_cluster)
        m_cluster->setWatching(!m_clients.isEmpty());
}

void AdminLiveFeed::shareAcrossNodes(int heartbeatSecs, int timeoutSecs)
{
    m_cluster = new AdminClusterFeed(m_storage, heartbeatSecs, timeoutSecs, this);
    connect(m_cluster, &AdminClusterFeed::frameArrived, this, &AdminLiveFeed::show);
    m_cluster->start();
    clientsChanged();
}

void AdminLiveFeed::stopSharing()
{
    if (!m_cluster)
        return;
    m_cluster->stop();
    m_cluster->deleteLater();
    m_cluster = nullptr;
}

void AdminLiveFeed::happened(QJsonObject frame)
{
    // When it happened here: a frame from another node keeps its own node's time.
    frame.insert(QStringLiteral("at"), AdminJson::time(QDateTime::currentDateTimeUtc()));
    if (m_cluster && m_cluster->othersWatch())
        m_cluster->publish(frame);
    show(frame, m_storage.nodeName());
}

void AdminLiveFeed::show(const QJsonObject &frame, const QString &node)
{
    if (m_clients.isEmpty())
        return;
    auto slot = std::make_shared<Slot>();
    m_queue.push_back(slot);
    auto names = std::make_shared<AdminFeedNames>(frame);
    if (!names->needsRead()) {
        slot->frame = names->present(frame, node);
        slot->ready = true;
        flushReady();
        return;
    }
    // The names are read on a reading connection, not on the event loop, which would otherwise
    // pay reads for every event while a console watches.
    m_storage.readInBackground([names](Storage &storage) { names->read(storage); },
                               [guard = QPointer<AdminLiveFeed>(this), slot, names, frame, node] {
                                   if (!guard)
                                       return;
                                   slot->frame = names->present(frame, node);
                                   slot->ready = true;
                                   guard->flushReady();
                               });
}

void AdminLiveFeed::send(QJsonObject frame)
{
    if (m_clients.isEmpty())
        return;
    const QByteArray bytes = QJsonDocument(frame).toJson(QJsonDocument::Compact);
    // A client closed for being slow leaves the list from inside send(): iterate a copy.
    for (AdminLiveClient *client : QList<AdminLiveClient *>(m_clients))
        client->send(bytes);
}

void AdminLiveFeed::flushReady()
{
    while (!m_queue.empty() && m_queue.front()->ready) {
        const std::shared_ptr<Slot> slot = std::move(m_queue.front());
        m_queue.pop_front();
        if (slot->frame)
            send(std::move(*slot->frame));
    }
}

void AdminLiveFeed::presenceChanged(qint64 deviceId)
{
    if (!watched())
        return;
    m_presenceDue.insert(deviceId);
    if (!m_presenceQueued) {
        m_presenceQueued = true;
        QMetaObject::invokeMethod(this, &AdminLiveFeed::publishPresence, Qt::QueuedConnection);
    }
}

void AdminLiveFeed::publishPresence()
{
    m_presenceQueued = false;
    const QSet<qint64> due = std::exchange(m_presenceDue, {});
    for (const qint64 id : due) {
        // Presence as it is at the end of the pass, where the session is; the apps it never
        // reported are filled in from the device's list where the frame is shown (AdminFeedNames).
        const TerminalSession *session = m_parts.presence->session(id);
        QJsonObject apps;
        if (session) {
            const auto states = session->appStates();
            for (auto it = states.cbegin(); it != states.cend(); ++it)
                apps.insert(it.key(), presenceName(m_parts.presence->presence(id, it.key())));
        }
        happened({{QStringLiteral("type"), QStringLiteral("presence")},
                  {QStringLiteral("deviceRow"), id},
                  {QStringLiteral("online"), session != nullptr && session->isReady()},
                  {QStringLiteral("apps"), apps}});
    }
}

void AdminLiveFeed::notificationCreated(const NotificationRecord &notification)
{
    if (!watched())
        return;
    // Metadata only: what a notification says is for its owner, whatever the app's privacy level.
    happened({{QStringLiteral("type"), QStringLiteral("notification")},
              {QStringLiteral("id"), notification.id},
              {QStringLiteral("accountRow"), notification.accountId},
              {QStringLiteral("app"), notification.app},
              {QStringLiteral("createdAt"), AdminJson::time(notification.createdAt)}});
}

void AdminLiveFeed::deliveryAttempted(const DeliveryRecord &delivery, AttemptChannel channel, const QString &outcome,
                                      const QString &detail)
{
    if (!watched())
        return;
    happened({{QStringLiteral("type"), QStringLiteral("delivery")},
              {QStringLiteral("notificationId"), delivery.notificationId},
              {QStringLiteral("deliveryId"), delivery.id},
              {QStringLiteral("deviceRow"), delivery.deviceId},
              {QStringLiteral("channel"), AdminJson::channel(channel)},
              {QStringLiteral("state"), toText(delivery.state)},
              {QStringLiteral("outcome"), outcome},
              {QStringLiteral("detail"), textOrNull(detail)}});
}

void AdminLiveFeed::deliveryFinished(const DeliveryRecord &d)
{
    if (!watched())
        return;
    happened({{QStringLiteral("type"), QStringLiteral("delivery")},
              {QStringLiteral("notificationId"), d.notificationId},
              {QStringLiteral("deliveryId"), d.id},
              {QStringLiteral("deviceRow"), d.deviceId},
              {QStringLiteral("channel"), textOrNull(AdminJson::channel(d.channel))},
              {QStringLiteral("state"), toText(d.state)},
              {QStringLiteral("detail"), textOrNull(d.state == DeliveryState::Delivered ? QString() : d.lastError)}});
}

void AdminLiveFeed::tokenRetired(qint64 deviceId, const QString &reason)
{
    if (!watched())
        return;
    happened({{QStringLiteral("type"), QStringLiteral("token-retired")},
              {QStringLiteral("deviceRow"), deviceId},
              {QStringLiteral("reason"), reason}});
}

void AdminLiveFeed::monitorChanged(qint64 accountId, const QString &app, const QString &state, const QString &reason)
{
    if (!watched())
        return;
    happened({{QStringLiteral("type"), QStringLiteral("monitor")},
              {QStringLiteral("accountRow"), accountId},
              {QStringLiteral("app"), app},
              {QStringLiteral("state"), state},
              {QStringLiteral("reason"), textOrNull(reason)}});
}

} // namespace herald
