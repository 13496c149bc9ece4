#pragma once

#include <QByteArray>
#include <QString>

namespace herald {

// Unguessable identifiers and secrets from OpenSSL's CSPRNG.
namespace RandomToken {
QByteArray bytes(int count);
// base64url without padding of `byteCount` random bytes: device tokens, source tokens, passwords.
QString urlSafe(int byteCount = 32);
// A random (version 4) UUID without braces.
QString uuid();
// A version 7 UUID (RFC 9562) without braces: 48 bits of Unix milliseconds, a 12-bit counter within
// the millisecond (so one thread's ids sort in the order it made them), then 62 random bits.
// Notification and delivery ids: new rows land at the right edge of their B-tree indexes instead
// of on a random page each, which keeps a busy commit to a handful of pages.
QString timeOrderedUuid();
} // namespace RandomToken

} // namespace herald
