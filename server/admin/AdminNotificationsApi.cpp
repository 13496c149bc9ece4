#include "admin/AdminNotificationsApi.h"

#include "admin/AdminChange.h"
#include "admin/AdminJson.h"
#include "admin/AdminQuery.h"
#include "admin/AdminSessions.h"
#include "admin/AuditLog.h"
#include "api/ReadThenAnswer.h"
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

struct AdminNotificationsApi::Detail
{
    NotificationRecord notification;
    QString account;
    QList<DeliveryRecord> deliveries;
    QList<QList<DeliveryAttemptRecord>> attempts; // per delivery
    QList<std::optional<DeviceRecord>> devices;   // per delivery
};

std::optional<QList<AdminNotificationsApi::Detail>> AdminNotificationsApi::readDetails(Storage &storage,
                                                                                     const QList<NotificationRecord> &rows)
{
    // Accounts and devices named by many rows of one page are read once.
    QHash<qint64, QString> accountNames;
    QHash<qint64, std::optional<DeviceRecord>> devices;
    QList<Detail> details;
    details.reserve(rows.size());
    for (const NotificationRecord &n : rows) {
        Detail detail;
        detail.notification = n;
        auto name = accountNames.constFind(n.accountId);
        if (name == accountNames.cend()) {
            const auto account = storage.accountById(n.accountId);
            name = accountNames.insert(n.accountId, account ? account->name : QString());
        }
        detail.account = *name;
        auto deliveries = storage.deliveriesOfNotification(n.id);
        if (!deliveries)
            return std::nullopt;
        detail.deliveries = std::move(*deliveries);
        for (const DeliveryRecord &d : std::as_const(detail.deliveries)) {
            auto attempts = storage.deliveryAttempts(d.id);
            if (!attempts)
                return std::nullopt;
            detail.attempts.append(std::move(*attempts));
            auto device = devices.constFind(d.deviceId);
            if (device == devices.cend())
                device = devices.insert(d.deviceId, storage.deviceById(d.deviceId));
            detail.devices.append(*device);
        }
        details.append(std::move(detail));
    }
    return details;
}

QJsonObject AdminNotificationsApi::notificationJson(const Detail &detail, bool withAttempts) const
{
    const NotificationRecord &n = detail.notification;
    const QString privacy = m_apps.settings(n.app).privacy;
    QJsonObject o{{QStringLiteral("id"), n.id},
                  {QStringLiteral("account"), detail.account},
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

    QJsonArray list;
    QList<QPair<QJsonObject, QDateTime>> history;
    for (qsizetype i = 0; i < detail.deliveries.size(); ++i) {
        const DeliveryRecord &d = detail.deliveries.at(i);
        bool inBand = false, pushed = false;
        const std::optional<DeviceRecord> &target = detail.devices.at(i);
        const QString deviceId = target ? target->deviceId : QString();
        for (const DeliveryAttemptRecord &a : detail.attempts.at(i)) {
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
    // Read on a reading connection: a page is a hundred notifications, each with its deliveries.
    struct Found
    {
        bool unknownUser = false;
        std::optional<int> total;
        std::optional<QList<Detail>> details;
    };
    const bool byUser = query.has(QStringLiteral("user"));
    return readThenAnswer(
        m_storage, this,
        [byUser, user, filter, offset = query.offset(), limit = query.limit()](Storage &storage) mutable {
            Found found;
            if (byUser) {
                const auto account = storage.accountByName(user);
                if (!account) {
                    found.unknownUser = true;
                    return found;
                }
                filter.accountId = account->id;
            }
            found.total = storage.countNotifications(filter);
            const auto rows = storage.findNotifications(filter, offset, limit);
            if (found.total && rows)
                found.details = readDetails(storage, *rows);
            return found;
        },
        [this, user, query](const Found &found) {
            if (found.unknownUser)
                return HttpResponse::error(protocol::ApiError::notFound(QStringLiteral("no account named '%1'").arg(user)));
            if (!found.total || !found.details)
                return HttpResponse::error(protocol::ApiError::internal());
            QJsonArray list;
            for (const Detail &detail : *found.details)
                list.append(notificationJson(detail, false));
            return HttpResponse::json(200, query.page(QJsonObject{{QStringLiteral("notifications"), list}}, *found.total));
        });
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
    struct Found
    {
        bool known = false;
        std::optional<QList<Detail>> details;
    };
    return readThenAnswer(
        m_storage, this,
        [id](Storage &storage) {
            Found found;
            const auto n = storage.notificationById(id);
            found.known = n.has_value();
            if (n)
                found.details = readDetails(storage, {*n});
            return found;
        },
        [this, id](const Found &found) {
            if (!found.known)
                return HttpResponse::error(
                    protocol::ApiError::notFound(QStringLiteral("no notification with id '%1'").arg(id.left(64))));
            if (!found.details)
                return HttpResponse::error(protocol::ApiError::internal());
            return HttpResponse::json(200, notificationJson(found.details->first(), true));
        });
}

bool AdminNotificationsApi::validDeliveryId(const QString &id, HttpResponse *failure)
{
    if (!id.isEmpty() && id.size() <= MaxIdLength)
        return true;
    *failure = HttpResponse::error(protocol::ApiError::badRequest(
        QStringLiteral("invalid_value"), QStringLiteral("a delivery id has 1 to %1 characters").arg(MaxIdLength)));
    return false;
}

HttpResponse AdminNotificationsApi::changeDelivery(const HttpRequest &request, const QString &action,
                                                   std::function<bool(DeliveryRecord &, const NotificationRecord &,
                                                                      const QString &operatorName, AdminChangeResult &)>
                                                       decide,
                                                   std::function<void(const DeliveryRecord &)> changed)
{
    const auto auth = m_sessions.authenticate(request, true);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    const QString id = request.pathParams.value(QStringLiteral("id"));
    HttpResponse failure;
    if (!validDeliveryId(id, &failure))
        return failure;
    if (m_dispatcher.isSending(id))
        return HttpResponse::error(
            conflict(QStringLiteral("a push provider has the delivery right now; its answer decides, try again in a moment")));
    struct Changed
    {
        DeliveryRecord delivery;
        std::optional<QList<Detail>> details;
    };
    auto done = std::make_shared<Changed>();
    // The checks, the change, its audit row and the notification as it now stands, in one unit of
    // the background writer: after every delivery write the dispatcher submitted before it.
    return changeThenAnswer(
        m_storage, this,
        [id, action, decide, done, operatorName = auth.session->operatorName, peer = request.peer](Storage &storage,
                                                                                                  AdminChangeResult &result) {
            auto d = storage.deliveryById(id);
            if (!d) {
                result.refused = protocol::ApiError::notFound(QStringLiteral("no delivery with id '%1'").arg(id.left(64)));
                return false;
            }
            const auto n = storage.notificationById(d->notificationId);
            if (!n || !decide(*d, *n, operatorName, result))
                return false;
            const auto account = storage.accountById(n->accountId);
            const QString target = d->id + QStringLiteral(" (") + (account ? account->name : QString()) + QLatin1Char(')');
            // A cancel leaves the delivery with the run that owns it, which is told to let go of it;
            // a retry makes it this run's (it schedules it next).
            const bool stored = d->state == DeliveryState::Cancelled ? storage.cancelDelivery(*d) : storage.updateDelivery(*d);
            if (!stored || !AuditLog::append(storage, operatorName, action, target, peer))
                return false;
            done->delivery = *d;
            done->details = readDetails(storage, {*n});
            return done->details.has_value();
        },
        [this, done, changed](AdminChangeResult &result) {
            result.body = notificationJson(done->details->first(), false);
            changed(done->delivery);
        });
}

HttpResponse AdminNotificationsApi::retryDelivery(const HttpRequest &request)
{
    return changeDelivery(
        request, QStringLiteral("delivery.retry"),
        [](DeliveryRecord &d, const NotificationRecord &n, const QString &, AdminChangeResult &result) {
            if (d.state != DeliveryState::Failed)
                result.refused = conflict(
                    QStringLiteral("only a failed delivery can be retried; this one is %1").arg(toText(d.state)));
            else if (!isDeliverable(n.state))
                result.refused = conflict(
                    QStringLiteral("the notification is %1; there is nothing to deliver").arg(toText(n.state)));
            else if (n.expiresAt <= QDateTime::currentDateTimeUtc())
                result.refused = conflict(QStringLiteral("the notification has expired"));
            if (result.refused)
                return false;
            // Back to the start of the decision: in-band if the app is in the foreground now, else a push.
            d.state = DeliveryState::Pending;
            d.channel = DeliveryChannel::None;
            d.nextAttemptAt = QDateTime();
            d.lastError.clear();
            return true;
        },
        [this](const DeliveryRecord &d) { m_dispatcher.schedule(d.id); });
}

HttpResponse AdminNotificationsApi::cancelDelivery(const HttpRequest &request)
{
    return changeDelivery(
        request, QStringLiteral("delivery.cancel"),
        [](DeliveryRecord &d, const NotificationRecord &, const QString &operatorName, AdminChangeResult &result) {
            if (!isOpen(d.state)) {
                result.refused = conflict(QStringLiteral("the delivery is %1 already").arg(toText(d.state)));
                return false;
            }
            d.state = DeliveryState::Cancelled;
            d.lastError = QStringLiteral("cancelled by operator %1").arg(operatorName);
            return true;
        },
        [this](const DeliveryRecord &d) { m_dispatcher.withdraw(d); });
}

} // namespace herald
