#include "admin/AdminSourcesApi.h"

#include "admin/AdminChange.h"
#include "admin/AdminJson.h"
#include "admin/AdminListPage.h"
#include "admin/AdminSessions.h"
#include "admin/AuditLog.h"
#include "api/JsonFields.h"
#include "api/ReadThenAnswer.h"
#include "http/HttpRequest.h"
#include "http/Router.h"
#include "registry/DeviceToken.h"
#include "registry/SourceName.h"
#include "storage/Storage.h"

#include <QJsonArray>

namespace herald {

namespace {

QJsonObject sourceJson(const SourceRecord &source)
{
    return {{QStringLiteral("name"), source.name},
            {QStringLiteral("kind"), source.kind},
            {QStringLiteral("createdAt"), AdminJson::time(source.createdAt)},
            {QStringLiteral("revokedAt"), AdminJson::time(source.revokedAt)}};
}

protocol::ApiError badName(const QString &name)
{
    return protocol::ApiError::badRequest(
        QStringLiteral("invalid_value"),
        QStringLiteral("'%1' is not a valid source name (%2)").arg(name.left(64), QLatin1String(SourceName::Rule)));
}

} // namespace

AdminSourcesApi::AdminSourcesApi(Storage &storage, AdminSessions &sessions, AuditLog &audit)
    : m_storage(storage)
    , m_sessions(sessions)
    , m_audit(audit)
{
}

void AdminSourcesApi::registerRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/admin/v1/sources"), [this](const HttpRequest &r) { return list(r); });
    router.add("POST", QStringLiteral("/admin/v1/sources"), [this](const HttpRequest &r) { return create(r); });
    router.add("DELETE", QStringLiteral("/admin/v1/sources/{name}"), [this](const HttpRequest &r) { return revoke(r); });
}

HttpResponse AdminSourcesApi::list(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, false);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    protocol::ApiError error;
    const auto page = AdminListPage::fromQuery(request, &error);
    if (!page)
        return HttpResponse::error(error);
    return readThenAnswer(m_storage, nullptr, [](Storage &storage) { return storage.sources(); },
                          [page = *page](const std::optional<QList<SourceRecord>> &sources) {
        if (!sources)
            return HttpResponse::error(protocol::ApiError::internal());
        // Sources are a handful (one per integration): paging them in memory is cheaper than a count query.
        QJsonArray list;
        for (qsizetype i = page.offset; i < sources->size() && list.size() < page.limit; ++i)
            list.append(sourceJson(sources->at(i)));
        return HttpResponse::json(200, page.wrap(QJsonObject{{QStringLiteral("sources"), list}}, int(sources->size())));
    });
}

HttpResponse AdminSourcesApi::create(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, true);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    JsonFields body = JsonFields::fromRequest(request);
    const QString name = body.requiredString(QStringLiteral("name"), SourceName::MaxLength);
    const QString kind = body.has(QStringLiteral("kind"))
                             ? body.requiredEnum(QStringLiteral("kind"), {QStringLiteral("events"), QStringLiteral("presence")})
                             : QStringLiteral("events");
    if (!body.ok())
        return HttpResponse::error(body.error());
    if (!SourceName::isValid(name))
        return HttpResponse::error(badName(name));
    const QString token = DeviceToken::generate();
    return changeThenAnswer(
        m_storage, nullptr,
        [name, kind, token, operatorName = auth.session->operatorName, peer = request.peer](Storage &storage,
                                                                                           AdminChangeResult &result) {
            if (storage.sourceByName(name)) {
                result.refused = protocol::ApiError{409, QStringLiteral("conflict"),
                                                    QStringLiteral("a source named '%1' already exists").arg(name)};
                return false;
            }
            if (!storage.createSource(name, DeviceToken::hash(token), kind) ||
                !AuditLog::append(storage, operatorName, QStringLiteral("source.create"), name, peer))
                return false;
            const auto created = storage.sourceByName(name);
            if (!created)
                return false;
            // The only time the token is ever shown: storage keeps its SHA-256.
            result.status = 201;
            result.body = QJsonObject{{QStringLiteral("name"), created->name},
                                      {QStringLiteral("kind"), created->kind},
                                      {QStringLiteral("createdAt"), AdminJson::time(created->createdAt)},
                                      {QStringLiteral("token"), token}};
            return true;
        },
        [storage = &m_storage](AdminChangeResult &) { storage->forgetCachedSources(); });
}

HttpResponse AdminSourcesApi::revoke(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, true);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    const QString name = request.pathParams.value(QStringLiteral("name"));
    if (!SourceName::isValid(name))
        return HttpResponse::error(badName(name));
    return changeThenAnswer(
        m_storage, nullptr,
        [name, operatorName = auth.session->operatorName, peer = request.peer](Storage &storage, AdminChangeResult &result) {
            const auto source = storage.sourceByName(name);
            if (!source) {
                result.refused = protocol::ApiError::notFound(QStringLiteral("no source named '%1'").arg(name));
                return false;
            }
            if (source->revokedAt.isValid()) {
                result.refused = protocol::ApiError{409, QStringLiteral("conflict"),
                                                    QStringLiteral("source '%1' is already revoked").arg(name)};
                return false;
            }
            return storage.revokeSource(source->id, QDateTime::currentDateTimeUtc()) &&
                   AuditLog::append(storage, operatorName, QStringLiteral("source.revoke"), name, peer);
        },
        // The revoked token must stop working with this answer, not when the change is noticed.
        [storage = &m_storage](AdminChangeResult &) { storage->forgetCachedSources(); });
}

} // namespace herald
