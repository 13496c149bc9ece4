#include "admin/AdminLiveFeed.h"

#include "admin/AdminJson.h"
#include "admin/AdminLiveClient.h"
#include "admin/AdminLog.h"
#include "admin/AdminSessions.h"
#include "admin/ProviderHealth.h"
#include "dispatch/Dispatcher.h"
#include "dispatch/EventIngestor.h"
#include "http/HttpRequest.h"
#include "http/Router.h"
#include "monitor/MonitorManager.h"
#include "presence/PresenceTracker.h"
#include "presence/TerminalSession.h"
#include "presence/WebSocketConnection.h"
#include "registry/DeviceToken.h"
#include "storage/Storage.h"

#include <QJsonDocument>
#include <QSslSocket>

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
    connect(m_parts.dispatcher, &Dispatcher::deliveryFinished, this, &AdminLiveFeed::deliveryFinished);
    connect(m_parts.dispatcher, &Dispatcher::pushTokenRetired, this, &AdminLiveFeed::tokenRetired);
    connect(m_parts.monitors, &MonitorManager::monitorStateChanged, this, &AdminLiveFeed::monitorChanged);
    connect(&health, &ProviderHealth::stateChanged, this, [this](const QString &name, const QString &state, const QString &reason) {
        broadcast({{QStringLiteral("type"), QStringLiteral("provider")},
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
    response.takeOver = [this, acceptKey, tokenHash, session](QSslSocket *socket, const HttpRequest &, const QByteArray &pending) {
        socket->write(WebSocketConnection::handshakeResponse(acceptKey));
        auto *client = new AdminLiveClient(socket, pending, tokenHash, session.operatorName, this);
        m_clients.append(client);
        connect(client, &AdminLiveClient::finished, this, [this, client] { m_clients.removeAll(client); });
        if (!m_sessionCheck.isActive())
            m_sessionCheck.start();
        qCInfo(lcAdmin) << "operator" << session.operatorName << "follows the live feed";
        client->send(QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("hello")},
                                               {QStringLiteral("at"), AdminJson::time(QDateTime::currentDateTimeUtc())},
                                               {QStringLiteral("role"), session.role}})
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

void AdminLiveFeed::broadcast(QJsonObject frame)
{
    if (m_clients.isEmpty())
        return;
    frame.insert(QStringLiteral("at"), AdminJson::time(QDateTime::currentDateTimeUtc()));
    const QByteArray bytes = QJsonDocument(frame).toJson(QJsonDocument::Compact);
    // A client closed for being slow leaves the list from inside send(): iterate a copy.
    for (AdminLiveClient *client : QList<AdminLiveClient *>(m_clients))
        client->send(bytes);
}

QString AdminLiveFeed::accountName(qint64 accountId)
{
    const auto account = m_storage.accountById(accountId);
    return account ? account->name : QString();
}

void AdminLiveFeed::presenceChanged(qint64 deviceId)
{
    if (m_clients.isEmpty())
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
        const auto device = m_storage.deviceById(id);
        if (!device)
            continue; // removed meanwhile; the console learns that from its list
        const TerminalSession *session = m_parts.presence->session(id);
        QJsonObject apps;
        for (const QString &app : device->apps)
            apps.insert(app, presenceName(m_parts.presence->presence(id, app)));
        broadcast({{QStringLiteral("type"), QStringLiteral("presence")},
                   {QStringLiteral("account"), accountName(device->accountId)},
                   {QStringLiteral("deviceId"), device->deviceId},
                   {QStringLiteral("online"), session != nullptr && session->isReady()},
                   {QStringLiteral("apps"), apps}});
    }
}

void AdminLiveFeed::notificationCreated(const NotificationRecord &notification)
{
    if (m_clients.isEmpty())
        return;
    // Metadata only: what a notification says is for its owner, whatever the app's privacy level.
    broadcast({{QStringLiteral("type"), QStringLiteral("notification")},
               {QStringLiteral("id"), notification.id},
               {QStringLiteral("account"), accountName(notification.accountId)},
               {QStringLiteral("app"), notification.app},
               {QStringLiteral("createdAt"), AdminJson::time(notification.createdAt)}});
}

void AdminLiveFeed::deliveryAttempted(const DeliveryRecord &delivery, AttemptChannel channel, const QString &outcome,
                                      const QString &detail)
{
    if (m_clients.isEmpty())
        return;
    const auto device = m_storage.deviceById(delivery.deviceId);
    broadcast({{QStringLiteral("type"), QStringLiteral("delivery")},
               {QStringLiteral("notificationId"), delivery.notificationId},
               {QStringLiteral("deliveryId"), delivery.id},
               {QStringLiteral("deviceId"), device ? device->deviceId : QString()},
               {QStringLiteral("channel"), AdminJson::channel(channel)},
               {QStringLiteral("state"), toText(delivery.state)},
               {QStringLiteral("outcome"), outcome},
               {QStringLiteral("detail"), textOrNull(detail)}});
}

void AdminLiveFeed::deliveryFinished(const QString &deliveryId, DeliveryState state)
{
    if (m_clients.isEmpty())
        return;
    const auto delivery = m_storage.deliveryById(deliveryId);
    if (!delivery)
        return;
    const auto device = m_storage.deviceById(delivery->deviceId);
    broadcast({{QStringLiteral("type"), QStringLiteral("delivery")},
               {QStringLiteral("notificationId"), delivery->notificationId},
               {QStringLiteral("deliveryId"), deliveryId},
               {QStringLiteral("deviceId"), device ? device->deviceId : QString()},
               {QStringLiteral("channel"), textOrNull(AdminJson::channel(delivery->channel))},
               {QStringLiteral("state"), toText(state)}, // final; storage may not have caught up with a pushed one yet
               {QStringLiteral("detail"), textOrNull(state == DeliveryState::Delivered ? QString() : delivery->lastError)}});
}

void AdminLiveFeed::tokenRetired(qint64 deviceId, const QString &reason)
{
    if (m_clients.isEmpty())
        return;
    const auto device = m_storage.deviceById(deviceId);
    if (!device)
        return;
    broadcast({{QStringLiteral("type"), QStringLiteral("token-retired")},
               {QStringLiteral("account"), accountName(device->accountId)},
               {QStringLiteral("deviceId"), device->deviceId},
               {QStringLiteral("reason"), reason}});
}

void AdminLiveFeed::monitorChanged(qint64 accountId, const QString &app, const QString &state, const QString &reason)
{
    if (m_clients.isEmpty())
        return;
    broadcast({{QStringLiteral("type"), QStringLiteral("monitor")},
               {QStringLiteral("account"), accountName(accountId)},
               {QStringLiteral("app"), app},
               {QStringLiteral("state"), state},
               {QStringLiteral("reason"), textOrNull(reason)}});
}

} // namespace herald
