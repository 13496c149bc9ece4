#include "crypto/RandomToken.h"

#include <QDateTime>
#include <QUuid>

#include <openssl/rand.h>

#include <cstring>
#include <stdexcept>

namespace herald::RandomToken {

QByteArray bytes(int count)
{
    QByteArray out(count, Qt::Uninitialized);
    // A failing CSPRNG is not something to carry on from: a predictable token is worse than no server.
    if (RAND_bytes(reinterpret_cast<unsigned char *>(out.data()), count) != 1)
        throw std::runtime_error("OpenSSL RAND_bytes failed");
    return out;
}

QString urlSafe(int byteCount)
{
    return QString::fromLatin1(
        bytes(byteCount).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString uuid()
{
    QByteArray raw = bytes(16);
    raw[6] = char((raw[6] & 0x0f) | 0x40); // version 4
    raw[8] = char((raw[8] & 0x3f) | 0x80); // RFC 4122 variant
    return QUuid::fromRfc4122(raw).toString(QUuid::WithoutBraces);
}

QString timeOrderedUuid()
{
    // Ids are made thousands of times a second: draw CSPRNG output 4 KiB at a time, not 10 bytes.
    thread_local QByteArray pool;
    thread_local int used = 0;
    if (used + 10 > pool.size()) {
        pool = bytes(4096);
        used = 0;
    }
    QByteArray raw(16, Qt::Uninitialized);
    memcpy(raw.data() + 6, pool.constData() + used, 10);
    used += 10;
    const quint64 ms = quint64(QDateTime::currentMSecsSinceEpoch());
    for (int i = 0; i < 6; ++i)
        raw[i] = char((ms >> (8 * (5 - i))) & 0xff);
    raw[6] = char((raw[6] & 0x0f) | 0x70); // version 7
    raw[8] = char((raw[8] & 0x3f) | 0x80); // RFC 4122/9562 variant
    return QUuid::fromRfc4122(raw).toString(QUuid::WithoutBraces);
}

} // namespace herald::RandomToken
