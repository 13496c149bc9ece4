#include "api/TerminalApi.h"

#include "api/ApiLog.h"
#include "api/DeviceAuthenticator.h"
#include "api/JsonFields.h"
#include "api/LoginMonitorWait.h"
#include "presence/SessionSettings.h"
#include "dispatch/AppSettings.h"
#include "dispatch/Dispatcher.h"
#include "http/HttpRequest.h"
#include "http/Router.h"
#include "http/TlsSocket.h"
#include "limits/RequestLimiter.h"
#include "monitor/MonitorManager.h"
#include "presence/PresenceTracker.h"
#include "presence/TerminalSession.h"
#include "presence/WebSocketConnection.h"
#include "storage/Storage.h"
#include "protocol/TerminalApi.h"

#include <QJsonArray>
#include <QPointer>
#include <QJsonDocument>

namespace herald {
namespace {

QJsonObject notificationSummary(const NotificationRecord &n)
{
    QJsonObject o{{QStringLiteral("id"), n.id},
                  {QStringLiteral("app"), n.app},
                  {QStringLiteral("createdAt"), n.createdAt.toString(Qt::ISODateWithMs)},
                  {QStringLiteral("state"), n.state == NotificationState::Active ? QStringLiteral("unread") : toText(n.state)},
                  {QStringLiteral("title"), n.subject}};
    if (!n.sender.isEmpty())
        o.insert(QStringLiteral("sender"), n.sender);
    return o;
}

} // namespace

TerminalApi::TerminalApi(Storage &storage, const DeviceAuthenticator &auth, PresenceTracker &presence,
                         Dispatcher &dispatcher, MonitorManager &monitors, const AppCatalog &apps,
                         const SessionSettings &config, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_auth(auth)
    , m_presence(presence)
    , m_dispatcher(dispatcher)
    , m_monitors(monitors)
    , m_apps(apps)
    , m_config(config)
{
}

void TerminalApi::registerRoutes(Router &router)
{
    router.add("POST", QStringLiteral("/v1/login"), [this](const HttpRequest &r) { return login(r); });
    router.add("POST", QStringLiteral("/v1/logout"), [this](const HttpRequest &r) { return logout(r); });
    router.add("GET", QStringLiteral("/v1/session"), [this](const HttpRequest &r) { return session(r); });
    router.add("GET", QStringLiteral("/v1/notifications"), [this](const HttpRequest &r) { return notifications(r); });
    router.add("POST", QStringLiteral("/v1/notifications/{id}/open"), [this](const HttpRequest &r) { return open(r); });
}

HttpResponse TerminalApi::login(const HttpRequest &request)
{
    return m_auth.withDevice(request, this, [this, request](const Auth &auth) { return loginAs(request, auth); });
}

HttpResponse TerminalApi::loginAs(const HttpRequest &request, const Auth &auth)
{
    if (!auth.device)
        return HttpResponse::error(auth.error);
    if (m_limiter) {
        if (auto refused = m_limiter->check(RequestLimiter::Limit::LoginPerAccount,
                                            QByteArray("a") + QByteArray::number(auth.account->id), QStringLiteral("/v1/login")))
            return *refused;
    }
    JsonFields body = JsonFields::fromRequest(request);
    const QJsonValue apps = body.object().value(QStringLiteral("apps"));
    if (body.ok() && apps.isUndefined())
        body.fail(QStringLiteral("missing_field"), QStringLiteral("apps is required"));
    else if (body.ok() && !apps.isArray())
        body.fail(QStringLiteral("wrong_type"), QStringLiteral("apps must be an array of objects"));
    else if (body.ok() && (apps.toArray().isEmpty() || apps.toArray().size() > 32))
        body.fail(QStringLiteral("invalid_value"), QStringLiteral("apps must name 1 to 32 apps"));
    if (!body.ok())
        return HttpResponse::error(body.error());

    struct Entry
    {
        QString app;
        QByteArray credentials;
    };
    QList<Entry> entries;
    const QJsonArray list = apps.toArray();
    for (int i = 0; i < list.size(); ++i) {
        const QString prefix = QStringLiteral("apps[%1]").arg(i);
        if (!list.at(i).isObject())
            return HttpResponse::error(protocol::ApiError::badRequest(
                QStringLiteral("wrong_type"), QStringLiteral("%1 must be an object").arg(prefix)));
        JsonFields item(list.at(i).toObject(), prefix);
        Entry entry;
        entry.app = item.requiredString(QStringLiteral("app"), 64, &protocol::isAppName);
        const auto credentials = item.optionalObject(QStringLiteral("credentials"), MaxCredentialsBytes);
        if (!item.ok())
            return HttpResponse::error(item.error());
        if (!auth.device->apps.contains(entry.app))
            return HttpResponse::error(protocol::ApiError::badRequest(
                QStringLiteral("app_not_registered"),
                QStringLiteral("this device did not register app '%1'").arg(entry.app)));
        if (credentials)
            entry.credentials = QJsonDocument(*credentials).toJson(QJsonDocument::Compact);
        entries.append(entry);
    }

    QStringList appNames, monitored;
    for (const Entry &entry : std::as_const(entries)) {
        appNames.append(entry.app);
        if (!m_apps.settings(entry.app).monitor.isEmpty())
            monitored.append(entry.app);
    }
    // Each app's login row is written off the event loop; the answer waits for all of them, and
    // then (bounded) for the monitors to connect or fail, since it says whether each one runs.
    HttpResponse response;
    response.deferred = [this, entries, appNames, monitored, accountId = auth.account->id, account = auth.account->name,
                         deviceId = auth.device->deviceId](std::function<void(HttpResponse)> answer) {
        struct Progress
        {
            qsizetype left = 0;
            bool failed = false;
        };
        auto progress = std::make_shared<Progress>();
        progress->left = entries.size();
        for (const Entry &entry : std::as_const(entries)) {
            m_monitors.login(accountId, account, entry.app, entry.credentials,
                             [this, guard = QPointer<TerminalApi>(this), progress, app = entry.app, accountId, account,
                              deviceId, appNames, monitored, answer](bool ok, const QString &error) {
                if (!guard)
                    return;
                if (ok)
                    qCInfo(lcApi) << "account" << account << "logged in to" << app << "from device" << deviceId;
                else
                    qCWarning(lcApi).noquote() << "login of account" << account << "to" << app << "failed:" << error;
                progress->failed = progress->failed || !ok;
                if (--progress->left > 0)
                    return;
                if (progress->failed) {
                    answer(HttpResponse::error(protocol::ApiError::internal()));
                } else if (monitored.isEmpty()) {
                    answer(loginAnswer(accountId, appNames));
                } else {
                    new LoginMonitorWait(m_monitors, accountId, monitored, LoginMonitorWaitMs,
                                         [this, accountId, appNames, answer](bool) { answer(loginAnswer(accountId, appNames)); });
                }
            });
        }
    };
    return response;
}

HttpResponse TerminalApi::loginAnswer(qint64 accountId, const QStringList &apps) const
{
    QJsonArray answer;
    for (const QString &appName : apps) {
        const AppSettings app = m_apps.settings(appName);
        QJsonObject entry{{QStringLiteral("app"), appName},
                          {QStringLiteral("monitor"), app.monitor.isEmpty() ? QStringLiteral("events") : app.monitor}};
        if (app.monitor.isEmpty()) {
            // Events come from sources (POST /v1/events): nothing here can fail to start.
            entry.insert(QStringLiteral("monitoring"), true);
            entry.insert(QStringLiteral("state"), QStringLiteral("watching"));
            entry.insert(QStringLiteral("reason"), QJsonValue::Null);
        } else {
            const auto status = m_monitors.status(accountId, appName);
            const QString state = status ? status->state : QStringLiteral("stopped");
            // "starting": still connecting when the wait ended; it keeps trying and the console shows the outcome.
            entry.insert(QStringLiteral("monitoring"), state == QLatin1String("watching") || state == QLatin1String("starting"));
            entry.insert(QStringLiteral("state"), state);
            entry.insert(QStringLiteral("reason"), status && !status->reasonCode.isEmpty() ? QJsonValue(status->reasonCode)
                                                                                          : QJsonValue(QJsonValue::Null));
            if (status && !status->reason.isEmpty())
                entry.insert(QStringLiteral("message"), status->reason);
        }
        answer.append(entry);
    }
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("apps"), answer}});
}

HttpResponse TerminalApi::logout(const HttpRequest &request)
{
    // Without a list, every app the account is logged in to: read on the same trip as the token.
    auto logins = std::make_shared<std::optional<QList<LoginRecord>>>();
    return m_auth.withDevice(
        request, this, [this, request, logins](const Auth &auth) { return logoutAs(request, auth, *logins); },
        [logins](Storage &storage, const Auth &auth) { *logins = storage.loginsOfAccount(auth.account->id); });
}

HttpResponse TerminalApi::logoutAs(const HttpRequest &request, const Auth &auth,
                                   const std::optional<QList<LoginRecord>> &logins)
{
    if (!auth.device)
        return HttpResponse::error(auth.error);
    JsonFields body = JsonFields::fromRequest(request, true);
    QStringList apps = body.stringArray(QStringLiteral("apps"), 32, &protocol::isAppName);
    if (!body.ok())
        return HttpResponse::error(body.error());
    if (apps.isEmpty()) {
        if (!logins)
            return HttpResponse::error(protocol::ApiError::internal());
        for (const LoginRecord &l : *logins)
            apps.append(l.app);
    }
    HttpResponse response;
    response.deferred = [this, apps, accountId = auth.account->id, account = auth.account->name](std::function<void(HttpResponse)> answer) {
        if (apps.isEmpty()) {
            answer(HttpResponse::json(200, QJsonObject{{QStringLiteral("apps"), QJsonArray()}}));
            return;
        }
        auto left = std::make_shared<qsizetype>(apps.size());
        auto failed = std::make_shared<bool>(false);
        for (const QString &app : std::as_const(apps)) {
            m_monitors.logout(accountId, app, [app, apps, account, left, failed, answer](bool ok) {
                if (ok)
                    qCInfo(lcApi) << "account" << account << "logged out of" << app;
                *failed = *failed || !ok;
                if (--*left > 0)
                    return;
                answer(*failed ? HttpResponse::error(protocol::ApiError::internal())
                               : HttpResponse::json(200, QJsonObject{{QStringLiteral("apps"), QJsonArray::fromStringList(apps)}}));
            });
        }
    };
    return response;
}

HttpResponse TerminalApi::session(const HttpRequest &request)
{
    return m_auth.withDevice(
        request, this, [this, request](const Auth &auth) { return sessionAs(request, auth); }, {}, true);
}

HttpResponse TerminalApi::sessionAs(const HttpRequest &request, const Auth &auth)
{
    if (!auth.device)
        return HttpResponse::error(auth.error);
    QByteArray acceptKey;
    QString error;
    if (!WebSocketConnection::checkUpgrade(request, &acceptKey, &error)) {
        HttpResponse response = HttpResponse::error(protocol::ApiError{426, QStringLiteral("upgrade_required"), error});
        response.headers.append(qMakePair(QByteArray("Upgrade"), QByteArray("websocket")));
        return response;
    }
    HttpResponse response;
    const qint64 deviceId = auth.device->id;
    const qint64 accountId = auth.account->id;
    response.takeOver = [this, acceptKey, deviceId, accountId](TlsSocket *socket, const HttpRequest &,
                                                               const QByteArray &pending) {
        socket->write(WebSocketConnection::handshakeResponse(acceptKey));
        auto *session =
            new TerminalSession(socket, pending, deviceId, accountId, m_config.heartbeatSecs, m_presence.timers(), &m_presence);
        m_presence.attach(session);
    };
    return response;
}

HttpResponse TerminalApi::notifications(const HttpRequest &request)
{
    const QString state = request.query.queryItemValue(QStringLiteral("state"));
    const bool valid = state.isEmpty() || state == QLatin1String("unread") || state == QLatin1String("all");
    // The list is read on the same trip as the token, so the event loop waits for neither.
    auto list = std::make_shared<std::optional<QList<NotificationRecord>>>();
    return m_auth.withDevice(
        request, this,
        [list, valid](const Auth &auth) {
            if (!auth.device)
                return HttpResponse::error(auth.error);
            if (!valid)
                return HttpResponse::error(protocol::ApiError::badRequest(QStringLiteral("invalid_value"),
                                                                          QStringLiteral("state must be unread or all")));
            if (!*list)
                return HttpResponse::error(protocol::ApiError::internal());
            QJsonArray out;
            for (const NotificationRecord &n : **list)
                out.append(notificationSummary(n));
            return HttpResponse::json(200, out);
        },
        [list, valid, unreadOnly = state == QLatin1String("unread")](Storage &storage, const Auth &auth) {
            if (valid)
                *list = storage.notificationsOfAccount(auth.account->id, unreadOnly, 200);
        });
}

HttpResponse TerminalApi::open(const HttpRequest &request)
{
    const QString id = request.pathParams.value(QStringLiteral("id"));
    // The notification is read on the same trip as the token.
    auto found = std::make_shared<std::optional<NotificationRecord>>();
    return m_auth.withDevice(
        request, this, [this, found](const Auth &auth) { return openAs(auth, *found); },
        [found, id](Storage &storage, const Auth &) {
            if (id.size() <= 64)
                *found = storage.notificationById(id);
        });
}

HttpResponse TerminalApi::openAs(const Auth &auth, std::optional<NotificationRecord> n)
{
    if (!auth.device)
        return HttpResponse::error(auth.error);
    const bool usable = n && n->accountId == auth.account->id && n->expiresAt > QDateTime::currentDateTimeUtc() &&
                        (n->state == NotificationState::Active || n->state == NotificationState::Opened);
    if (!usable) // unknown, another account's, or expired look the same from outside
        return HttpResponse::error(protocol::ApiError::notFound(QStringLiteral("no such notification")));
    if (n->state != NotificationState::Active)
        return openAnswer(*n);
    // Active -> opened on the background writer, answered once it is committed. The write is
    // conditional: of two opens at once (two devices, a double tap) only the one that changed the
    // row clears the notification elsewhere; the other is answered the same.
    n->openedAt = QDateTime::currentDateTimeUtc();
    n->state = NotificationState::Opened;
    HttpResponse response;
    response.deferred = [self = QPointer<TerminalApi>(this), n = *n, deviceId = auth.device->id](
                            std::function<void(HttpResponse)> answer) {
        if (!self) {
            answer(HttpResponse::error(protocol::ApiError::internal()));
            return;
        }
        auto first = std::make_shared<std::optional<bool>>();
        self->m_storage.writeInBackground(
            [first, id = n.id, at = n.openedAt](Storage &storage) {
                *first = storage.markNotificationOpened(id, at);
                return first->has_value();
            },
            [self, first, n, deviceId, answer = std::move(answer)](bool ok) {
                if (!ok || !self) {
                    answer(HttpResponse::error(protocol::ApiError::internal()));
                    return;
                }
                if (**first)
                    self->m_dispatcher.notificationOpened(n, deviceId);
                answer(self->openAnswer(n));
            });
    };
    return response;
}

HttpResponse TerminalApi::openAnswer(const NotificationRecord &n) const
{
    const AppSettings app = m_apps.settings(n.app);
    QJsonObject full = notificationSummary(n);
    full.insert(QStringLiteral("body"), n.body);
    full.insert(QStringLiteral("receivedAt"), n.receivedAt.toString(Qt::ISODateWithMs));
    QJsonObject launch{{QStringLiteral("app"), n.app}, {QStringLiteral("uri"), app.uriFor(n.id)}};
    const QString rdp = app.rdpFileFor(n.id);
    if (!rdp.isEmpty())
        launch.insert(QStringLiteral("rdp"), rdp);
    return HttpResponse::json(200, QJsonObject{{QStringLiteral("notification"), full}, {QStringLiteral("launch"), launch}});
}

} // namespace herald
