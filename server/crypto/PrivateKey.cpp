#include "crypto/PrivateKey.h"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>

namespace herald {

PrivateKey PrivateKey::fromPem(const QByteArray &pem, QString *error)
{
    PrivateKey result;
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return PrivateKey();
    };
    if (pem.trimmed().isEmpty())
        return fail(QStringLiteral("the key is empty"));
    BIO *bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
    if (!bio)
        return fail(QStringLiteral("out of memory"));
    // A null password callback with an empty string: encrypted keys fail instead of prompting on a tty.
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, const_cast<char *>(""));
    BIO_free(bio);
    if (!key)
        return fail(QStringLiteral("not a PEM private key (expected -----BEGIN PRIVATE KEY-----)"));
    result.m_key.reset(key, EVP_PKEY_free);
    if (EVP_PKEY_is_a(key, "RSA")) {
        result.m_kind = Kind::Rsa;
    } else if (EVP_PKEY_is_a(key, "EC")) {
        char group[64] = {};
        size_t len = 0;
        EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, &len);
        const QByteArray name(group, int(len));
        result.m_kind = (name == "prime256v1" || name == "P-256") ? Kind::EcP256 : Kind::Other;
    } else {
        result.m_kind = Kind::Other;
    }
    return result;
}

} // namespace herald
