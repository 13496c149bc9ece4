#pragma once

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>
#include <QString>

namespace herald {

// What the terminal trusts about the server's certificate:
//  - nothing configured: the system's CA store, as any HTTPS client;
//  - a CA file: only the certificates in it (like curl --cacert), with host name checking;
//  - a SHA-256 pin: the server's own certificate must have exactly that fingerprint, which is how
//    a first-run server with a self-signed certificate (it logs the fingerprint) is trusted;
//  - both: the chain must verify against the CA file and the leaf must match the pin.
// With a pin, Qt is given an empty CA list so that every handshake raises sslErrors; that is the
// one place where the peer's chain is visible before any request byte (and the bearer token) is
// written, so the decision is made there by evaluate().
class TlsTrust
{
public:
    bool loadCaFile(const QString &path, QString *error);
    void setCaCertificates(const QList<QSslCertificate> &certificates) { m_caCertificates = certificates; }
    QList<QSslCertificate> caCertificates() const { return m_caCertificates; }

    // 64 hex digits, with or without ':' separators, any case.
    bool setPinnedSha256(const QString &hex, QString *error);
    QByteArray pinnedSha256() const { return m_pin; }

    bool hasCa() const { return !m_caCertificates.isEmpty(); }
    bool hasPin() const { return !m_pin.isEmpty(); }

    QSslConfiguration configuration() const;

    // Called from an sslErrors handler: true when the connection may proceed despite Qt's errors
    // (which, with a pin, are expected). `chain` is the peer's chain, leaf first.
    bool evaluate(const QList<QSslCertificate> &chain, const QString &hostName, QString *why) const;

    static QByteArray fingerprint(const QSslCertificate &certificate);
    static QString formatFingerprint(const QByteArray &digest);

private:
    QList<QSslCertificate> m_caCertificates;
    QByteArray m_pin;
};

} // namespace herald
