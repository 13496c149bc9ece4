#pragma once

#include "http/HttpResponse.h"
#include "protocol/ApiError.h"
#include "storage/Records.h"

#include <functional>
#include <optional>

class QObject;

namespace herald {

class Storage;
struct HttpRequest;

// Resolves "Authorization: Bearer <deviceToken>" to the device and its account.
class DeviceAuthenticator
{
public:
    struct Result
    {
        std::optional<DeviceRecord> device;
        std::optional<AccountRecord> account;
        protocol::ApiError error; // meaningful when device is empty
    };
    using Then = std::function<HttpResponse(const Result &)>;
    // More reading for the same trip to a reading connection, once the device is known.
    using AlsoRead = std::function<void(Storage &, const Result &)>;

    explicit DeviceAuthenticator(Storage &storage);

    // Every terminal endpoint answers through here: the token is looked up on a reading connection
    // (Storage::readInBackground), together with whatever `alsoRead` needs, so that no request makes
    // the event loop wait for the database. `then` gets the result on the event loop, unless
    // `context` is gone by then, and its answer (which may wait again, or take the connection
    // over) is the request's. A missing or malformed token is answered without a read.
    HttpResponse withDevice(const HttpRequest &request, const QObject *context, Then then,
                            AlsoRead alsoRead = {}, bool allowQueryToken = false) const;

    // The lookup itself, on whichever Storage it is given: 401 invalid_token for a token nobody
    // has, 403 for a disabled account, 500 internal when storage could not be read.
    static Result lookUp(Storage &storage, const QString &token);

private:
    Storage &m_storage;
};

} // namespace herald
