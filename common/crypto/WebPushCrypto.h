#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

#include "crypto/EcP256Key.h"

namespace herald {

// Message encryption for Web Push (RFC 8291) in the aes128gcm content coding (RFC 8188):
// ECDH on P-256 between a one-time sender key and the receiver's key, HKDF-SHA-256 mixing in the
// receiver's 16-byte auth secret, AES-128-GCM, one record. The server seals push content with it
// (privacy level `encrypted`, Web Push); herald-client opens it. The blob is
// salt(16) || rs(4, big endian) || idlen(1) = 65 || sender public key(65) || ciphertext+tag.
class WebPushCrypto
{
public:
    static constexpr int kSaltBytes = 16;
    static constexpr int kAuthSecretBytes = 16;
    static constexpr int kHeaderBytes = kSaltBytes + 4 + 1 + EcP256Key::kPublicBytes; // 86
    static constexpr int kTagBytes = 16;
    // Header, tag and the one-byte last-record delimiter: blob size = plaintext size + kOverheadBytes.
    static constexpr int kOverheadBytes = kHeaderBytes + kTagBytes + 1; // 103
    static constexpr quint32 kDefaultRecordSize = 4096;

    // Seals `plaintext` for the receiver (uncompressed P-256 point, 16-byte auth secret) with a
    // fresh sender key and salt. nullopt and *error when the inputs are unusable.
    static std::optional<QByteArray> encrypt(const QByteArray &plaintext, const QByteArray &receiverPublic,
                                             const QByteArray &authSecret, QString *error = nullptr);
    // The same with the sender key, salt and record size given: deterministic, for test vectors.
    static std::optional<QByteArray> encryptWith(const QByteArray &plaintext, const QByteArray &receiverPublic,
                                                 const QByteArray &authSecret, const EcP256Key &sender,
                                                 const QByteArray &salt, quint32 recordSize,
                                                 QString *error = nullptr);
    // Seals one record exactly as given (content, delimiter and any zero padding already in it).
    // encryptWith() is this with `plaintext + 0x02`; it is public so that a receiver can be tested
    // against records that are authentic but malformed (wrong delimiter, padding only).
    static std::optional<QByteArray> sealRecord(const QByteArray &record, const QByteArray &receiverPublic,
                                                const QByteArray &authSecret, const EcP256Key &sender,
                                                const QByteArray &salt, quint32 recordSize,
                                                QString *error = nullptr);
    // Opens a blob with the receiver's key pair and auth secret. Every malformed, truncated,
    // tampered or foreign blob is nullopt with *error saying what was wrong; nothing is guessed.
    static std::optional<QByteArray> decrypt(const QByteArray &blob, const EcP256Key &receiver,
                                             const QByteArray &authSecret, QString *error = nullptr);
};

} // namespace herald
