#include "admin/AdminDevicesApi.h"

#include "admin/AdminJson.h"
#include "admin/AdminQuery.h"
#include "admin/AdminSessions.h"
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
                                 QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_sessions(sessions)
    , m_presence(presence)
{
}

void AdminDevicesApi::registerRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/admin/v1/devices"), [this](const HttpRequest &r) { return listDevices(r); });
}

QJsonObject AdminDevicesApi::deviceJson(const DeviceRecord &device, const QString &account) const
{
    QJsonObject o = AdminJson::device(device);
    o.insert(QStringLiteral("account"), account);
    o.insert(QStringLiteral("online"), m_presence.session(device.id) != nullptr);
    QJsonObject presence;
    for (const QString &app : device.apps)
        presence.insert(app, presenceName(m_presence.presence(device.id, app)));
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

bool AdminDevicesApi::matchesPresence(const DeviceRecord &device, const QString &presence) const
{
    const bool online = m_presence.session(device.id) != nullptr;
    if (presence == QLatin1String("online"))
        return online;
    if (presence == QLatin1String("offline"))
        return !online;
    for (const QString &app : device.apps) {
        if (presenceName(m_presence.presence(device.id, app)) == presence)
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

    QHash<qint64, QString> accountNames;
    if (query.has(QStringLiteral("user"))) {
        const auto account = m_storage.accountByName(user);
        if (!account)
            return HttpResponse::error(protocol::ApiError::notFound(QStringLiteral("no account named '%1'").arg(user)));
        filter.accountId = account->id;
        accountNames.insert(account->id, account->name);
    } else {
        const auto accounts = m_storage.accounts();
        if (!accounts)
            return HttpResponse::error(protocol::ApiError::internal());
        for (const AccountRecord &a : *accounts)
            accountNames.insert(a.id, a.name);
    }

    // Presence lives in memory, not in storage: with that filter the matching rows are read whole
    // and paged here; without it storage pages and counts.
    std::optional<QList<DeviceRecord>> devices;
    int total = 0;
    if (presence.isEmpty()) {
        const auto count = m_storage.countDevices(filter);
        devices = m_storage.findDevices(filter, query.offset(), query.limit());
        total = count.value_or(0);
        if (!count)
            devices.reset();
    } else if ((devices = m_storage.findDevices(filter, 0, -1))) {
        QList<DeviceRecord> matching;
        for (const DeviceRecord &d : std::as_const(*devices)) {
            if (matchesPresence(d, presence))
                matching.append(d);
        }
        total = int(matching.size());
        devices = matching.mid(query.offset(), query.limit());
    }
    if (!devices)
        return HttpResponse::error(protocol::ApiError::internal());
    QJsonArray list;
    for (const DeviceRecord &device : std::as_const(*devices))
        list.append(deviceJson(device, accountNames.value(device.accountId)));
    QJsonObject body{{QStringLiteral("devices"), list}};
    if (query.has(QStringLiteral("user")))
        body.insert(QStringLiteral("user"), accountNames.value(filter.accountId));
    return HttpResponse::json(200, query.page(body, total));
}

} // namespace herald
