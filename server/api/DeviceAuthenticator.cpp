#include "api/DeviceAuthenticator.h"

#include "http/HttpRequest.h"
#include "registry/DeviceToken.h"
#include "storage/Storage.h"

#include <QPointer>

#include <memory>

namespace herald {
namespace {

protocol::ApiError invalidToken()
{
    return protocol::ApiError{401, QStringLiteral("invalid_token"), QStringLiteral("the deviceToken is unknown or revoked")};
}

} // namespace

DeviceAuthenticator::DeviceAuthenticator(Storage &storage)
    : m_storage(storage)
{
}

HttpResponse DeviceAuthenticator::withDevice(const HttpRequest &request, const QObject *context, Then then,
                                             AlsoRead alsoRead, bool allowQueryToken) const
{
    const QString token = request.bearerToken(allowQueryToken);
    if (token.isEmpty())
        return then({std::nullopt, std::nullopt,
                     protocol::ApiError::unauthorized(QStringLiteral("a bearer deviceToken is required"))});
    if (!DeviceToken::looksValid(token))
        return then({std::nullopt, std::nullopt, invalidToken()});
    HttpResponse response;
    response.deferred = [this, token, guard = QPointer<const QObject>(context), then = std::move(then),
                         alsoRead = std::move(alsoRead)](std::function<void(HttpResponse)> answer) {
        auto result = std::make_shared<Result>();
        m_storage.readInBackground(
            [token, result, alsoRead](Storage &storage) {
                *result = lookUp(storage, token);
                if (result->device && alsoRead)
                    alsoRead(storage, *result);
            },
            [guard, result, then, answer] {
                if (guard) // else the server is going down: the connection goes with it
                    answer(then(*result));
            });
    };
    return response;
}

DeviceAuthenticator::Result DeviceAuthenticator::lookUp(Storage &storage, const QString &token)
{
    // A read that failed (the database restarting, a network hiccup) is not an unknown token: told
    // 401, a terminal throws its token away and its user must register again. When a lookup finds
    // nothing, a second cheap read tells the two apart; only an unknown token pays for it.
    const auto unknownOrFailed = [&storage] {
        if (storage.targetChangeCount())
            return Result{std::nullopt, std::nullopt, invalidToken()};
        return Result{std::nullopt, std::nullopt, protocol::ApiError::internal()};
    };
    auto device = storage.deviceByTokenHash(DeviceToken::hash(token));
    if (!device)
        return unknownOrFailed();
    auto account = storage.accountById(device->accountId);
    if (!account)
        return unknownOrFailed();
    if (account->disabled)
        return {std::nullopt, std::nullopt,
                protocol::ApiError{403, QStringLiteral("account_disabled"), QStringLiteral("the account is disabled")}};
    return {device, account, {}};
}

} // namespace herald
