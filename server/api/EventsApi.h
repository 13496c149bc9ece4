#pragma once

#include "dispatch/EventIngestor.h"
#include "http/HttpResponse.h"
#include "storage/Records.h"


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
};

} // namespace herald
