#pragma once

#include <QByteArray>

#include "push/Provider.h"

namespace herald {

// The APNs JSON body for one PushMessage (PROTOCOL.md "Push payloads": "nid" and "uri" beside "aps").
class ApnsPayload
{
public:
    static constexpr int kMaxBytes = 4096;
    // Empty when it cannot be made to fit (only possible with absurd uri/nid values).
    static QByteArray build(const PushMessage &message, int maxBytes = kMaxBytes);

private:
    // A silent update (PushMessage::clearIds): {"aps":{"content-available":1,"badge":N},"clear":[ids]}.
    static QByteArray buildClear(const PushMessage &message, int maxBytes);
};

} // namespace herald
