#include "ServerTrust.h"

#include <QCryptographicHash>

namespace herald {

QSslConfiguration ServerTrust::configuration() const
{
    // The defaults carry the system CA store; a pinned self-signed certificate is accepted in the
    // sslErrors handler through judge(), never by adding it as a CA.
    return QSslConfiguration::defaultConfiguration();
}

ServerTrust::Verdict ServerTrust::judge(const QSslCertificate &leaf) const
{
    if (m_pin.isEmpty())
        return Verdict::Unknown;
    if (!leaf.isNull() && fingerprint(leaf) == m_pin)
        return Verdict::Accept;
    return Verdict::Changed;
}

bool ServerTrust::contradictsPin(const QSslCertificate &leaf) const
{
    return !m_pin.isEmpty() && (leaf.isNull() || fingerprint(leaf) != m_pin);
}

QByteArray ServerTrust::fingerprint(const QSslCertificate &certificate)
{
    return certificate.digest(QCryptographicHash::Sha256);
}

QString ServerTrust::formatFingerprint(const QByteArray &digest)
{
    return QString::fromLatin1(digest.toHex(':').toUpper());
}

} // namespace herald
