#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <functional>

#include "crypto/PrivateKey.h"

namespace herald {

// Voluntary Application Server Identification (RFC 8292) for Web Push: an ES256 JWT
// {"aud": the push service's origin, "exp", "sub": a mailto: or https: contact} signed with the
// server's P-256 VAPID key, sent as `Authorization: vapid t=<jwt>, k=<public key>`. Tokens are
// cached per origin and renewed an hour before they expire (they live 12 h; RFC 8292 allows 24).
class VapidSigner
{
public:
    static constexpr int kLifetimeSecs = 12 * 3600;
    static constexpr int kRenewBeforeSecs = 3600;

    VapidSigner(const PrivateKey &key, const QString &subject);

    bool isValid() const { return !m_publicKey.isEmpty(); }
    QByteArray publicKey() const { return m_publicKey; } // base64url of the 65-byte point ("k")
    // The Authorization header value for requests to `origin` ("https://host[:port]"); empty and
    // *error on a signing failure.
    QByteArray authorization(const QString &origin, QString *error = nullptr);
    void setClockForTesting(std::function<qint64()> clock) { m_clock = std::move(clock); }

    // "https://host" or "https://host:port" (default port left out), as the aud claim wants it.
    static QString originOf(const QString &endpoint);

private:
    struct Cached
    {
        QByteArray header;
        qint64 expiresAt = 0;
    };
    PrivateKey m_key;
    QString m_subject;
    QByteArray m_publicKey;
    QHash<QString, Cached> m_cache;
    std::function<qint64()> m_clock;
};

} // namespace herald
