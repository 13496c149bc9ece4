#include "ServerTrust.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QRegularExpression>

namespace herald {

bool ServerTrust::useCaFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QCoreApplication::translate("herald::ServerTrust", "Cannot read the CA file %1: %2")
                     .arg(path, file.errorString());
        return false;
    }
    const QByteArray data = file.read(1024 * 1024);
    QList<QSslCertificate> certificates = QSslCertificate::fromData(data, QSsl::Pem);
    if (certificates.isEmpty())
        certificates = QSslCertificate::fromData(data, QSsl::Der);
    if (certificates.isEmpty()) {
        *error = QCoreApplication::translate("herald::ServerTrust", "The CA file %1 holds no certificate.").arg(path);
        return false;
    }
    m_mode = Mode::CaFile;
    m_ca = certificates;
    m_pin.clear();
    return true;
}

bool ServerTrust::usePin(const QString &hex, QString *error)
{
    QString digits = hex.trimmed();
    digits.remove(QLatin1Char(':'));
    static const QRegularExpression hexOnly(QStringLiteral("^[0-9A-Fa-f]{64}\\z"));
    if (!hexOnly.match(digits).hasMatch()) {
        *error = QCoreApplication::translate("herald::ServerTrust",
                                             "The SHA-256 fingerprint must be 64 hexadecimal digits (colons allowed).");
        return false;
    }
    m_mode = Mode::Pin;
    m_pin = QByteArray::fromHex(digits.toLatin1());
    m_ca.clear();
    return true;
}

QSslConfiguration ServerTrust::configuration() const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    // A pin replaces the system store entirely: only that one certificate is good enough.
    configuration.setCaCertificates(m_mode == Mode::Pin ? QList<QSslCertificate>() : m_ca);
    return configuration;
}

bool ServerTrust::acceptsPeer(const QSslCertificate &leaf) const
{
    return m_mode == Mode::Pin && !m_pin.isEmpty() && !leaf.isNull() &&
           leaf.digest(QCryptographicHash::Sha256) == m_pin;
}

QString ServerTrust::formatFingerprint(const QByteArray &digest)
{
    return QString::fromLatin1(digest.toHex(':').toUpper());
}

} // namespace herald
