#pragma once

#include <QByteArray>
#include <QString>

namespace herald {

// The bearer secret a terminal gets from POST /v1/register. 256 random bits, so a plain SHA-256
// is enough to store it: there is nothing to brute-force, unlike passwords.
namespace DeviceToken {
QString generate();
QByteArray hash(const QString &token);
// Cheap shape check before any lookup; hostile headers never reach storage.
bool looksValid(const QString &token);
} // namespace DeviceToken

} // namespace herald
