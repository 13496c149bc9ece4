#pragma once

#include "push/Provider.h"

namespace herald {

// How a provider's verdict is named in delivery attempts, the live feed and /metrics.
inline QString pushOutcomeName(PushResult::Outcome outcome)
{
    switch (outcome) {
    case PushResult::Outcome::Delivered: return QStringLiteral("delivered");
    case PushResult::Outcome::RetryLater: return QStringLiteral("retry_later");
    case PushResult::Outcome::TokenDead: return QStringLiteral("token_dead");
    case PushResult::Outcome::Rejected: return QStringLiteral("rejected");
    case PushResult::Outcome::ProviderAuthFailed: return QStringLiteral("provider_auth_failed");
    }
    return QStringLiteral("unknown");
}

} // namespace herald
