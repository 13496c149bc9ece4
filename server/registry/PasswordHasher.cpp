#include "registry/PasswordHasher.h"

#include "crypto/RandomToken.h"

#include <QByteArray>
#include <QLoggingCategory>

#include <argon2.h>

Q_LOGGING_CATEGORY(lcRegistry, "herald.registry", QtInfoMsg)

namespace herald {
namespace {
constexpr int SaltBytes = 16;
constexpr int HashBytes = 32;
} // namespace

PasswordHasher::PasswordHasher(int memoryKib, int iterations)
    : m_memoryKib(memoryKib)
    , m_iterations(iterations)
{
}

QString PasswordHasher::hash(const QString &password) const
{
    const QByteArray pwd = password.toUtf8();
    if (pwd.size() > MaxPasswordBytes)
        return {};
    const QByteArray salt = RandomToken::bytes(SaltBytes);
    const size_t encodedLength =
        argon2_encodedlen(uint32_t(m_iterations), uint32_t(m_memoryKib), 1, SaltBytes, HashBytes, Argon2_id);
    QByteArray encoded(int(encodedLength), '\0');
    const int rc = argon2id_hash_encoded(uint32_t(m_iterations), uint32_t(m_memoryKib), 1, pwd.constData(),
                                         size_t(pwd.size()), salt.constData(), SaltBytes, HashBytes,
                                         encoded.data(), encodedLength);
    if (rc != ARGON2_OK) {
        qCWarning(lcRegistry) << "argon2id failed:" << argon2_error_message(rc);
        return {};
    }
    return QString::fromLatin1(encoded.constData());
}

bool PasswordHasher::verify(const QString &password, const QString &encoded) const
{
    const QByteArray pwd = password.toUtf8();
    if (pwd.size() > MaxPasswordBytes || !encoded.startsWith(QLatin1String("$argon2id$")))
        return false;
    const QByteArray enc = encoded.toLatin1();
    return argon2id_verify(enc.constData(), pwd.constData(), size_t(pwd.size())) == ARGON2_OK;
}

} // namespace herald
