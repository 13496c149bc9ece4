#pragma once

#include "http/HttpResponse.h"
#include "storage/Storage.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <optional>
#include <type_traits>

namespace herald {

// Answers a request from a read made off the event loop (Storage::readInBackground): `read` runs
// on one of the server's reading connections and returns what it found, by value; `answer` turns
// that into the response back on the event loop, unless `context` is gone by then (null: an owner
// that outlives the reading connections, which the server drains before it lets go of anything). So a console
// listing a hundred thousand devices, or a network round trip to PostgreSQL, holds up no one else.
// `read` must use only the Storage it is given and what it captured by value.
template <typename Read, typename Answer>
HttpResponse readThenAnswer(Storage &storage, const QObject *context, Read read, Answer answer)
{
    using Found = std::invoke_result_t<Read &, Storage &>;
    HttpResponse response;
    response.deferred = [&storage, guarded = context != nullptr, guard = QPointer<const QObject>(context), read = std::move(read),
                         answer = std::move(answer)](std::function<void(HttpResponse)> reply) {
        auto found = std::make_shared<std::optional<Found>>();
        storage.readInBackground([found, read](Storage &reading) mutable { found->emplace(read(reading)); },
                                 [guarded, guard, found, answer, reply] {
                                     if (!guarded || guard) // else the server is going down: the connection goes with it
                                         reply(answer(**found));
                                 });
    };
    return response;
}

} // namespace herald
