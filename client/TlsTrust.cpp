#include "TlsTrust.h"

#include <QCryptographicHash>
#include <QFile>
#include <QHostAddress>
#include <QRegularExpression>

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <memory>

namespace herald {

namespace {

// Verifies `chain` against exactly `anchors` with OpenSSL, because Qt's QSslCertificate::verify
// only knows the process-wide default CA list.
bool verifyAgainst(const QList<QSslCertificate> &chain, const QList<QSslCertificate> &anchors,
                   const QString &hostName, QString *why)
{
    if (chain.isEmpty() || !chain.first().handle()) {
        *why = QStringLiteral("the server sent no certificate");
        return false;
    }
    std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
    for (const QSslCertificate &anchor : anchors) {
        if (anchor.handle())
            X509_STORE_add_cert(store.get(), static_cast<X509 *>(anchor.handle()));
    }
    std::unique_ptr<STACK_OF(X509), void (*)(STACK_OF(X509) *)> untrusted(
        sk_X509_new_null(), [](STACK_OF(X509) * stack) { sk_X509_free(stack); });
    for (qsizetype i = 1; i < chain.size(); ++i) {
        if (chain.at(i).handle())
            sk_X509_push(untrusted.get(), static_cast<X509 *>(chain.at(i).handle()));
    }
    std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> context(X509_STORE_CTX_new(),
                                                                            X509_STORE_CTX_free);
    if (!X509_STORE_CTX_init(context.get(), store.get(), static_cast<X509 *>(chain.first().handle()),
                             untrusted.get())) {
        *why = QStringLiteral("could not set up certificate verification");
        return false;
    }
    X509_STORE_CTX_set_purpose(context.get(), X509_PURPOSE_SSL_SERVER);
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(context.get());
    const QByteArray host = hostName.toUtf8();
    if (QHostAddress(hostName).isNull())
        X509_VERIFY_PARAM_set1_host(param, host.constData(), size_t(host.size()));
    else
        X509_VERIFY_PARAM_set1_ip_asc(param, host.constData());
    if (X509_verify_cert(context.get()) != 1) {
        *why = QStringLiteral("certificate does not verify against the CA file: %1")
                   .arg(QString::fromUtf8(
                       X509_verify_cert_error_string(X509_STORE_CTX_get_error(context.get()))));
        return false;
    }
    return true;
}

} // namespace

bool TlsTrust::loadCaFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read CA file %1: %2").arg(path, file.errorString());
        return false;
    }
    const QByteArray data = file.readAll();
    QList<QSslCertificate> certificates = QSslCertificate::fromData(data, QSsl::Pem);
    if (certificates.isEmpty())
        certificates = QSslCertificate::fromData(data, QSsl::Der);
    if (certificates.isEmpty()) {
        *error = QStringLiteral("CA file %1 holds no PEM or DER certificate").arg(path);
        return false;
    }
    m_caCertificates = certificates;
    return true;
}

bool TlsTrust::setPinnedSha256(const QString &hex, QString *error)
{
    QString digits = hex.trimmed();
    digits.remove(QLatin1Char(':'));
    static const QRegularExpression hexOnly(QStringLiteral("^[0-9A-Fa-f]{64}\\z"));
    if (!hexOnly.match(digits).hasMatch()) {
        *error = QStringLiteral("the SHA-256 pin must be 64 hexadecimal digits (colons allowed), got \"%1\"")
                     .arg(hex.left(100));
        return false;
    }
    m_pin = QByteArray::fromHex(digits.toLatin1());
    return true;
}

QSslConfiguration TlsTrust::configuration() const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    if (hasPin())
        configuration.setCaCertificates({});
    else if (hasCa())
        configuration.setCaCertificates(m_caCertificates);
    return configuration;
}

bool TlsTrust::evaluate(const QList<QSslCertificate> &chain, const QString &hostName, QString *why) const
{
    if (!hasPin()) {
        // Without a pin Qt's own verification is the whole decision; its errors stand.
        *why = QStringLiteral("certificate not trusted (give --cacert or --pin-sha256)");
        return false;
    }
    if (chain.isEmpty()) {
        *why = QStringLiteral("the server sent no certificate");
        return false;
    }
    const QByteArray actual = fingerprint(chain.first());
    if (actual != m_pin) {
        *why = QStringLiteral("server certificate SHA-256 %1 does not match the pinned %2")
                   .arg(formatFingerprint(actual), formatFingerprint(m_pin));
        return false;
    }
    if (hasCa())
        return verifyAgainst(chain, m_caCertificates, hostName, why);
    return true;
}

QByteArray TlsTrust::fingerprint(const QSslCertificate &certificate)
{
    return certificate.digest(QCryptographicHash::Sha256);
}

QString TlsTrust::formatFingerprint(const QByteArray &digest)
{
    return QString::fromLatin1(digest.toHex(':').toUpper());
}

} // namespace herald
