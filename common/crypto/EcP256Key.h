#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

typedef struct evp_pkey_st EVP_PKEY;

namespace herald {

// A P-256 key as Web Push handles them: a public key is a 65-byte uncompressed point
// (0x04 || X || Y), a private key the 32-byte scalar. Used for RFC 8291 message encryption
// (ECDH) on both ends and for the server's VAPID key. Copies share the OpenSSL key.
class EcP256Key
{
public:
    static constexpr int kPublicBytes = 65;
    static constexpr int kPrivateBytes = 32;

    EcP256Key() = default;
    // A fresh random key pair; null (and *error set) only if OpenSSL fails.
    static EcP256Key generate(QString *error = nullptr);
    // The key pair of a private scalar; the public point is computed from it.
    static EcP256Key fromPrivateBytes(const QByteArray &scalar, QString *error = nullptr);
    // A public key alone. Refuses anything but an uncompressed point that lies on the curve.
    static EcP256Key fromPublicPoint(const QByteArray &point, QString *error = nullptr);
    // Takes a reference to an existing OpenSSL key (e.g. a PrivateKey read from PEM); null unless P-256.
    static EcP256Key fromHandle(EVP_PKEY *key, QString *error = nullptr);

    bool isNull() const { return !m_key; }
    bool hasPrivate() const { return m_hasPrivate; }
    QByteArray publicPoint() const;  // 65 bytes, empty for a null key
    QByteArray privateBytes() const; // 32 bytes, empty without a private part
    EVP_PKEY *handle() const { return m_key.get(); }

    // ECDH with a peer's public key: the 32-byte X coordinate of the shared point.
    QByteArray sharedSecret(const EcP256Key &peer, QString *error = nullptr) const;

private:
    std::shared_ptr<EVP_PKEY> m_key;
    bool m_hasPrivate = false;
};

} // namespace herald
