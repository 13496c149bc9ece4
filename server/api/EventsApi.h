#pragma once

#include "dispatch/EventIngestor.h"
#include "http/HttpResponse.h"
#include "storage/Records.h"

#include <QDeadlineTimer>
#include <QHash>

#include <optional>

namespace herald {

class Router;
class Storage;
struct HttpRequest;

// POST /v1/events: integrations feed new information in, authenticated by per-source tokens.
class EventsApi
{
public:
    EventsApi(Storage &storage, EventIngestor &ingestor);
    void registerRoutes(Router &router);
    static bool isEventId(QStringView text); // 1–256 printable ASCII characters, no spaces

private:
    HttpResponse post(const HttpRequest &request);
    std::optional<SourceRecord> sourceFor(const QString &token);
    static HttpResponse answerFor(const std::optional<EventIngestor::Result> &result, const QString &account);

    Storage &m_storage;
    EventIngestor &m_ingestor;
    // Known source tokens for a minute: every event would otherwise hash and look its token up.
    // Only hits are kept, so a source added by `herald-server source add` works at once.
    struct KnownSource
    {
        SourceRecord source;
        QDeadlineTimer until;
    };
    QHash<QByteArray, KnownSource> m_knownSources; // by token hash
};

} // namespace herald
