#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <memory>

typedef struct evp_pkey_st EVP_PKEY;

namespace herald::standin {

// Checks a compact JWS against a public key, as APNs and Google's token endpoint do.
class JwtVerifier
{
public:
    enum class Algorithm
    {
        ES256,
        RS256
    };
    JwtVerifier() = default;
    JwtVerifier(const QByteArray &publicKeyPem, Algorithm algorithm);

    bool isValid() const { return bool(m_key); }
    // True when the signature and "alg" are right; header and claims are returned for further checks.
    bool verify(const QByteArray &token, QJsonObject *header, QJsonObject *claims, QString *error) const;

private:
    std::shared_ptr<EVP_PKEY> m_key;
    Algorithm m_algorithm = Algorithm::ES256;
};

} // namespace herald::standin
