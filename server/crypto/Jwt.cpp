#include "crypto/Jwt.h"

#include <QJsonDocument>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

namespace herald {

namespace {

QByteArray digestSign(const PrivateKey &key, const QByteArray &input, QString *error)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    QByteArray out;
    size_t len = 0;
    if (ctx && EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key.handle()) == 1 &&
        EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char *>(input.constData()),
                       size_t(input.size())) == 1) {
        out.resize(qsizetype(len));
        if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char *>(out.data()), &len,
                           reinterpret_cast<const unsigned char *>(input.constData()),
                           size_t(input.size())) == 1)
            out.resize(qsizetype(len));
        else
            out.clear();
    }
    EVP_MD_CTX_free(ctx);
    if (out.isEmpty() && error)
        *error = QStringLiteral("signing failed in OpenSSL");
    return out;
}

QByteArray signingInput(QJsonObject header, const QJsonObject &claims, const char *alg)
{
    header.insert(QStringLiteral("alg"), QLatin1String(alg));
    if (!header.contains(QStringLiteral("typ")))
        header.insert(QStringLiteral("typ"), QStringLiteral("JWT"));
    return Jwt::base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.' +
           Jwt::base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
}

} // namespace

QByteArray Jwt::base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray Jwt::fromBase64Url(const QByteArray &text)
{
    auto r = QByteArray::fromBase64Encoding(text, QByteArray::Base64UrlEncoding |
                                                      QByteArray::AbortOnBase64DecodingErrors);
    return r ? *r : QByteArray();
}

QByteArray Jwt::signEs256(QJsonObject header, const QJsonObject &claims, const PrivateKey &key,
                          QString *error)
{
    if (key.kind() != PrivateKey::Kind::EcP256) {
        if (error)
            *error = QStringLiteral("ES256 needs an EC P-256 private key");
        return {};
    }
    const QByteArray input = signingInput(std::move(header), claims, "ES256");
    const QByteArray der = digestSign(key, input, error);
    const QByteArray raw = derToRawEcdsa(der);
    if (raw.isEmpty()) {
        if (error && error->isEmpty())
            *error = QStringLiteral("malformed ECDSA signature from OpenSSL");
        return {};
    }
    return input + '.' + base64Url(raw);
}

QByteArray Jwt::signRs256(QJsonObject header, const QJsonObject &claims, const PrivateKey &key,
                          QString *error)
{
    if (key.kind() != PrivateKey::Kind::Rsa) {
        if (error)
            *error = QStringLiteral("RS256 needs an RSA private key");
        return {};
    }
    const QByteArray input = signingInput(std::move(header), claims, "RS256");
    const QByteArray sig = digestSign(key, input, error);
    if (sig.isEmpty())
        return {};
    return input + '.' + base64Url(sig);
}

QByteArray Jwt::derToRawEcdsa(const QByteArray &der, int coordinateBytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(der.constData());
    ECDSA_SIG *sig = d2i_ECDSA_SIG(nullptr, &p, long(der.size()));
    if (!sig)
        return {};
    const BIGNUM *r = nullptr;
    const BIGNUM *s = nullptr;
    ECDSA_SIG_get0(sig, &r, &s);
    QByteArray raw(coordinateBytes * 2, '\0');
    auto *out = reinterpret_cast<unsigned char *>(raw.data());
    // Fixed width with left zero padding: a short r or s (leading zero bytes) is the classic bug here.
    const bool ok = BN_bn2binpad(r, out, coordinateBytes) == coordinateBytes &&
                    BN_bn2binpad(s, out + coordinateBytes, coordinateBytes) == coordinateBytes;
    ECDSA_SIG_free(sig);
    return ok ? raw : QByteArray();
}

QByteArray Jwt::rawToDerEcdsa(const QByteArray &raw)
{
    if (raw.isEmpty() || raw.size() % 2)
        return {};
    const int half = int(raw.size() / 2);
    const auto *in = reinterpret_cast<const unsigned char *>(raw.constData());
    BIGNUM *r = BN_bin2bn(in, half, nullptr);
    BIGNUM *s = BN_bin2bn(in + half, half, nullptr);
    ECDSA_SIG *sig = ECDSA_SIG_new();
    if (!r || !s || !sig || ECDSA_SIG_set0(sig, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(sig);
        return {};
    }
    unsigned char *der = nullptr;
    const int len = i2d_ECDSA_SIG(sig, &der);
    QByteArray out;
    if (len > 0)
        out = QByteArray(reinterpret_cast<const char *>(der), len);
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    return out;
}

bool Jwt::decode(const QByteArray &token, QJsonObject *header, QJsonObject *claims, QByteArray *signingInput,
                 QByteArray *signature)
{
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3)
        return false;
    QJsonParseError e1{}, e2{};
    const QJsonDocument h = QJsonDocument::fromJson(fromBase64Url(parts[0]), &e1);
    const QJsonDocument c = QJsonDocument::fromJson(fromBase64Url(parts[1]), &e2);
    if (e1.error != QJsonParseError::NoError || e2.error != QJsonParseError::NoError || !h.isObject() ||
        !c.isObject())
        return false;
    const QByteArray sig = fromBase64Url(parts[2]);
    if (sig.isEmpty())
        return false;
    if (header)
        *header = h.object();
    if (claims)
        *claims = c.object();
    if (signingInput)
        *signingInput = parts[0] + '.' + parts[1];
    if (signature)
        *signature = sig;
    return true;
}

} // namespace herald
