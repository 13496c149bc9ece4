#pragma once

#include <QByteArray>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QString>

namespace herald {

// What the console trusts about one server's certificate, the way SSH treats host keys: a
// certificate the system's CA store vouches for is good on its own; a self-signed one is good only
// when its SHA-256 fingerprint is the one the operator accepted before (trust on first use). A
// remembered fingerprint is binding: a different certificate is refused even if some CA signed it.
class ServerTrust
{
public:
    enum class Verdict
    {
        Accept,  // the remembered fingerprint
        Unknown, // nothing remembered: the operator must be asked
        Changed  // a fingerprint is remembered and this is not it
    };

    void setPin(const QByteArray &sha256) { m_pin = sha256; }
    QByteArray pin() const { return m_pin; }

    // The system's CA store and Qt's normal chain and host name checks.
    QSslConfiguration configuration() const;
    // Decides about a certificate Qt's own checks refused (or, with a pin, any certificate).
    Verdict judge(const QSslCertificate &leaf) const;
    // True when a certificate that passed Qt's checks must still be refused (it is not the pin).
    bool contradictsPin(const QSslCertificate &leaf) const;

    static QByteArray fingerprint(const QSslCertificate &certificate);
    static QString formatFingerprint(const QByteArray &digest);

private:
    QByteArray m_pin;
};

} // namespace herald
