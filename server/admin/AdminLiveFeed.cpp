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
    response.takeOver = [this, acceptKey, tokenHash, session](TlsSocket *socket, const HttpRequest &, const QByteArray &pending) {
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
    if (m_queue.empty()) {
        send(std::move(frame));
        return;
    }
    auto slot = std::make_shared<Slot>();
    slot->ready = true;
    slot->frame = [frame] { return std::optional<QJsonObject>(frame); };
    m_queue.push_back(std::move(slot));
}

void AdminLiveFeed::send(QJsonObject frame)
{
    if (m_clients.isEmpty())
        return;
    frame.insert(QStringLiteral("at"), AdminJson::time(QDateTime::currentDateTimeUtc()));
    const QByteArray bytes = QJsonDocument(frame).toJson(QJsonDocument::Compact);
    // A client closed for being slow leaves the list from inside send(): iterate a copy.
    for (AdminLiveClient *client : QList<AdminLiveClient *>(m_clients))
        client->send(bytes);
}

template <typename Read, typename Format>
void AdminLiveFeed::publishAfterRead(Read read, Format format)
{
    using Found = std::invoke_result_t<Read &, Storage &>;
    auto slot = std::make_shared<Slot>();
    m_queue.push_back(slot);
    auto found = std::make_shared<std::optional<Found>>();
    m_storage.readInBackground([read, found](Storage &storage) mutable { found->emplace(read(storage)); },
                               [guard = QPointer<AdminLiveFeed>(this), slot, found, format] {
                                   if (!guard)
                                       return;
                                   slot->frame = [found, format] { return format(**found); };
                                   slot->ready = true;
                                   guard->flushReady();
                               });
}

void AdminLiveFeed::flushReady()
{
    while (!m_queue.empty() && m_queue.front()->ready) {
        const std::shared_ptr<Slot> slot = std::move(m_queue.front());
        m_queue.pop_front();
        if (auto frame = slot->frame())
            send(std::move(*frame));
    }
}

QString AdminLiveFeed::accountName(Storage &storage, qint64 accountId)
{
    const auto account = storage.accountById(accountId);
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
    struct Named
    {
        std::optional<DeviceRecord> device;
        QString account;
    };
    for (const qint64 id : due) {
        publishAfterRead(
            [id](Storage &storage) {
                Named named{storage.deviceById(id), {}};
                if (named.device)
                    named.account = accountName(storage, named.device->accountId);
                return named;
            },
            [this, id](const Named &named) -> std::optional<QJsonObject> {
                if (!named.device)
                    return std::nullopt; // removed meanwhile; the console learns that from its list
                // Presence as it is now, when the frame goes out.
                const TerminalSession *session = m_parts.presence->session(id);
                QJsonObject apps;
                for (const QString &app : named.device->apps)
                    apps.insert(app, presenceName(m_parts.presence->presence(id, app)));
                return QJsonObject{{QStringLiteral("type"), QStringLiteral("presence")},
                                   {QStringLiteral("account"), named.account},
                                   {QStringLiteral("deviceId"), named.device->deviceId},
                                   {QStringLiteral("online"), session != nullptr && session->isReady()},
                                   {QStringLiteral("apps"), apps}};
            });
    }
}

void AdminLiveFeed::notificationCreated(const NotificationRecord &notification)
{
    if (m_clients.isEmpty())
        return;
    // Metadata only: what a notification says is for its owner, whatever the app's privacy level.
    QJsonObject frame{{QStringLiteral("type"), QStringLiteral("notification")},
                      {QStringLiteral("id"), notification.id},
                      {QStringLiteral("app"), notification.app},
                      {QStringLiteral("createdAt"), AdminJson::time(notification.createdAt)}};
    publishAfterRead([accountId = notification.accountId](Storage &storage) { return accountName(storage, accountId); },
                     [frame](const QString &account) -> std::optional<QJsonObject> {
                         QJsonObject out = frame;
                         out.insert(QStringLiteral("account"), account);
                         return out;
                     });
}

void AdminLiveFeed::deliveryAttempted(const DeliveryRecord &delivery, AttemptChannel channel, const QString &outcome,
                                      const QString &detail)
{
    if (m_clients.isEmpty())
        return;
    QJsonObject frame{{QStringLiteral("type"), QStringLiteral("delivery")},
                      {QStringLiteral("notificationId"), delivery.notificationId},
                      {QStringLiteral("deliveryId"), delivery.id},
                      {QStringLiteral("channel"), AdminJson::channel(channel)},
                      {QStringLiteral("state"), toText(delivery.state)},
                      {QStringLiteral("outcome"), outcome},
                      {QStringLiteral("detail"), textOrNull(detail)}};
    publishAfterRead(
        [deviceId = delivery.deviceId](Storage &storage) {
            const auto device = storage.deviceById(deviceId);
            return device ? device->deviceId : QString();
        },
        [frame](const QString &deviceId) -> std::optional<QJsonObject> {
            QJsonObject out = frame;
            out.insert(QStringLiteral("deviceId"), deviceId);
            return out;
        });
}

void AdminLiveFeed::deliveryFinished(const DeliveryRecord &d)
{
    if (m_clients.isEmpty())
        return;
    QJsonObject frame{{QStringLiteral("type"), QStringLiteral("delivery")},
                      {QStringLiteral("notificationId"), d.notificationId},
                      {QStringLiteral("deliveryId"), d.id},
                      {QStringLiteral("channel"), textOrNull(AdminJson::channel(d.channel))},
                      {QStringLiteral("state"), toText(d.state)},
                      {QStringLiteral("detail"), textOrNull(d.state == DeliveryState::Delivered ? QString() : d.lastError)}};
    publishAfterRead(
        [deviceId = d.deviceId](Storage &storage) {
            const auto device = storage.deviceById(deviceId);
            return device ? device->deviceId : QString();
        },
        [frame](const QString &deviceId) -> std::optional<QJsonObject> {
            QJsonObject out = frame;
            out.insert(QStringLiteral("deviceId"), deviceId);
            return out;
        });
}

void AdminLiveFeed::tokenRetired(qint64 deviceId, const QString &reason)
{
    if (m_clients.isEmpty())
        return;
    struct Named
    {
        std::optional<DeviceRecord> device;
        QString account;
    };
    publishAfterRead(
        [deviceId](Storage &storage) {
            Named named{storage.deviceById(deviceId), {}};
            if (named.device)
                named.account = accountName(storage, named.device->accountId);
            return named;
        },
        [reason](const Named &named) -> std::optional<QJsonObject> {
            if (!named.device)
                return std::nullopt;
            return QJsonObject{{QStringLiteral("type"), QStringLiteral("token-retired")},
                               {QStringLiteral("account"), named.account},
                               {QStringLiteral("deviceId"), named.device->deviceId},
                               {QStringLiteral("reason"), reason}};
        });
}

void AdminLiveFeed::monitorChanged(qint64 accountId, const QString &app, const QString &state, const QString &reason)
{
    if (m_clients.isEmpty())
        return;
    QJsonObject frame{{QStringLiteral("type"), QStringLiteral("monitor")},
                            {QStringLiteral("app"), app},
                            {QStringLiteral("state"), state},
                            {QStringLiteral("reason"), textOrNull(reason)}};
    publishAfterRead([accountId](Storage &storage) { return accountName(storage, accountId); },
                     [frame](const QString &account) -> std::optional<QJsonObject> {
                         QJsonObject out = frame;
                         out.insert(QStringLiteral("account"), account);
                         return out;
                     });
}

} // namespace herald
