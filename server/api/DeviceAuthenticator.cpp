#include "api/DeviceAuthenticator.h"

#include "http/HttpRequest.h"
#include "registry/DeviceToken.h"
#include "storage/Storage.h"

namespace herald {

DeviceAuthenticator::DeviceAuthenticator(Storage &storage)
    : m_storage(storage)
{
}

DeviceAuthenticator::Result DeviceAuthenticator::authenticate(const HttpRequest &request, bool allowQueryToken) const
{
    const QString token = request.bearerToken(allowQueryToken);
    if (token.isEmpty())
        return {std::nullopt, std::nullopt,
                protocol::ApiError::unauthorized(QStringLiteral("a bearer deviceToken is required"))};
    return authenticateToken(token);
}

DeviceAuthenticator::Result DeviceAuthenticator::authenticateToken(const QString &token) const
{
    const auto invalid = protocol::ApiError{401, QStringLiteral("invalid_token"),
                                            QStringLiteral("the deviceToken is unknown or revoked")};
    if (!DeviceToken::looksValid(token))
        return {std::nullopt, std::nullopt, invalid};
    auto device = m_storage.deviceByTokenHash(DeviceToken::hash(token));
    if (!device)
        return {std::nullopt, std::nullopt, invalid};
    auto account = m_storage.accountById(device->accountId);
    if (!account)
        return {std::nullopt, std::nullopt, invalid};
    if (account->disabled)
        return {std::nullopt, std::nullopt,
                protocol::ApiError{403, QStringLiteral("account_disabled"), QStringLiteral("the account is disabled")}};
    return {device, account, {}};
}

} // namespace herald
