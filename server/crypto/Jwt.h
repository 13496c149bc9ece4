#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include "crypto/PrivateKey.h"

namespace herald {

// Compact JWS signing for the push providers: ES256 (APNs provider tokens) and RS256 (Google
// service-account assertions). Verification lives with whoever needs it (the test stand-ins).
class Jwt
{
public:
    static QByteArray base64Url(const QByteArray &data);
    static QByteArray fromBase64Url(const QByteArray &text);

    // header.claims.signature; "alg" (and "typ":"JWT") are filled into the header from the key's kind.
    // Returns an empty array and sets *error on failure (wrong key kind, OpenSSL failure).
    static QByteArray signEs256(QJsonObject header, const QJsonObject &claims, const PrivateKey &key,
                                QString *error = nullptr);
    static QByteArray signRs256(QJsonObject header, const QJsonObject &claims, const PrivateKey &key,
                                QString *error = nullptr);

    // OpenSSL gives ECDSA signatures as DER SEQUENCE{r,s}; JWS wants fixed-width r||s. Exposed for tests.
    static QByteArray derToRawEcdsa(const QByteArray &der, int coordinateBytes = 32);
    static QByteArray rawToDerEcdsa(const QByteArray &raw);

    // Splits a compact JWT; false when it does not have three base64url parts with JSON objects.
    static bool decode(const QByteArray &token, QJsonObject *header, QJsonObject *claims,
                       QByteArray *signingInput, QByteArray *signature);
};

} // namespace herald
