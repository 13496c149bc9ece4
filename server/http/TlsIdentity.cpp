#include "http/TlsIdentity.h"

#include "http/HttpLog.h"
#include "http/OpenSslPtr.h"

#include <QDir>
#include <QFile>
#include <QHostInfo>
#include <QSaveFile>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace herald {
namespace {

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(len));
}

bool addExtension(X509 *cert, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext)
        return false;
    const bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

bool writeFile(const QString &path, const QByteArray &data, QFileDevice::Permissions permissions, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(permissions) || file.write(data) != data.size() ||
        !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

bool TlsIdentity::generateSelfSigned(const QString &certPath, const QString &keyPath, QString *error)
{
    PKeyPtr key(EVP_EC_gen("P-256"));
    X509Ptr cert(X509_new());
    if (!key || !cert) {
        *error = QStringLiteral("OpenSSL could not create a P-256 key");
        return false;
    }
    X509_set_version(cert.get(), 2);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f; // positive
    BIGNUM *bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60 * 60);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * 825); // the CA/B maximum, for clients that check
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME *name = X509_get_subject_name(cert.get());
    const QByteArray host = QHostInfo::localHostName().toUtf8().left(60);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char *>("Herald"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char *>(host.isEmpty() ? "localhost" : host.constData()),
                               -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    QByteArray san = "DNS:localhost,IP:127.0.0.1,IP:0:0:0:0:0:0:0:1";
    if (!host.isEmpty() && host != "localhost")
        san += ",DNS:" + host;
    const bool extensionsOk = addExtension(cert.get(), NID_subject_alt_name, san.constData()) &&
                              addExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE") &&
                              addExtension(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign") &&
                              addExtension(cert.get(), NID_ext_key_usage, "serverAuth") &&
                              addExtension(cert.get(), NID_subject_key_identifier, "hash");
    if (!extensionsOk || X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
        *error = QStringLiteral("OpenSSL could not sign the self-signed certificate");
        return false;
    }
    BioPtr certBio(BIO_new(BIO_s_mem()));
    BioPtr keyBio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_X509(certBio.get(), cert.get()) != 1 ||
        PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        *error = QStringLiteral("OpenSSL could not encode the certificate");
        return false;
    }
    // The key first, owner-only, so no window exists where a certificate points at a readable key.
    return writeFile(keyPath, bioBytes(keyBio.get()), QFileDevice::ReadOwner | QFileDevice::WriteOwner, error) &&
           writeFile(certPath, bioBytes(certBio.get()),
                     QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther,
                     error);
}

bool TlsIdentity::loadFiles(const QString &certFile, const QString &keyFile, QString *error)
{
    QFile cert(certFile);
    if (!cert.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read TLS certificate %1: %2").arg(certFile, cert.errorString());
        return false;
    }
    m_chain = QSslCertificate::fromData(cert.read(1024 * 1024), QSsl::Pem);
    if (m_chain.isEmpty() || m_chain.first().isNull()) {
        *error = QStringLiteral("%1 holds no PEM certificate").arg(certFile);
        return false;
    }
    QFile keyIn(keyFile);
    if (!keyIn.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read TLS key %1: %2").arg(keyFile, keyIn.errorString());
        return false;
    }
    const QByteArray keyPem = keyIn.read(1024 * 1024);
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Ec, QSsl::Rsa}) {
        m_key = QSslKey(keyPem, algorithm, QSsl::Pem);
        if (!m_key.isNull())
            break;
    }
    if (m_key.isNull()) {
        *error = QStringLiteral("%1 holds no unencrypted PEM EC or RSA private key").arg(keyFile);
        return false;
    }
    // Qt cannot tell whether a key belongs to a certificate; OpenSSL can.
    const QByteArray certPem = m_chain.first().toPem();
    BioPtr certBio(BIO_new_mem_buf(certPem.constData(), int(certPem.size())));
    BioPtr keyBio(BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())));
    X509Ptr x509(PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr));
    PKeyPtr pkey(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr));
    if (!x509 || !pkey || X509_check_private_key(x509.get(), pkey.get()) != 1) {
        *error = QStringLiteral("the key in %1 does not belong to the certificate in %2").arg(keyFile, certFile);
        return false;
    }
    m_certPath = certFile;
    return true;
}

bool TlsIdentity::loadOrCreateSelfSigned(const QString &dataDir, QString *error)
{
    const QString dir = QDir(dataDir).filePath(QStringLiteral("tls"));
    if (!QDir().mkpath(dir)) {
        *error = QStringLiteral("cannot create %1").arg(dir);
        return false;
    }
    QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    const QString certPath = QDir(dir).filePath(QStringLiteral("herald-cert.pem"));
    const QString keyPath = QDir(dir).filePath(QStringLiteral("herald-key.pem"));
    m_generated = !QFile::exists(certPath) || !QFile::exists(keyPath);
    if (m_generated) {
        if (!generateSelfSigned(certPath, keyPath, error))
            return false;
        qCInfo(lcHttp) << "generated a self-signed certificate in" << certPath;
    }
    return loadFiles(certPath, keyPath, error);
}

QString TlsIdentity::fingerprint() const
{
    if (m_chain.isEmpty())
        return {};
    return QString::fromLatin1(m_chain.first().digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

} // namespace herald
