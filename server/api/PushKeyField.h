#pragma once

#include <QByteArray>

namespace herald {

class JsonFields;

// Reads the optional `device.pushKey` of a registration: {"p256dh","auth"} in base64url, exactly
// what a browser's PushSubscription carries under `keys`. Strict, because a wrong key is not
// noticed until a push cannot be opened on the device: p256dh must decode to an uncompressed
// P-256 point on the curve (65 bytes), auth to 16 bytes, and nothing else may be in the object.
// The first problem becomes the fields' error (`device.pushKey.p256dh is not a point ...`).
struct PushKeyField
{
    QByteArray p256dh; // empty when no key was given (or on error)
    QByteArray auth;

    static PushKeyField read(JsonFields &device);
};

} // namespace herald
