#include "registry/DeviceToken.h"

#include "util/RandomToken.h"

#include <openssl/sha.h>

namespace herald::DeviceToken {

QString generate()
{
    return RandomToken::urlSafe(32);
}

QByteArray hash(const QString &token)
{
    // OpenSSL's SHA-256 (SHA-NI where the CPU has it): every source request and every terminal
    // call hashes its bearer token, and Qt's portable implementation took ~5x the instructions.
    const QByteArray latin1 = token.toLatin1();
    QByteArray digest(SHA256_DIGEST_LENGTH, Qt::Uninitialized);
    SHA256(reinterpret_cast<const unsigned char *>(latin1.constData()), size_t(latin1.size()),
           reinterpret_cast<unsigned char *>(digest.data()));
    return digest;
}

bool looksValid(const QString &token)
{
    if (token.size() < 16 || token.size() > 128)
        return false;
    for (const QChar c : token) {
        const ushort u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-' ||
                        u == '_';
        if (!ok)
            return false;
    }
    return true;
}

} // namespace herald::DeviceToken
