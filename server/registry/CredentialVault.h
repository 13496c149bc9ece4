#pragma once

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

namespace herald {

// At-rest encryption of the mail credentials a client hands over in POST /v1/login.
// AES-256-GCM under a 32-byte key kept in its own file (mode 0600, created on first use). Every
// record gets a fresh random 12-byte nonce; the associated data (e.g. "alice\0mail") binds a record
// to its owner, so a row copied onto another account does not decrypt.
// Record layout: version byte 0x01 | nonce (12) | ciphertext | tag (16).
class CredentialVault
{
public:
    static constexpr int KeyBytes = 32;
    static constexpr int NonceBytes = 12;
    static constexpr int TagBytes = 16;
    static constexpr char Version = 0x01;

    // Opens the key file, creating it (0600, parent folder must exist) when it does not exist.
    // Refuses a key file that group or others may access, that is not a regular file, or whose size
    // is not 32 bytes. nullptr with *error on failure.
    static std::unique_ptr<CredentialVault> open(const QString &keyFile, QString *error);
    // For tests and key rotation tools: a vault over a key held in memory (must be 32 bytes).
    static std::unique_ptr<CredentialVault> fromKey(const QByteArray &key, QString *error);

    ~CredentialVault();
    CredentialVault(const CredentialVault &) = delete;
    CredentialVault &operator=(const CredentialVault &) = delete;

    // Empty result only if OpenSSL itself fails (then *error says so).
    QByteArray encrypt(const QByteArray &plaintext, const QByteArray &associatedData, QString *error = nullptr) const;
    // std::nullopt when the record is truncated, tampered with, bound to other associated data or
    // encrypted under another key. The reason never includes the plaintext.
    std::optional<QByteArray> decrypt(const QByteArray &record, const QByteArray &associatedData,
                                      QString *error = nullptr) const;

private:
    explicit CredentialVault(const QByteArray &key);

    QByteArray m_key;
};

} // namespace herald
