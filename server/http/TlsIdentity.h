#pragma once

#include <QSslCertificate>
#include <QSslKey>
#include <QString>

namespace herald {

// The server's TLS certificate and key: the configured files, or a self-signed P-256 pair made on
// the first run in <data-dir>/tls/ and reused afterwards, so terminals can pin it.
class TlsIdentity
{
public:
    bool loadFiles(const QString &certFile, const QString &keyFile, QString *error);
    bool loadOrCreateSelfSigned(const QString &dataDir, QString *error);

    const QList<QSslCertificate> &chain() const { return m_chain; }
    const QSslKey &key() const { return m_key; }
    bool generated() const { return m_generated; }
    QString certificatePath() const { return m_certPath; }
    // SHA-256 over the DER certificate, as "AB:CD:..." (what browsers and openssl show).
    QString fingerprint() const;

    // Exposed for tests: writes a fresh self-signed pair; the key file gets mode 0600.
    static bool generateSelfSigned(const QString &certPath, const QString &keyPath, QString *error);

private:
    QList<QSslCertificate> m_chain;
    QSslKey m_key;
    QString m_certPath;
    bool m_generated = false;
};

} // namespace herald
