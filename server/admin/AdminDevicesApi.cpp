#include "admin/AdminDevicesApi.h"

#include "admin/AdminJson.h"
#include "admin/AdminQuery.h"
#include "admin/AdminSessions.h"
#include "api/ReadThenAnswer.h"
#include "dispatch/Dispatcher.h"
#include "http/HttpRequest.h"
#include "http/Router.h"
#include "presence/PresenceTracker.h"
#include "storage/Storage.h"

#include <QJsonArray>

namespace herald {
namespace {

const QStringList Platforms{QStringLiteral("ios"), QStringLiteral("android"), QStringLiteral("web"),
                            QStringLiteral("desktop")};
const QStringList PresenceFilters{QStringLiteral("online"), QStringLiteral("offline"), QStringLiteral("foreground"),
                                  QStringLiteral("background"), QStringLiteral("closed")};
// What ?token= accepts: the push token states as stored (and as the JSON spells them).
const QStringList TokenStates{toText(PushTokenState::Active), toText(PushTokenState::Retired)};
constexpr int MaxSearchLength = 128;

} // namespace

AdminDevicesApi::AdminDevicesApi(Storage &storage, AdminSessions &sessions, const PresenceTracker &presence,
                                 const Dispatcher &dispatcher, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_sessions(sessions)
    , m_presence(presence)
    , m_dispatcher(dispatcher)
{
}

void AdminDevicesApi::registerRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/admin/v1/devices"), [this](const HttpRequest &r) { return listDevices(r); });
}

QHash<QString, QString> AdminDevicesApi::presenceOf(const DeviceRecord &device, const Elsewhere &elsewhere,
                                                   QString *node) const
{
    QHash<QString, QString> words;
    const auto there = elsewhere.constFind(device.id);
    if (m_presence.session(device.id) || there == elsewhere.cend()) {
        // Here, or nowhere: what this node's sessions say.
        *node = m_presence.session(device.id) ? m_storage.nodeName() : QString();
        for (const QString &app : device.apps)
            words.insert(app, presenceName(m_presence.presence(device.id, app)));
        return words;
    }
    // Another node holds it and published only the app on screen; the others are not shown.
    *node = there->node;
    for (const QString &app : device.apps)
        words.insert(app, app == there->foregroundApp ? presenceName(Presence::Foreground)
                                                      : presenceName(Presence::Closed));
    return words;
}

QJsonObject AdminDevicesApi::deviceJson(const DeviceRecord &device, const QString &account,
                                        const Elsewhere &elsewhere) const
{
    QJsonObject o = AdminJson::device(device);
    o.insert(QStringLiteral("account"), account);
    QString node;
    const QHash<QString, QString> words = presenceOf(device, elsewhere, &node);
    o.insert(QStringLiteral("online"), !node.isEmpty());
    o.insert(QStringLiteral("node"), node.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(node));
    QJsonObject presence;
    for (auto it = words.cbegin(); it != words.cend(); ++it)
        presence.insert(it.key(), it.value());
    o.insert(QStringLiteral("presence"), presence);
    QJsonObject gateway;
    if (m_gateway) {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (const QString &app : device.apps) {
            if (const auto view = m_gateway->view(device.accountId, app, device.id, now))
                gateway.insert(app, AdminJson::gatewayView(*view));
        }
    }
    o.insert(QStringLiteral("gateway"), gateway);
    const bool retired = device.pushTokenState == PushTokenState::Retired;
    o.insert(QStringLiteral("pushToken"),
             QJsonObject{{QStringLiteral("state"), toText(device.pushTokenState)},
                         {QStringLiteral("reason"), retired && !device.pushTokenRetiredReason.isEmpty()
                                                        ? QJsonValue(device.pushTokenRetiredReason)
                                                        : QJsonValue(QJsonValue::Null)},
                         {QStringLiteral("at"), retired ? AdminJson::time(device.pushTokenRetiredAt)
                                                        : QJsonValue(QJsonValue::Null)}});
    return o;
}

bool AdminDevicesApi::matchesPresence(const DeviceRecord &device, const Elsewhere &elsewhere,
                                      const QString &presence) const
{
    QString node;
    const QHash<QString, QString> words = presenceOf(device, elsewhere, &node);
    if (presence == QLatin1String("online"))
        return !node.isEmpty();
    if (presence == QLatin1String("offline"))
        return node.isEmpty();
    for (const QString &word : words) {
        if (word == presence)
            return true;
    }
    return false;
}

HttpResponse AdminDevicesApi::listDevices(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, false);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    AdminQuery query(request, {QStringLiteral("user"), QStringLiteral("q"), QStringLiteral("platform"),
                               QStringLiteral("presence"), QStringLiteral("token")});
    DeviceFilter filter;
    const QString user = query.value(QStringLiteral("user"), AdminJson::MaxNameLength + 64);
    filter.text = query.value(QStringLiteral("q"), MaxSearchLength).toLower();
    filter.platform = query.oneOf(QStringLiteral("platform"), Platforms);
    const QString presence = query.oneOf(QStringLiteral("presence"), PresenceFilters);
    // oneOf() accepts only TokenStates, which parse; absent ("") leaves the filter unset.
    filter.tokenState = parsePushTokenState(query.oneOf(QStringLiteral("token"), TokenStates));
    if (query.ok() && query.has(QStringLiteral("user")) && !AdminJson::namePattern().match(user).hasMatch())
        query.fail(QStringLiteral("'%1' is not a valid account name (letters, digits, . _ @ + -, at most 128)")
                       .arg(user.left(64)));
    if (!query.ok())
        return HttpResponse::error(query.error());

    // The rows are read on a reading connection; presence, which lives in memory, is matched here.
    struct Found
    {
        bool unknownUser = false;
        std::optional<QHash<qint64, QString>> accountNames; // account id -> name; unset: the read failed
        std::optional<QList<DeviceRecord>> devices;
        std::optional<int> count; // without a presence filter: what storage counted
        std::optional<QList<Storage::SessionElsewhere>> elsewhere; // sessions other live nodes hold
    };
    const bool byUser = query.has(QStringLiteral("user"));
    const int offset = query.offset(), limit = query.limit();
    const qint64 aliveSince = m_dispatcher.nodeAliveSince();
    return readThenAnswer(
        m_storage, this,
        [byUser, user, filter, presence, offset, limit, aliveSince](Storage &storage) mutable {
            Found found;
            QHash<qint64, QString> names;
            if (byUser) {
                const auto account = storage.accountByName(user);
                if (!account) {
                    found.unknownUser = true;
                    return found;
                }
                filter.accountId = account->id;
                names.insert(account->id, account->name);
            } else {
                const auto accounts = storage.accounts();
                if (!accounts)
                    return found;
                for (const AccountRecord &a : *accounts)
                    names.insert(a.id, a.name);
            }
            found.accountNames = names;
            // With a presence filter the matching rows are read whole and paged on the event loop.
            if (presence.isEmpty()) {
                found.count = storage.countDevices(filter);
                found.devices = storage.findDevices(filter, offset, limit);
                // Only the page's sessions elsewhere: the cluster may hold far more.
                QList<qint64> page;
                for (const DeviceRecord &d : found.devices.value_or(QList<DeviceRecord>()))
                    page.append(d.id);
                found.elsewhere = storage.sessionsElsewhere(aliveSince, &page);
            } else {
                found.elsewhere = storage.sessionsElsewhere(aliveSince);
                found.devices = storage.findDevices(filter, 0, -1);
            }
            return found;
        },
        [this, byUser, user, presence, offset, limit, query](Found &found) {
            if (found.unknownUser)
                return HttpResponse::error(protocol::ApiError::notFound(QStringLiteral("no account named '%1'").arg(user)));
            if (!found.accountNames || !found.devices || (presence.isEmpty() && !found.count) || !found.elsewhere)
                return HttpResponse::error(protocol::ApiError::internal());
            Elsewhere elsewhere;
            for (const Storage::SessionElsewhere &s : std::as_const(*found.elsewhere))
                elsewhere.insert(s.deviceId, s);
            QList<DeviceRecord> devices = std::move(*found.devices);
            int total = found.count.value_or(0);
            if (!presence.isEmpty()) {
                QList<DeviceRecord> matching;
                for (const DeviceRecord &d : std::as_const(devices)) {
                    if (matchesPresence(d, elsewhere, presence))
                        matching.append(d);
                }
                total = int(matching.size());
                devices = matching.mid(offset, limit);
            }
            QJsonArray list;
            for (const DeviceRecord &device : std::as_const(devices))
                list.append(deviceJson(device, found.accountNames->value(device.accountId), elsewhere));
            QJsonObject body{{QStringLiteral("devices"), list}};
            if (byUser)
                body.insert(QStringLiteral("user"), user);
            return HttpResponse::json(200, query.page(body, total));
        });
}

} // namespace herald
