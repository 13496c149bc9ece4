#pragma once

#include "http/HttpResponse.h"

#include <QString>

#include <functional>

class QObject;

namespace herald {

class PasswordWorkPool;

// A new password's Argon2id hash (tens of milliseconds) made on the password workers, never on
// the event loop, where every session would wait for it. The answer is deferred: `store` runs
// back on the event loop with the hash and makes the answer; a hash that failed is a 500, and a
// full pool a 503 with Retry-After, as for logins.
HttpResponse hashThenAnswer(PasswordWorkPool &pool, QObject *context, const QString &password,
                            std::function<HttpResponse(const QString &hash)> store);
// The 503 a full pool of password workers answers with.
HttpResponse passwordWorkersBusy(const PasswordWorkPool &pool);

} // namespace herald
