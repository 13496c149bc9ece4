#include "TestPki.h"

#include <QRandomGenerator>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace herald::standin {

namespace {

QByteArray bioToBytes(BIO *bio)
{
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    QByteArray out(data, int(len));
    BIO_free(bio);
    return out;
}

QByteArray privatePem(EVP_PKEY *key)
{
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    return bioToBytes(bio);
}

} // namespace

QByteArray TestPki::ecP256PrivateKey()
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    const QByteArray pem = privatePem(key);
    EVP_PKEY_free(key);
    return pem;
}

QByteArray TestPki::rsaPrivateKey(int bits)
{
    EVP_PKEY *key = EVP_RSA_gen(unsigned(bits));
    const QByteArray pem = privatePem(key);
    EVP_PKEY_free(key);
    return pem;
}

QByteArray TestPki::publicKeyOf(const QByteArray &pem)
{
    BIO *in = BIO_new_mem_buf(pem.constData(), int(pem.size()));
    EVP_PKEY *key = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
    BIO_free(in);
    if (!key)
        return {};
    BIO *out = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(out, key);
    EVP_PKEY_free(key);
    return bioToBytes(out);
}

TestPki::Certificate TestPki::selfSigned(const QString &commonName)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), long(QRandomGenerator::global()->bounded(1, 1 << 30)));
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 7 * 24 * 3600);
    X509_set_pubkey(x, key);
    X509_NAME *name = X509_get_subject_name(x);
    const QByteArray cn = commonName.toUtf8();
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char *>(cn.constData()), -1, -1, 0);
    X509_set_issuer_name(x, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
    const QByteArray san = "DNS:" + cn + ",DNS:localhost,IP:127.0.0.1";
    for (const auto &[nid, value] : {std::pair<int, QByteArray>{NID_subject_alt_name, san},
                                     {NID_basic_constraints, "critical,CA:TRUE"},
                                     {NID_key_usage, "critical,digitalSignature,keyCertSign"}}) {
        X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.constData());
        X509_add_ext(x, ext, -1);
        X509_EXTENSION_free(ext);
    }
    X509_sign(x, key, EVP_sha256());
    BIO *out = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(out, x);
    Certificate c{bioToBytes(out), privatePem(key)};
    X509_free(x);
    EVP_PKEY_free(key);
    return c;
}

} // namespace herald::standin
