#pragma once

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QString>

namespace herald {

// What the console trusts about the server's certificate: the certificates of a CA file (with
// normal chain and host name checks), or the SHA-256 fingerprint of the server's own certificate,
// which is how a first-run server with its self-signed certificate is trusted (it logs the value).
class ServerTrust
{
public:
    enum class Mode { CaFile, Pin };

    // Both return a translated, user-facing reason on failure.
    bool useCaFile(const QString &path, QString *error);
    bool usePin(const QString &hex, QString *error);

    Mode mode() const { return m_mode; }
    QSslConfiguration configuration() const;
    // With a pin, Qt sees no CA and reports errors for every handshake; this decides instead.
    bool acceptsPeer(const QSslCertificate &leaf) const;
    QByteArray pin() const { return m_pin; }

    static QString formatFingerprint(const QByteArray &digest);

private:
    Mode m_mode = Mode::Pin;
    QList<QSslCertificate> m_ca;
    QByteArray m_pin;
};

} // namespace herald
