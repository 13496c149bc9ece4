#include "admin/AdminNodesApi.h"

#include "admin/AdminQuery.h"
#include "admin/AdminSessions.h"
#include "admin/NodeSummary.h"
#include "api/ReadThenAnswer.h"
#include "dispatch/Dispatcher.h"
#include "http/HttpRequest.h"
#include "http/Router.h"
#include "storage/Storage.h"

#include <QJsonArray>

namespace herald {

AdminNodesApi::AdminNodesApi(Storage &storage, AdminSessions &sessions, const Dispatcher &dispatcher)
    : m_storage(storage)
    , m_sessions(sessions)
    , m_dispatcher(dispatcher)
{
}

void AdminNodesApi::registerRoutes(Router &router)
{
    router.add("GET", QStringLiteral("/admin/v1/nodes"), [this](const HttpRequest &r) { return list(r); });
}

HttpResponse AdminNodesApi::list(const HttpRequest &request)
{
    const auto auth = m_sessions.authenticate(request, false);
    if (!auth.session)
        return HttpResponse::error(auth.error);
    AdminQuery query(request, {QStringLiteral("state")});
    const QString state = query.oneOf(QStringLiteral("state"), {QStringLiteral("alive"), QStringLiteral("stopped")});
    if (!query.ok())
        return HttpResponse::error(query.error());

    // Whether a node is alive is judged when the answer is made, by this run's timeout: the same
    // test its dispatcher applies before it takes a node's deliveries over.
    return readThenAnswer(
        m_storage, nullptr, [](Storage &storage) { return storage.nodes(); },
        [this, state, query, self = m_storage.claimer()](const std::optional<QList<NodeRecord>> &nodes) {
            if (!nodes)
                return HttpResponse::error(protocol::ApiError::internal());
            const qint64 aliveSince = m_dispatcher.nodeAliveSince();
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            // A cluster has a handful of nodes: filtering and paging them here is cheaper than a count query.
            QJsonArray all;
            for (const NodeRecord &node : *nodes) {
                const bool alive = NodeSummary::isAlive(node, aliveSince);
                if (state.isEmpty() || alive == (state == QLatin1String("alive")))
                    all.append(NodeSummary::node(node, aliveSince, self, now));
            }
            QJsonArray page;
            for (qsizetype i = query.offset(); i < all.size() && page.size() < query.limit(); ++i)
                page.append(all.at(i));
            return HttpResponse::json(200, query.page(QJsonObject{{QStringLiteral("nodes"), page}}, int(all.size())));
        });
}

} // namespace herald
