#include "admin/AdminMonitorsApi.h"

#include "admin/AdminJson.h"
#include "admin/AdminListPage.h"
#include "admin/AdminSessions.h"
#include "admin/NodeSummary.h"
#include "dispatch/AppSettings.h"
#include "api/ReadThenAnswer.h"
#include "http/HttpRequest.h"
#include "http/Router.h"
#include "dispatch/Dispatcher.h"
#include "monitor/MonitorManager.h"
#include "storage/Storage.h"

#include <QJsonArray>

#include <algorithm>

namespace herald {

AdminMonitorsApi::AdminMonitorsApi(Storage &storage, AdminSessions &sessions, MonitorManager &monitors,
                                   const AppCatalog &apps, const Dispatcher &dispatcher)
    : m_storage(storage)
    , m_sessions(sessions)
    , m_monitors(monitors)
    , m_apps(apps)
    , m_dispatcher(dispatcher)
{
}

void AdminMonitorsApi::registerRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/admin/v1/monitors"), [this](const HttpRequest &r) { return list(r); });
}

QJsonObject AdminMonitorsApi::describe(const LoginRecord &login, const MonitorManager &monitors, const AppCatalog &apps,
                                       const Places &places)
{
    const QString monitor = apps.settings(login.app).monitor;
    QJsonObject o{{QStringLiteral("app"), login.app},
                  {QStringLiteral("monitor"), monitor.isEmpty() ? QStringLiteral("events") : monitor},
                  {QStringLiteral("reason"), QJsonValue::Null},
                  {QStringLiteral("reasonCode"), QJsonValue::Null}};
    if (monitor.isEmpty()) {
        // Sources post its events; there is nothing to run, so nothing that can fail here.
        o.insert(QStringLiteral("state"), QStringLiteral("watching"));
        o.insert(QStringLiteral("since"), AdminJson::time(login.loggedInAt));
        o.insert(QStringLiteral("node"), QJsonValue::Null);
    } else if (const auto status = monitors.status(login.accountId, login.app)) {
        o.insert(QStringLiteral("state"), status->state);
        if (!status->reason.isEmpty())
            o.insert(QStringLiteral("reason"), status->reason);
        if (!status->reasonCode.isEmpty())
            o.insert(QStringLiteral("reasonCode"), status->reasonCode);
        o.insert(QStringLiteral("since"), AdminJson::time(status->since));
        o.insert(QStringLiteral("node"), places.self);
    } else if (places.otherRuns.contains(login.monitorClaimer)) {
        // Another live node holds the login's lease: its monitor writes what it does to the row.
        o.insert(QStringLiteral("state"), storedState(login.monitorState));
        if (!login.monitorError.isEmpty() && o.value(QStringLiteral("state")) == QLatin1String("failing"))
            o.insert(QStringLiteral("reason"), login.monitorError);
        o.insert(QStringLiteral("since"), QJsonValue::Null);
        o.insert(QStringLiteral("node"), places.otherRuns.value(login.monitorClaimer));
    } else {
        // Logged in but not running: the account is disabled, or no live node holds it yet.
        o.insert(QStringLiteral("state"), QStringLiteral("stopped"));
        o.insert(QStringLiteral("since"), QJsonValue::Null);
        o.insert(QStringLiteral("node"), QJsonValue::Null);
    }
    return o;
}

AdminMonitorsApi::Places AdminMonitorsApi::readPlaces(Storage &storage, qint64 aliveSince, const QString &self)
{
    return placesOf(storage.nodes().value_or(QList<NodeRecord>()), aliveSince, self, storage.claimer());
}

AdminMonitorsApi::Places AdminMonitorsApi::placesOf(const QList<NodeRecord> &nodes, qint64 aliveSince,
                                                    const QString &self, const QString &selfClaimer)
{
    Places places;
    places.self = self;
    for (const NodeRecord &node : nodes)
        if (node.claimer != selfClaimer && NodeSummary::isAlive(node, aliveSince))
            places.otherRuns.insert(node.claimer, node.node);
    return places;
}

QString AdminMonitorsApi::storedState(const QString &stored)
{
    // Monitor::State as the holder stored it, in the words of the list.
    if (stored == QLatin1String("watching"))
        return QStringLiteral("watching");
    if (stored == QLatin1String("failed") || stored == QLatin1String("backoff"))
        return QStringLiteral("failing");
    if (stored == QLatin1String("stopped"))
        return QStringLiteral("stopped");
    return QStringLiteral("starting"); // idle, connecting, or nothing stored yet
}

HttpResponse AdminMonitorsApi::list(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, false);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    protocol::ApiError error;
    const auto page = AdminListPage::fromQuery(request, &error);
    if (!page)
        return HttpResponse::error(error);

    const bool byUser = request.query.hasQueryItem(QStringLiteral("user"));
    const QString user = request.query.queryItemValue(QStringLiteral("user"), QUrl::FullyDecoded);
    if (byUser && !AdminJson::namePattern().match(user).hasMatch())
        return HttpResponse::error(protocol::ApiError::badRequest(
            QStringLiteral("invalid_value"),
            QStringLiteral("'%1' is not a valid account name (letters, digits, . _ @ + -, at most 128)").arg(user.left(64))));

    // The logins and account names are read on a reading connection; each monitor's state, which
    // lives in memory, is added on the event loop.
    struct Found
    {
        bool unknownUser = false;
        std::optional<QList<LoginRecord>> logins;
        QHash<qint64, QString> names; // account id -> name
        Places places;
    };
    // The node name is the main connection's (it joined the nodes table; readers did not).
    const qint64 aliveSince = m_dispatcher.nodeAliveSince();
    return readThenAnswer(
        m_storage, nullptr,
        [byUser, user, aliveSince, self = m_storage.nodeName()](Storage &storage) {
            Found found;
            found.places = readPlaces(storage, aliveSince, self);
            if (byUser) {
                const auto account = storage.accountByName(user);
                if (!account) {
                    found.unknownUser = true;
                    return found;
                }
                found.names.insert(account->id, account->name);
                found.logins = storage.loginsOfAccount(account->id);
                return found;
            }
            const auto accounts = storage.accounts();
            if (!accounts)
                return found; // logins unset: the read failed
            for (const AccountRecord &a : *accounts)
                found.names.insert(a.id, a.name);
            found.logins = storage.logins();
            return found;
        },
        [this, user, page = *page](Found &found) {
            if (found.unknownUser)
                return HttpResponse::error(protocol::ApiError::notFound(QStringLiteral("no account named '%1'").arg(user)));
            if (!found.logins)
                return HttpResponse::error(protocol::ApiError::internal());
            QList<LoginRecord> &logins = *found.logins;
            const QHash<qint64, QString> &names = found.names;
            std::sort(logins.begin(), logins.end(), [&names](const LoginRecord &a, const LoginRecord &b) {
                const QString na = names.value(a.accountId), nb = names.value(b.accountId);
                return na != nb ? na < nb : a.app < b.app;
            });
            QJsonArray list;
            for (qsizetype i = page.offset; i < logins.size() && list.size() < page.limit; ++i) {
                QJsonObject o = describe(logins.at(i), m_monitors, m_apps, found.places);
                o.insert(QStringLiteral("account"), names.value(logins.at(i).accountId));
                list.append(o);
            }
            return HttpResponse::json(200, page.wrap(QJsonObject{{QStringLiteral("monitors"), list}}, int(logins.size())));
        });
}

} // namespace herald
