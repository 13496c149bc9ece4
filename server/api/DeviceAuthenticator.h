#pragma once

#include "protocol/ApiError.h"
#include "storage/Records.h"

#include <optional>

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

    explicit DeviceAuthenticator(Storage &storage);
    Result authenticate(const HttpRequest &request, bool allowQueryToken = false) const;
    Result authenticateToken(const QString &token) const;

private:
    Storage &m_storage;
};

} // namespace herald
