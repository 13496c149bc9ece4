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
    // RFC 9562 method 1: rand_a (12 bits) is a counter within the millisecond, so the ids one
    // thread makes sort in the order it made them even when several share a millisecond (lists
    // newest first break ties by id). A new millisecond starts the counter at a random value with
    // its top bit clear, leaving room to count; a full counter, or a clock that went back, borrows
    // the next millisecond.
    thread_local quint64 lastMs = 0;
    thread_local quint16 counter = 0;
    quint64 ms = quint64(QDateTime::currentMSecsSinceEpoch());
    if (ms > lastMs) {
        counter = quint16(((quint8(raw[6]) << 8) | quint8(raw[7])) & 0x07ff);
    } else if (counter < 0x0fff) {
        ms = lastMs;
        ++counter;
    } else {
        ms = lastMs + 1;
        counter = quint16(((quint8(raw[6]) << 8) | quint8(raw[7])) & 0x07ff);
    }
    lastMs = ms;
    for (int i = 0; i < 6; ++i)
        raw[i] = char((ms >> (8 * (5 - i))) & 0xff);
    raw[6] = char(0x70 | ((counter >> 8) & 0x0f)); // version 7
    raw[7] = char(counter & 0xff);
    raw[8] = char((raw[8] & 0x3f) | 0x80); // RFC 4122/9562 variant
    return QUuid::fromRfc4122(raw).toString(QUuid::WithoutBraces);
}

} // namespace herald::RandomToken
