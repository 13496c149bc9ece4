#pragma once

#include "http/HttpResponse.h"
#include "protocol/ApiError.h"

#include <QJsonObject>
#include <QObject>

#include <functional>
#include <optional>

namespace herald {

class Storage;

// What one console change found and made, filled in by the change itself off the event loop.
struct AdminChangeResult
{
    std::optional<protocol::ApiError> refused; // why nothing was changed (a 404, a 409, ...)
    qint64 targetId = 0;                       // the row changed, for what follows on the event loop
    QJsonObject body;                          // the answer's JSON; empty: 204 No Content
    int status = 200;
};

// Answers a console change made off the event loop. `change` runs as one unit of the background
// writer (Storage::writeInBackground): its checks (the account exists, the name is free, it is not
// the last admin) and its writes, the audit row included, share one transaction that no other
// change can come between. It returns false to undo its writes, after setting `refused` for a
// refusal (anything else is answered 500). `after` runs on the event loop once the change is
// committed (signals, ending sessions, an answer built from what only the event loop may touch), unless `context` is gone (null: an owner that outlives the
// background writer, which the server drains before it lets go of anything); then the answer goes out.
// `change` must use only the Storage it is given and what it captured by value.
HttpResponse changeThenAnswer(Storage &storage, QObject *context,
                              std::function<bool(Storage &, AdminChangeResult &)> change,
                              std::function<void(AdminChangeResult &)> after = {});

} // namespace herald
