#include "crypto/EcP256Key.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

namespace herald {
namespace {

template <typename T>
T fail(QString *error, const QString &why)
{
    // OpenSSL's per-thread error queue must be left empty: the TLS sockets on this thread read
    // it after their own calls, and a stale entry there drops an unrelated connection.
    ERR_clear_error();
    if (error)
        *error = why;
    return T();
}

struct GroupDeleter
{
    void operator()(EC_GROUP *g) const { EC_GROUP_free(g); }
};
struct PointDeleter
{
    void operator()(EC_POINT *p) const { EC_POINT_free(p); }
};
struct BnDeleter
{
    void operator()(BIGNUM *b) const { BN_clear_free(b); }
};
struct BldDeleter
{
    void operator()(OSSL_PARAM_BLD *b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamDeleter
{
    void operator()(OSSL_PARAM *p) const { OSSL_PARAM_free(p); }
};
struct CtxDeleter
{
    void operator()(EVP_PKEY_CTX *c) const { EVP_PKEY_CTX_free(c); }
};

bool isP256(EVP_PKEY *key)
{
    if (!EVP_PKEY_is_a(key, "EC"))
        return false;
    char group[64] = {};
    size_t len = 0;
    if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len))
        return false;
    const QByteArray name(group, int(len));
    return name == "prime256v1" || name == "P-256";
}

// Builds an EVP_PKEY from a public point and, when given, the private scalar.
EVP_PKEY *fromData(const QByteArray &point, const BIGNUM *priv)
{
    std::unique_ptr<OSSL_PARAM_BLD, BldDeleter> bld(OSSL_PARAM_BLD_new());
    if (!bld)
        return nullptr;
    if (!OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0)
        || !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.constData(),
                                             size_t(point.size()))
        || (priv && !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, priv)))
        return nullptr;
    std::unique_ptr<OSSL_PARAM, ParamDeleter> params(OSSL_PARAM_BLD_to_param(bld.get()));
    std::unique_ptr<EVP_PKEY_CTX, CtxDeleter> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0)
        return nullptr;
    EVP_PKEY *key = nullptr;
    if (EVP_PKEY_fromdata(ctx.get(), &key, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params.get()) <= 0)
        return nullptr;
    return key;
}

} // namespace

EcP256Key EcP256Key::generate(QString *error)
{
    EVP_PKEY *key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    if (!key)
        return fail<EcP256Key>(error, QStringLiteral("P-256 key generation failed"));
    EcP256Key result;
    result.m_key.reset(key, EVP_PKEY_free);
    result.m_hasPrivate = true;
    return result;
}

EcP256Key EcP256Key::fromPrivateBytes(const QByteArray &scalar, QString *error)
{
    if (scalar.size() != kPrivateBytes)
        return fail<EcP256Key>(error, QStringLiteral("a P-256 private key is %1 bytes, not %2")
                                          .arg(kPrivateBytes)
                                          .arg(scalar.size()));
    std::unique_ptr<EC_GROUP, GroupDeleter> group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
    std::unique_ptr<BIGNUM, BnDeleter> d(
        BN_bin2bn(reinterpret_cast<const unsigned char *>(scalar.constData()), int(scalar.size()), nullptr));
    if (!group || !d)
        return fail<EcP256Key>(error, QStringLiteral("out of memory"));
    if (BN_is_zero(d.get()) || BN_cmp(d.get(), EC_GROUP_get0_order(group.get())) >= 0)
        return fail<EcP256Key>(error, QStringLiteral("the private key is out of range for P-256"));
    std::unique_ptr<EC_POINT, PointDeleter> pub(EC_POINT_new(group.get()));
    if (!pub || !EC_POINT_mul(group.get(), pub.get(), d.get(), nullptr, nullptr, nullptr))
        return fail<EcP256Key>(error, QStringLiteral("could not compute the public key"));
    QByteArray point(kPublicBytes, Qt::Uninitialized);
    if (EC_POINT_point2oct(group.get(), pub.get(), POINT_CONVERSION_UNCOMPRESSED,
                           reinterpret_cast<unsigned char *>(point.data()), size_t(point.size()), nullptr)
        != size_t(kPublicBytes))
        return fail<EcP256Key>(error, QStringLiteral("could not encode the public key"));
    EVP_PKEY *key = fromData(point, d.get());
    if (!key)
        return fail<EcP256Key>(error, QStringLiteral("OpenSSL refused the key"));
    EcP256Key result;
    result.m_key.reset(key, EVP_PKEY_free);
    result.m_hasPrivate = true;
    return result;
}

EcP256Key EcP256Key::fromPublicPoint(const QByteArray &point, QString *error)
{
    if (point.size() != kPublicBytes)
        return fail<EcP256Key>(error, QStringLiteral("must be a %1-byte uncompressed P-256 point, not %2 bytes")
                                          .arg(kPublicBytes)
                                          .arg(point.size()));
    if (quint8(point.at(0)) != 0x04)
        return fail<EcP256Key>(error, QStringLiteral("must be an uncompressed point (first byte 0x04)"));
    std::unique_ptr<EC_GROUP, GroupDeleter> group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
    std::unique_ptr<EC_POINT, PointDeleter> p(group ? EC_POINT_new(group.get()) : nullptr);
    if (!p)
        return fail<EcP256Key>(error, QStringLiteral("out of memory"));
    // oct2point checks that the coordinates are below p and that the point is on the curve: a
    // point off the curve would let a hostile peer learn bits of our ephemeral key (invalid-curve attack).
    if (!EC_POINT_oct2point(group.get(), p.get(), reinterpret_cast<const unsigned char *>(point.constData()),
                            size_t(point.size()), nullptr)
        || EC_POINT_is_on_curve(group.get(), p.get(), nullptr) != 1
        || EC_POINT_is_at_infinity(group.get(), p.get()))
        return fail<EcP256Key>(error, QStringLiteral("is not a point on the P-256 curve"));
    EVP_PKEY *key = fromData(point, nullptr);
    if (!key)
        return fail<EcP256Key>(error, QStringLiteral("is not a usable P-256 public key"));
    EcP256Key result;
    result.m_key.reset(key, EVP_PKEY_free);
    return result;
}

EcP256Key EcP256Key::fromHandle(EVP_PKEY *key, QString *error)
{
    if (!key || !isP256(key))
        return fail<EcP256Key>(error, QStringLiteral("not a P-256 key"));
    EVP_PKEY_up_ref(key);
    EcP256Key result;
    result.m_key.reset(key, EVP_PKEY_free);
    BIGNUM *d = nullptr;
    result.m_hasPrivate = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &d) == 1;
    BN_clear_free(d);
    ERR_clear_error(); // a public-only key leaves "no private key" behind
    return result;
}

QByteArray EcP256Key::publicPoint() const
{
    if (!m_key)
        return {};
    unsigned char *out = nullptr;
    const size_t len = EVP_PKEY_get1_encoded_public_key(m_key.get(), &out);
    QByteArray point(reinterpret_cast<const char *>(out), int(len));
    OPENSSL_free(out);
    return point.size() == kPublicBytes ? point : QByteArray();
}

QByteArray EcP256Key::privateBytes() const
{
    if (!m_key || !m_hasPrivate)
        return {};
    BIGNUM *d = nullptr;
    if (EVP_PKEY_get_bn_param(m_key.get(), OSSL_PKEY_PARAM_PRIV_KEY, &d) != 1)
        return {};
    QByteArray scalar(kPrivateBytes, Qt::Uninitialized);
    const int ok = BN_bn2binpad(d, reinterpret_cast<unsigned char *>(scalar.data()), kPrivateBytes);
    BN_clear_free(d);
    return ok == kPrivateBytes ? scalar : QByteArray();
}

QByteArray EcP256Key::sharedSecret(const EcP256Key &peer, QString *error) const
{
    if (!m_key || !m_hasPrivate || peer.isNull())
        return fail<QByteArray>(error, QStringLiteral("ECDH needs our private key and the peer's public key"));
    std::unique_ptr<EVP_PKEY_CTX, CtxDeleter> ctx(EVP_PKEY_CTX_new(m_key.get(), nullptr));
    size_t len = 0;
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 || EVP_PKEY_derive_set_peer(ctx.get(), peer.handle()) <= 0
        || EVP_PKEY_derive(ctx.get(), nullptr, &len) <= 0)
        return fail<QByteArray>(error, QStringLiteral("ECDH failed"));
    QByteArray secret(int(len), Qt::Uninitialized);
    if (EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char *>(secret.data()), &len) <= 0)
        return fail<QByteArray>(error, QStringLiteral("ECDH failed"));
    secret.truncate(int(len));
    return secret;
}

} // namespace herald
