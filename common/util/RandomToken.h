#pragma once

#include <QByteArray>
#include <QString>

namespace herald {

// Unguessable identifiers and secrets from OpenSSL's CSPRNG.
namespace RandomToken {
QByteArray bytes(int count);
// base64url without padding of `byteCount` random bytes: device tokens, source tokens, passwords.
QString urlSafe(int byteCount = 32);
// A random (version 4) UUID without braces: notification and delivery ids.
QString uuid();
} // namespace RandomToken

} // namespace herald
