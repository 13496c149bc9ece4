#include "admin/AdminNotificationsApi.h"

#include "admin/AdminJson.h"
#include "admin/AdminQuery.h"
#include "admin/AdminSessions.h"
#include "admin/AuditLog.h"
#include "dispatch/AppSettings.h"
#include "dispatch/Dispatcher.h"
#include "http/HttpRequest.h"
#include "http/Router.h"
#include "protocol/TerminalApi.h"
#include "storage/Storage.h"

#include <QJsonArray>

namespace herald {
namespace {

const QStringList States{QStringLiteral("pending"), QStringLiteral("failed"), QStringLiteral("all")};
constexpr int MaxIdLength = 128;

// ?state= as the admin API spells it (one of States, or absent).
NotificationFilter::Deliveries deliveriesFilter(const QString &state)
{
    if (state == QLatin1String("pending"))
        return NotificationFilter::Deliveries::Unfinished;
    if (state == QLatin1String("failed"))
        return NotificationFilter::Deliveries::Failed;
    return NotificationFilter::Deliveries::Any;
}

// "apns: 410 Unregistered" -> "push.apns" (the [push.*] section naming the provider).
QJsonValue providerOf(const DeliveryAttemptRecord &a)
{
    const qsizetype colon = a.detail.indexOf(QLatin1String(": "));
    if (a.channel != AttemptChannel::Push || colon <= 0)
        return QJsonValue::Null;
    return QStringLiteral("push.") + a.detail.left(colon);
}

QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

protocol::ApiError conflict(const QString &message)
{
    return protocol::ApiError{409, QStringLiteral("conflict"), message};
}

} // namespace

AdminNotificationsApi::AdminNotificationsApi(Storage &storage, AdminSessions &sessions, AuditLog &audit,
                                             Dispatcher &dispatcher, const AppCatalog &apps, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_sessions(sessions)
    , m_audit(audit)
    , m_dispatcher(dispatcher)
    , m_apps(apps)
{
}

void AdminNotificationsApi::registerRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/admin/v1/notifications"),
               [this](const HttpRequest &r) { return listNotifications(r); });
    router.add("GET", QStringLiteral("/admin/v1/notifications/{id}"),
               [this](const HttpRequest &r) { return showNotification(r); });
    router.add("POST", QStringLiteral("/admin/v1/deliveries/{id}/retry"),
               [this](const HttpRequest &r) { return retryDelivery(r); });
    router.add("POST", QStringLiteral("/admin/v1/deliveries/{id}/cancel"),
               [this](const HttpRequest &r) { return cancelDelivery(r); });
}

QString AdminNotificationsApi::accountName(qint64 accountId)
{
    auto found = m_accountNames.constFind(accountId);
    if (found != m_accountNames.cend())
        return *found;
    const auto account = m_storage.accountById(accountId);
    const QString name = account ? account->name : QString();
    m_accountNames.insert(accountId, name);
    return name;
}

std::optional<DeviceRecord> AdminNotificationsApi::device(qint64 rowId)
{
    auto found = m_devices.constFind(rowId);
    if (found != m_devices.cend())
        return *found;
    const auto d = m_storage.deviceById(rowId);
    m_devices.insert(rowId, d);
    return d;
}

std::optional<QJsonObject> AdminNotificationsApi::notificationJson(const NotificationRecord &n, bool withAttempts)
{
    const QString privacy = m_apps.settings(n.app).privacy;
    QJsonObject o{{QStringLiteral("id"), n.id},
                  {QStringLiteral("account"), accountName(n.accountId)},
                  {QStringLiteral("app"), n.app},
                  {QStringLiteral("createdAt"), AdminJson::time(n.createdAt)},
                  {QStringLiteral("expiresAt"), AdminJson::time(n.expiresAt)},
                  {QStringLiteral("state"), toText(n.state)},
                  {QStringLiteral("privacy"), privacy}};
    // Never more than a push of this app may say: the console is not a way around the setting.
    if (privacy == QLatin1String("full") || privacy == QLatin1String("summary"))
        o.insert(QStringLiteral("sender"), n.sender);
    if (privacy == QLatin1String("full"))
        o.insert(QStringLiteral("subject"), n.subject);

    const auto deliveries = m_storage.deliveriesOfNotification(n.id);
    if (!deliveries)
        return std::nullopt;
    QJsonArray list;
    QList<QPair<QJsonObject, QDateTime>> history;
    for (const DeliveryRecord &d : *deliveries) {
        const auto attempts = m_storage.deliveryAttempts(d.id);
        if (!attempts)
            return std::nullopt;
        bool inBand = false, pushed = false;
        const auto target = device(d.deviceId);
        const QString deviceId = target ? target->deviceId : QString();
        for (const DeliveryAttemptRecord &a : *attempts) {
            inBand |= a.channel == AttemptChannel::InBand;
            pushed |= a.channel == AttemptChannel::Push;
            if (withAttempts)
                history.append({QJsonObject{{QStringLiteral("deliveryId"), d.id},
                                            {QStringLiteral("deviceId"), deviceId},
                                            {QStringLiteral("at"), AdminJson::time(a.at)},
                                            {QStringLiteral("sentAt"), AdminJson::time(a.sentAt)},
                                            {QStringLiteral("channel"), AdminJson::channel(a.channel)},
                                            {QStringLiteral("provider"), providerOf(a)},
                                            {QStringLiteral("outcome"), a.outcome},
                                            {QStringLiteral("detail"), orNull(a.detail)}},
                                a.at});
        }
        // "both": it went in-band, the ack did not come, and it was pushed after all.
        const QString channel = inBand && pushed ? QStringLiteral("both")
                                : inBand         ? QStringLiteral("in-band")
                                : pushed         ? QStringLiteral("push")
                                                 : AdminJson::channel(d.channel);
        list.append(QJsonObject{{QStringLiteral("id"), d.id},
                                {QStringLiteral("deviceId"), deviceId},
                                {QStringLiteral("platform"), target ? QJsonValue(target->platform) : QJsonValue()},
                                {QStringLiteral("channel"), orNull(channel)},
                                {QStringLiteral("state"), toText(d.state)},
                                {QStringLiteral("attempts"), d.attempts},
                                {QStringLiteral("lastError"), orNull(d.lastError)},
                                {QStringLiteral("nextAttemptAt"), d.state == DeliveryState::Retry
                                                                      ? AdminJson::time(d.nextAttemptAt)
                                                                      : QJsonValue(QJsonValue::Null)}});
    }
    o.insert(QStringLiteral("deliveries"), list);
    if (withAttempts) {
        std::stable_sort(history.begin(), history.end(),
                         [](const auto &a, const auto &b) { return a.second < b.second; });
        QJsonArray attempts;
        for (const auto &entry : std::as_const(history))
            attempts.append(entry.first);
        o.insert(QStringLiteral("attempts"), attempts);
    }
    return o;
}

HttpResponse AdminNotificationsApi::listNotifications(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, false);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    AdminQuery query(request, {QStringLiteral("state"), QStringLiteral("user"), QStringLiteral("app")});
    NotificationFilter filter;
    filter.deliveries = deliveriesFilter(query.oneOf(QStringLiteral("state"), States));
    const QString user = query.value(QStringLiteral("user"), AdminJson::MaxNameLength + 64);
    filter.app = query.value(QStringLiteral("app"), 64);
    if (query.ok() && query.has(QStringLiteral("user")) && !AdminJson::namePattern().match(user).hasMatch())
        query.fail(QStringLiteral("'%1' is not a valid account name").arg(user.left(64)));
    if (query.ok() && query.has(QStringLiteral("app")) && !protocol::isAppName(filter.app))
        query.fail(QStringLiteral("app must be an app name ([a-z0-9][a-z0-9._-]{0,63})"));
    if (!query.ok())
        return HttpResponse::error(query.error());
    if (query.has(QStringLiteral("user"))) {
        const auto account = m_storage.accountByName(user);
        if (!account)
            return HttpResponse::error(protocol::ApiError::notFound(QStringLiteral("no account named '%1'").arg(user)));
        filter.accountId = account->id;
    }
    m_accountNames.clear();
    m_devices.clear();
    const auto total = m_storage.countNotifications(filter);
    const auto rows = m_storage.findNotifications(filter, query.offset(), query.limit());
    if (!total || !rows)
        return HttpResponse::error(protocol::ApiError::internal());
    QJsonArray list;
    for (const NotificationRecord &n : *rows) {
        const auto json = notificationJson(n, false);
        if (!json)
            return HttpResponse::error(protocol::ApiError::internal());
        list.append(*json);
    }
    return HttpResponse::json(200, query.page(QJsonObject{{QStringLiteral("notifications"), list}}, *total));
}

HttpResponse AdminNotificationsApi::showNotification(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, false);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    const QString id = request.pathParams.value(QStringLiteral("id"));
    if (id.isEmpty() || id.size() > MaxIdLength)
        return HttpResponse::error(protocol::ApiError::badRequest(
            QStringLiteral("invalid_value"), QStringLiteral("a notification id has 1 to %1 characters").arg(MaxIdLength)));
    const auto n = m_storage.notificationById(id);
    if (!n)
        return HttpResponse::error(protocol::ApiError::notFound(QStringLiteral("no notification with id '%1'").arg(id.left(64))));
    m_accountNames.clear();
    m_devices.clear();
    const auto json = notificationJson(*n, true);
    if (!json)
        return HttpResponse::error(protocol::ApiError::internal());
    return HttpResponse::json(200, *json);
}

std::optional<DeliveryRecord> AdminNotificationsApi::findDelivery(const HttpRequest &request, HttpResponse *failure)
{
    const QString id = request.pathParams.value(QStringLiteral("id"));
    if (id.isEmpty() || id.size() > MaxIdLength) {
        *failure = HttpResponse::error(protocol::ApiError::badRequest(
            QStringLiteral("invalid_value"), QStringLiteral("a delivery id has 1 to %1 characters").arg(MaxIdLength)));
        return std::nullopt;
    }
    auto d = m_storage.deliveryById(id);
    if (!d)
        *failure = HttpResponse::error(protocol::ApiError::notFound(QStringLiteral("no delivery with id '%1'").arg(id.left(64))));
    return d;
}

HttpResponse AdminNotificationsApi::retryDelivery(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, true);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    HttpResponse failure;
    auto d = findDelivery(request, &failure);
    if (!d)
        return failure;
    if (d->state != DeliveryState::Failed)
        return HttpResponse::error(
            conflict(QStringLiteral("only a failed delivery can be retried; this one is %1").arg(toText(d->state))));
    const auto n = m_storage.notificationById(d->notificationId);
    if (!n)
        return HttpResponse::error(protocol::ApiError::internal());
    if (!isDeliverable(n->state))
        return HttpResponse::error(
            conflict(QStringLiteral("the notification is %1; there is nothing to deliver").arg(toText(n->state))));
    if (n->expiresAt <= QDateTime::currentDateTimeUtc())
        return HttpResponse::error(conflict(QStringLiteral("the notification has expired")));
    // Back to the start of the decision: in-band if the app is in the foreground now, else a push.
    d->state = DeliveryState::Pending;
    d->channel = DeliveryChannel::None;
    d->nextAttemptAt = QDateTime();
    d->lastError.clear();
    const QString target = d->id + QStringLiteral(" (") + accountName(n->accountId) + QLatin1Char(')');
    const bool ok = m_storage.transaction([&] {
        return m_storage.updateDelivery(*d) &&
               m_audit.record(auth.session->operatorName, QStringLiteral("delivery.retry"), target, request.peer);
    });
    if (!ok)
        return HttpResponse::error(protocol::ApiError::internal());
    m_dispatcher.schedule(d->id);
    m_devices.clear();
    const auto json = notificationJson(*n, false);
    return json ? HttpResponse::json(200, *json) : HttpResponse::error(protocol::ApiError::internal());
}

HttpResponse AdminNotificationsApi::cancelDelivery(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, true);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    HttpResponse failure;
    auto d = findDelivery(request, &failure);
    if (!d)
        return failure;
    if (!isOpen(d->state))
        return HttpResponse::error(conflict(QStringLiteral("the delivery is %1 already").arg(toText(d->state))));
    if (m_dispatcher.isSending(d->id))
        return HttpResponse::error(
            conflict(QStringLiteral("a push provider has the delivery right now; its answer decides, try again in a moment")));
    const auto n = m_storage.notificationById(d->notificationId);
    if (!n)
        return HttpResponse::error(protocol::ApiError::internal());
    d->state = DeliveryState::Cancelled;
    d->lastError = QStringLiteral("cancelled by operator %1").arg(auth.session->operatorName);
    const QString target = d->id + QStringLiteral(" (") + accountName(n->accountId) + QLatin1Char(')');
    const bool ok = m_storage.transaction([&] {
        return m_storage.updateDelivery(*d) &&
               m_audit.record(auth.session->operatorName, QStringLiteral("delivery.cancel"), target, request.peer);
    });
    if (!ok)
        return HttpResponse::error(protocol::ApiError::internal());
    m_dispatcher.withdraw(d->id);
    m_devices.clear();
    const auto json = notificationJson(*n, false);
    return json ? HttpResponse::json(200, *json) : HttpResponse::error(protocol::ApiError::internal());
}

} // namespace herald
