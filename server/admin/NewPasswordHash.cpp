#include "admin/NewPasswordHash.h"

#include "protocol/ApiError.h"
#include "registry/PasswordWorkPool.h"

#include <QPointer>

namespace herald {

HttpResponse hashThenAnswer(PasswordWorkPool &pool, QObject *context, const QString &password,
                            std::function<HttpResponse(const QString &hash)> store)
{
    HttpResponse response;
    response.deferred = [&pool, context = QPointer<QObject>(context), password,
                         store = std::move(store)](std::function<void(HttpResponse)> answer) {
        if (!context)
            return; // the server is going down
        const bool queued = pool.hash(password, context, [store, answer](const QString &hash) {
            answer(hash.isEmpty() ? HttpResponse::error(protocol::ApiError::internal()) : store(hash));
        });
        if (!queued)
            answer(passwordWorkersBusy(pool));
    };
    return response;
}

HttpResponse passwordWorkersBusy(const PasswordWorkPool &pool)
{
    HttpResponse busy = HttpResponse::error(
        protocol::ApiError{503, QStringLiteral("busy"), QStringLiteral("too many password checks at once; try again shortly")});
    busy.headers.append({"Retry-After", QByteArray::number(pool.retryAfterSecs())});
    return busy;
}

} // namespace herald
