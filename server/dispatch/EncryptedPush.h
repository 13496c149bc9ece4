#pragma once

#include "dispatch/PushLanguage.h"

#include <QString>

namespace herald {

struct AppSettings;
struct DeviceRecord;
struct NotificationRecord;
struct PushMessage;
class PushTranslator;

// Privacy level `encrypted`. For a device that registered a push key, the full content goes in
// an RFC 8291 blob (PushMessage::sealed) only that device can open; what APNs and FCM see is a
// generic alert (APNs, replaced by the iOS notification service extension after decrypting) or
// a data-only message (FCM), the notification id and an opaque uri that does not name the app.
// A device without a key gets the content-free push of level `none`, with the same opaque uri.
class EncryptedPush
{
public:
    static constexpr const char *Level = "encrypted";
    // Rewrites a message the dispatcher built for the `encrypted` level.
    static void apply(PushMessage &message, const NotificationRecord &n, const AppSettings &app,
                      const DeviceRecord &device, PushLanguage language, const PushTranslator &translator);
};

} // namespace herald
