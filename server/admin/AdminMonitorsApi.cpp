#include "admin/AdminMonitorsApi.h"

#include "admin/AdminJson.h"
#include "admin/AdminListPage.h"
#include "admin/AdminSessions.h"
#include "dispatch/AppSettings.h"
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

    std::optional<QList<LoginRecord>> logins;
    QHash<qint64, QString> names; // account id -> name
    if (request.query.hasQueryItem(QStringLiteral("user"))) {
        const QString user = request.query.queryItemValue(QStringLiteral("user"), QUrl::FullyDecoded);
        if (!AdminJson::namePattern().match(user).hasMatch())
            return HttpResponse::error(protocol::ApiError::badRequest(
                QStringLiteral("invalid_value"),
                QStringLiteral("'%1' is not a valid account name (letters, digits, . _ @ + -, at most 128)").arg(user.left(64))));
        const auto account = m_storage.accountByName(user);
        if (!account)
            return HttpResponse::error(protocol::ApiError::notFound(QStringLiteral("no account named '%1'").arg(user)));
        names.insert(account->id, account->name);
        logins = m_storage.loginsOfAccount(account->id);
    } else {
        logins = m_storage.logins();
        const auto accounts = m_storage.accounts();
        if (!accounts)
            return HttpResponse::error(protocol::ApiError::internal());
        for (const AccountRecord &a : *accounts)
            names.insert(a.id, a.name);
    }
    if (!logins)
        return HttpResponse::error(protocol::ApiError::internal());

    std::sort(logins->begin(), logins->end(), [&names](const LoginRecord &a, const LoginRecord &b) {
        const QString &na = names[a.accountId], &nb = names[b.accountId];
        return na != nb ? na < nb : a.app < b.app;
    });
    QJsonArray list;
    for (qsizetype i = page->offset; i < logins->size() && list.size() < page->limit; ++i) {
        QJsonObject o = describe(logins->at(i), m_monitors, m_apps);
        o.insert(QStringLiteral("account"), names.value(logins->at(i).accountId));
        list.append(o);
    }
    return HttpResponse::json(200, page->wrap(QJsonObject{{QStringLiteral("monitors"), list}}, int(logins->size())));
}

} // namespace herald
