#pragma once

#include <QByteArray>
#include <QDateTime>

#include "push/Provider.h"

namespace herald {

// The FCM HTTP v1 request body {"message":{...}} for one PushMessage: notification text,
// string-only data (nid, uri), android priority/ttl/collapse_key. Text is cut to keep the
// message within FCM's 4096-byte limit.
class FcmPayload
{
public:
    static constexpr int kMaxBytes = 4096;
    static QByteArray build(const PushMessage &message, const QDateTime &now, int maxBytes = kMaxBytes);
};

} // namespace herald
