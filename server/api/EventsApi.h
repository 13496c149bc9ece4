#pragma once

#include "http/HttpResponse.h"

namespace herald {

class EventIngestor;
class Router;
class Storage;
struct HttpRequest;

// POST /v1/events: integrations feed new information in, authenticated by per-source tokens.
class EventsApi
{
public:
    EventsApi(Storage &storage, EventIngestor &ingestor);
    void registerRoutes(Router &router);

private:
    HttpResponse post(const HttpRequest &request);

    Storage &m_storage;
    EventIngestor &m_ingestor;
};

} // namespace herald
