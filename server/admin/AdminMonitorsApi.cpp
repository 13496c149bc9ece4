#include "admin/AdminMonitorsApi.h"

#include "admin/AdminJson.h"
#include "admin/AdminListPage.h"
#include "admin/AdminSessions.h"
#include "dispatch/AppSettings.h"
#include "api/ReadThenAnswer.h"
#include "http/HttpRequest.h"
#include "http/Router.h"
#include "monitor/MonitorManager.h"
#include "storage/Storage.h"

#include <QJsonArray>

#include <algorithm>

namespace herald {

AdminMonitorsApi::AdminMonitorsApi(Storage &storage, AdminSessions &sessions, MonitorManager &monitors,
                                   const AppCatalog &apps)
    : m_storage(storage)
    , m_sessions(sessions)
    , m_monitors(monitors)
    , m_apps(apps)
{
}

void AdminMonitorsApi::registerRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/admin/v1/monitors"), [this](const HttpRequest &r) { return list(r); });
}

QJsonObject AdminMonitorsApi::describe(const LoginRecord &login, const MonitorManager &monitors, const AppCatalog &apps)
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
    } else if (const auto status = monitors.status(login.accountId, login.app)) {
        o.insert(QStringLiteral("state"), status->state);
        if (!status->reason.isEmpty())
            o.insert(QStringLiteral("reason"), status->reason);
        if (!status->reasonCode.isEmpty())
            o.insert(QStringLiteral("reasonCode"), status->reasonCode);
        o.insert(QStringLiteral("since"), AdminJson::time(status->since));
    } else {
        // Logged in but not running: the account is disabled, or the server has not resumed it.
        o.insert(QStringLiteral("state"), QStringLiteral("stopped"));
        o.insert(QStringLiteral("since"), QJsonValue::Null);
    }
    return o;
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
    };
    return readThenAnswer(
        m_storage, nullptr,
        [byUser, user](Storage &storage) {
            Found found;
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
                QJsonObject o = describe(logins.at(i), m_monitors, m_apps);
                o.insert(QStringLiteral("account"), names.value(logins.at(i).accountId));
                list.append(o);
            }
            return HttpResponse::json(200, page.wrap(QJsonObject{{QStringLiteral("monitors"), list}}, int(logins.size())));
        });
}

} // namespace herald
