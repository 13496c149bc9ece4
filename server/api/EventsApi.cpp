#include "api/EventsApi.h"

#include "api/ApiLog.h"
#include "api/JsonFields.h"
#include "dispatch/EventIngestor.h"
#include "http/HttpRequest.h"
#include "http/Router.h"
#include "registry/DeviceToken.h"
#include "storage/Storage.h"
#include "protocol/TerminalApi.h"

#include <algorithm>
#include <cctype>

namespace herald {

EventsApi::EventsApi(Storage &storage, EventIngestor &ingestor)
    : m_storage(storage)
    , m_ingestor(ingestor)
{
}

void EventsApi::registerRoutes(Router &router)
{
    router.add("POST", QStringLiteral("/v1/events"), [this](const HttpRequest &r) { return post(r); });
}

bool EventsApi::isEventId(QStringView text)
{
    // 1–256 printable ASCII characters, no spaces: [\x21-\x7e]{1,256}
    return !text.isEmpty() && text.size() <= 256 &&
           std::all_of(text.begin(), text.end(), [](QChar c) { return c.unicode() >= 0x21 && c.unicode() <= 0x7e; });
}

HttpResponse EventsApi::post(const HttpRequest &request)
{
    const QString token = request.bearerToken();
    if (token.isEmpty())
        return HttpResponse::error(protocol::ApiError::unauthorized(QStringLiteral("a bearer source token is required")));
    // Source tokens have the same shape and strength as device tokens.
    const auto source = DeviceToken::looksValid(token) ? sourceFor(token) : std::nullopt;
    if (!source)
        return HttpResponse::error(
            protocol::ApiError{401, QStringLiteral("invalid_token"), QStringLiteral("the source token is unknown")});
    if (source->kind != QLatin1String("events"))
        return HttpResponse::error(protocol::ApiError::forbidden(
            QStringLiteral("source %1 reports presence; events need a source of kind events").arg(source->name)));

    JsonFields body = JsonFields::fromRequest(request);
    EventInput event;
    event.account = body.requiredString(QStringLiteral("account"), 128);
    event.app = body.requiredString(QStringLiteral("app"), 64, &protocol::isAppName);
    event.eventId = body.requiredString(QStringLiteral("eventId"), 256, &isEventId);
    event.sender = body.optionalString(QStringLiteral("sender"), 256);
    event.subject = body.optionalString(QStringLiteral("subject"), 1024);
    event.body = body.optionalString(QStringLiteral("body"), 32 * 1024);
    const QString receivedAt = body.optionalString(QStringLiteral("receivedAt"), 64);
    if (body.ok() && !receivedAt.isEmpty()) {
        event.receivedAt = QDateTime::fromString(receivedAt, Qt::ISODateWithMs);
        if (!event.receivedAt.isValid() || event.receivedAt.timeSpec() == Qt::LocalTime)
            body.fail(QStringLiteral("invalid_value"),
                      QStringLiteral("receivedAt must be an ISO 8601 time with a zone, e.g. 2026-01-31T12:00:00Z"));
    }
    if (!body.ok())
        return HttpResponse::error(body.error());

    // The answer is decided when the event's rows are committed: new (202) or a repeat (200).
    auto result = std::make_shared<std::optional<EventIngestor::Result>>();
    m_ingestor.ingest(source->name, event, [result](const EventIngestor::Result &r) { *result = r; });
    HttpResponse response; // only its finalize() is ever sent
    response.status = 500;
    response.finalize = [result, account = event.account] { return answerFor(*result, account); };
    return response;
}

HttpResponse EventsApi::answerFor(const std::optional<EventIngestor::Result> &result, const QString &account)
{
    if (!result) {
        // The gate let the answer out before the ingest finished: a wiring fault, never "stored".
        qCCritical(lcApi) << "an event's answer was due before its rows were committed";
        return HttpResponse::error(protocol::ApiError::internal());
    }
    switch (result->status) {
    case EventIngestor::Result::Status::Accepted:
    case EventIngestor::Result::Status::Duplicate: {
        // {"id":"<uuid>"} by hand: notification ids are UUIDs (nothing to escape), and this is the
        // answer to every event the server takes.
        const QByteArray id = result->notificationId.toLatin1();
        const bool plain = std::all_of(id.cbegin(), id.cend(), [](char c) { return std::isalnum(uchar(c)) || c == '-'; });
        const int status = result->status == EventIngestor::Result::Status::Accepted ? 202 : 200;
        if (!plain)
            return HttpResponse::json(status, QJsonObject{{QStringLiteral("id"), result->notificationId}});
        return HttpResponse::text(status, "{\"id\":\"" + id + "\"}", "application/json");
    }
    case EventIngestor::Result::Status::UnknownAccount:
        return HttpResponse::error(protocol::ApiError{404, QStringLiteral("unknown_account"),
                                                      QStringLiteral("no account named '%1'").arg(account)});
    case EventIngestor::Result::Status::Failed:
        break;
    }
    return HttpResponse::error(protocol::ApiError::internal());
}

std::optional<SourceRecord> EventsApi::sourceFor(const QString &token)
{
    // Storage keeps known tokens in memory until the sources table changes (any process): a
    // revoked token is refused from the next event on, and a lookup per event is not paid.
    return m_storage.sourceByTokenHash(DeviceToken::hash(token));
}

} // namespace herald
