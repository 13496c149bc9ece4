#include "PushKeyPair.h"

#include "crypto/WebPushCrypto.h"

#include <openssl/rand.h>

namespace herald::client {
namespace {

constexpr auto Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

PushKeyPair failed(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return {};
}

} // namespace

PushKeyPair PushKeyPair::generate(QString *error)
{
    PushKeyPair pair;
    pair.m_key = EcP256Key::generate(error);
    if (pair.m_key.isNull())
        return {};
    pair.m_auth.resize(WebPushCrypto::kAuthSecretBytes);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(pair.m_auth.data()), int(pair.m_auth.size())) != 1)
        return failed(error, QStringLiteral("no random bytes for the auth secret"));
    return pair;
}

PushKeyPair PushKeyPair::fromJson(const QJsonObject &object, QString *error)
{
    const auto scalar = QByteArray::fromBase64Encoding(object.value(QStringLiteral("private")).toString().toLatin1(),
                                                       Url | QByteArray::AbortOnBase64DecodingErrors);
    const auto auth = QByteArray::fromBase64Encoding(object.value(QStringLiteral("auth")).toString().toLatin1(),
                                                     Url | QByteArray::AbortOnBase64DecodingErrors);
    if (!scalar || !auth)
        return failed(error, QStringLiteral("the push key is not base64url"));
    if ((*auth).size() != WebPushCrypto::kAuthSecretBytes)
        return failed(error, QStringLiteral("the push key's auth secret is not 16 bytes"));
    QString why;
    PushKeyPair pair;
    pair.m_key = EcP256Key::fromPrivateBytes(*scalar, &why);
    if (pair.m_key.isNull())
        return failed(error, QStringLiteral("the push key is unusable: ") + why);
    pair.m_auth = *auth;
    return pair;
}

QJsonObject PushKeyPair::toJson() const
{
    if (isNull())
        return {};
    return {{QStringLiteral("private"), QString::fromLatin1(m_key.privateBytes().toBase64(Url))},
            {QStringLiteral("auth"), QString::fromLatin1(m_auth.toBase64(Url))}};
}

} // namespace herald::client
