#include "registry/DeviceToken.h"

#include "crypto/RandomToken.h"

#include <QCryptographicHash>

namespace herald::DeviceToken {

QString generate()
{
    return RandomToken::urlSafe(32);
}

QByteArray hash(const QString &token)
{
    return QCryptographicHash::hash(token.toLatin1(), QCryptographicHash::Sha256);
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
