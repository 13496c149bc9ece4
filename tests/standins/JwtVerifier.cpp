#include "JwtVerifier.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "crypto/Jwt.h"

namespace herald::standin {

JwtVerifier::JwtVerifier(const QByteArray &publicKeyPem, Algorithm algorithm) : m_algorithm(algorithm)
{
    BIO *in = BIO_new_mem_buf(publicKeyPem.constData(), int(publicKeyPem.size()));
    EVP_PKEY *key = PEM_read_bio_PUBKEY(in, nullptr, nullptr, nullptr);
    BIO_free(in);
    if (key)
        m_key.reset(key, EVP_PKEY_free);
}

bool JwtVerifier::verify(const QByteArray &token, QJsonObject *header, QJsonObject *claims,
                         QString *error) const
{
    QByteArray input, signature;
    QJsonObject h, c;
    if (!Jwt::decode(token, &h, &c, &input, &signature)) {
        *error = QStringLiteral("not a JWT");
        return false;
    }
    const QString alg = m_algorithm == Algorithm::ES256 ? QStringLiteral("ES256") : QStringLiteral("RS256");
    if (h.value(QStringLiteral("alg")).toString() != alg) {
        *error = QStringLiteral("alg is not ") + alg;
        return false;
    }
    QByteArray sig = signature;
    if (m_algorithm == Algorithm::ES256) {
        if (signature.size() != 64) { // JWS ES256 is raw r||s; DER here is a client bug
            *error = QStringLiteral("ES256 signature is not 64 bytes");
            return false;
        }
        sig = Jwt::rawToDerEcdsa(signature);
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const bool ok =
        m_key && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, m_key.get()) == 1 &&
        EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(sig.constData()), size_t(sig.size()),
                         reinterpret_cast<const unsigned char *>(input.constData()),
                         size_t(input.size())) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        *error = QStringLiteral("bad signature");
        return false;
    }
    *header = h;
    *claims = c;
    return true;
}

} // namespace herald::standin
