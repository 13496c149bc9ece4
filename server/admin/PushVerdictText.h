#pragma once

#include <QString>

namespace herald {

// A provider's answer to one push in words a helpdesk agent can act on ("The phone's push token
// is no longer valid (Unregistered) — ask the user to open the app"), telling apart what the
// user can fix, what the server's administrator must fix and what only needs waiting.
namespace PushVerdictText {
// `provider` as named in the answer ("push.apns"), `status` the HTTP status (0: no answer),
// `reason` the provider's reason code; `delivered` when the provider accepted it.
QString describe(const QString &provider, int status, const QString &reason, bool delivered);
} // namespace PushVerdictText

} // namespace herald
