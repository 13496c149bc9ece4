#include "crypto/WebPushCrypto.h"

#include <QtEndian>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <memory>

namespace herald {
namespace {

std::optional<QByteArray> fail(QString *error, const QString &why)
{
    ERR_clear_error(); // see EcP256Key.cpp: a stale entry would fail an unrelated TLS socket
    if (error)
        *error = why;
    return std::nullopt;
}

QByteArray hmacSha256(const QByteArray &key, const QByteArray &data)
{
    unsigned char out[32];
    unsigned int len = 0;
    if (!HMAC(EVP_sha256(), key.constData(), int(key.size()), reinterpret_cast<const unsigned char *>(data.constData()),
              size_t(data.size()), out, &len))
        return {};
    return QByteArray(reinterpret_cast<const char *>(out), int(len));
}

// HKDF (RFC 5869) with SHA-256, for outputs of at most one block (all RFC 8291 needs).
QByteArray hkdf(const QByteArray &salt, const QByteArray &ikm, const QByteArray &info, int length)
{
    const QByteArray prk = hmacSha256(salt, ikm);
    return hmacSha256(prk, info + '\x01').left(length);
}

struct Keys
{
    QByteArray cek;   // 16 bytes
    QByteArray nonce; // 12 bytes
};

// RFC 8291 section 3.4 and RFC 8188 section 2.2: one key schedule for both directions.
Keys deriveKeys(const QByteArray &ecdhSecret, const QByteArray &authSecret, const QByteArray &receiverPublic,
                const QByteArray &senderPublic, const QByteArray &salt)
{
    const QByteArray keyInfo = QByteArray("WebPush: info") + '\0' + receiverPublic + senderPublic;
    const QByteArray ikm = hkdf(authSecret, ecdhSecret, keyInfo, 32);
    return {hkdf(salt, ikm, QByteArray("Content-Encoding: aes128gcm") + '\0', 16),
            hkdf(salt, ikm, QByteArray("Content-Encoding: nonce") + '\0', 12)};
}

struct CipherDeleter
{
    void operator()(EVP_CIPHER_CTX *c) const { EVP_CIPHER_CTX_free(c); }
};

} // namespace

std::optional<QByteArray> WebPushCrypto::encrypt(const QByteArray &plaintext, const QByteArray &receiverPublic,
                                                 const QByteArray &authSecret, QString *error)
{
    const EcP256Key sender = EcP256Key::generate(error);
    if (sender.isNull())
        return std::nullopt;
    QByteArray salt(kSaltBytes, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(salt.data()), kSaltBytes) != 1)
        return fail(error, QStringLiteral("no random bytes for the salt"));
    const quint32 recordSize = qMax<quint32>(kDefaultRecordSize, quint32(plaintext.size()) + kTagBytes + 1);
    return encryptWith(plaintext, receiverPublic, authSecret, sender, salt, recordSize, error);
}

std::optional<QByteArray> WebPushCrypto::encryptWith(const QByteArray &plaintext, const QByteArray &receiverPublic,
                                                     const QByteArray &authSecret, const EcP256Key &sender,
                                                     const QByteArray &salt, quint32 recordSize, QString *error)
{
    // The last (and only) record's delimiter, no padding.
    return sealRecord(plaintext + '\x02', receiverPublic, authSecret, sender, salt, recordSize, error);
}

std::optional<QByteArray> WebPushCrypto::sealRecord(const QByteArray &record, const QByteArray &receiverPublic,
                                                    const QByteArray &authSecret, const EcP256Key &sender,
                                                    const QByteArray &salt, quint32 recordSize, QString *error)
{
    QString why;
    const EcP256Key receiver = EcP256Key::fromPublicPoint(receiverPublic, &why);
    if (receiver.isNull())
        return fail(error, QStringLiteral("receiver key ") + why);
    if (authSecret.size() != kAuthSecretBytes)
        return fail(error, QStringLiteral("the auth secret must be %1 bytes, not %2").arg(kAuthSecretBytes).arg(authSecret.size()));
    if (salt.size() != kSaltBytes)
        return fail(error, QStringLiteral("the salt must be %1 bytes").arg(kSaltBytes));
    if (qint64(record.size()) + kTagBytes > qint64(recordSize))
        return fail(error, QStringLiteral("%1 bytes do not fit one record of %2 bytes").arg(record.size() - 1).arg(recordSize));
    const QByteArray secret = sender.sharedSecret(receiver, &why);
    if (secret.isEmpty())
        return fail(error, why);
    const QByteArray senderPublic = sender.publicPoint();
    const Keys keys = deriveKeys(secret, authSecret, receiverPublic, senderPublic, salt);

    QByteArray blob;
    blob.reserve(kHeaderBytes + kTagBytes + record.size());
    blob.append(salt);
    char rs[4];
    qToBigEndian(recordSize, rs);
    blob.append(rs, 4);
    blob.append(char(EcP256Key::kPublicBytes));
    blob.append(senderPublic);

    std::unique_ptr<EVP_CIPHER_CTX, CipherDeleter> ctx(EVP_CIPHER_CTX_new());
    QByteArray out(record.size(), Qt::Uninitialized);
    int len = 0;
    int total = 0;
    unsigned char tag[kTagBytes];
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, nullptr, nullptr) != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, 12, nullptr) != 1
        || EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, reinterpret_cast<const unsigned char *>(keys.cek.constData()),
                              reinterpret_cast<const unsigned char *>(keys.nonce.constData())) != 1
        || EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char *>(out.data()), &len,
                             reinterpret_cast<const unsigned char *>(record.constData()), int(record.size())) != 1)
        return fail(error, QStringLiteral("AES-128-GCM encryption failed"));
    total = len;
    if (EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char *>(out.data()) + total, &len) != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, tag) != 1)
        return fail(error, QStringLiteral("AES-128-GCM encryption failed"));
    total += len;
    out.truncate(total);
    blob.append(out);
    blob.append(reinterpret_cast<const char *>(tag), kTagBytes);
    return blob;
}

std::optional<QByteArray> WebPushCrypto::decrypt(const QByteArray &blob, const EcP256Key &receiver,
                                                 const QByteArray &authSecret, QString *error)
{
    if (receiver.isNull() || !receiver.hasPrivate())
        return fail(error, QStringLiteral("decryption needs the receiver's private key"));
    if (authSecret.size() != kAuthSecretBytes)
        return fail(error, QStringLiteral("the auth secret must be %1 bytes, not %2").arg(kAuthSecretBytes).arg(authSecret.size()));
    if (blob.size() < kSaltBytes + 5)
        return fail(error, QStringLiteral("truncated header: %1 bytes").arg(blob.size()));
    const QByteArray salt = blob.left(kSaltBytes);
    const quint32 recordSize = qFromBigEndian<quint32>(blob.constData() + kSaltBytes);
    const int idLength = quint8(blob.at(kSaltBytes + 4));
    if (recordSize < quint32(kTagBytes + 2)) // RFC 8188: at least one byte of content per record
        return fail(error, QStringLiteral("bad record size %1 (at least 18)").arg(recordSize));
    if (idLength != EcP256Key::kPublicBytes)
        return fail(error, QStringLiteral("bad key id length %1: Web Push puts the 65-byte sender key there").arg(idLength));
    if (blob.size() < kHeaderBytes)
        return fail(error, QStringLiteral("truncated header: %1 of %2 bytes").arg(blob.size()).arg(kHeaderBytes));
    QString why;
    const QByteArray senderPublic = blob.mid(kSaltBytes + 5, EcP256Key::kPublicBytes);
    const EcP256Key sender = EcP256Key::fromPublicPoint(senderPublic, &why);
    if (sender.isNull())
        return fail(error, QStringLiteral("sender key ") + why);
    const QByteArray record = blob.mid(kHeaderBytes);
    if (record.size() < kTagBytes + 1)
        return fail(error, QStringLiteral("truncated record: %1 bytes").arg(record.size()));
    if (quint32(record.size()) > recordSize)
        return fail(error, QStringLiteral("more than one record (%1 bytes, record size %2): Web Push sends one")
                               .arg(record.size())
                               .arg(recordSize));
    const QByteArray secret = receiver.sharedSecret(sender, &why);
    if (secret.isEmpty())
        return fail(error, why);
    const Keys keys = deriveKeys(secret, authSecret, receiver.publicPoint(), senderPublic, salt);

    const int cipherBytes = int(record.size()) - kTagBytes;
    QByteArray tag = record.right(kTagBytes);
    std::unique_ptr<EVP_CIPHER_CTX, CipherDeleter> ctx(EVP_CIPHER_CTX_new());
    QByteArray out(cipherBytes, Qt::Uninitialized);
    int len = 0;
    if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, nullptr, nullptr) != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, 12, nullptr) != 1
        || EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, reinterpret_cast<const unsigned char *>(keys.cek.constData()),
                              reinterpret_cast<const unsigned char *>(keys.nonce.constData())) != 1
        || EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char *>(out.data()), &len,
                             reinterpret_cast<const unsigned char *>(record.constData()), cipherBytes) != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1)
        return fail(error, QStringLiteral("AES-128-GCM decryption failed"));
    int finalLen = 0;
    if (EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char *>(out.data()) + len, &finalLen) != 1)
        return fail(error, QStringLiteral("authentication failed: wrong key or auth secret, or the blob was altered"));
    out.truncate(len + finalLen);
    // RFC 8188 section 2: content, one delimiter byte (2 for the last record), then zeros.
    int end = int(out.size()) - 1;
    while (end >= 0 && out.at(end) == '\0')
        --end;
    if (end < 0)
        return fail(error, QStringLiteral("bad padding: no record delimiter"));
    if (out.at(end) == '\x01')
        return fail(error, QStringLiteral("bad padding: not marked as the last record, and Web Push sends one"));
    if (out.at(end) != '\x02')
        return fail(error, QStringLiteral("bad padding: delimiter byte %1 instead of 2").arg(quint8(out.at(end))));
    out.truncate(end);
    return out;
}

} // namespace herald
