#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include "crypto/EcP256Key.h"

namespace herald::client {

// The terminal's receiver key for end-to-end encrypted pushes (privacy level `encrypted`): a
// P-256 key pair and a 16-byte auth secret, as a Web Push subscription has. The public half goes
// to the server at registration (DeviceInfo::pushKeyP256dh/pushKeyAuth); the private half never
// leaves the terminal (herald-term keeps it in its owner-only state file).
class PushKeyPair
{
public:
    PushKeyPair() = default;
    // A fresh key pair and auth secret; null (and *error set) only if OpenSSL fails.
    static PushKeyPair generate(QString *error = nullptr);
    // {"private","auth"} in base64url, as toJson() writes it; null and *error on anything else.
    static PushKeyPair fromJson(const QJsonObject &object, QString *error = nullptr);
    QJsonObject toJson() const;

    bool isNull() const { return m_key.isNull(); }
    QByteArray p256dh() const { return m_key.publicPoint(); } // 65-byte uncompressed point
    QByteArray auth() const { return m_auth; }                // 16 bytes
    const EcP256Key &key() const { return m_key; }

private:
    EcP256Key m_key;
    QByteArray m_auth;
};

} // namespace herald::client
