#pragma once

#include <QByteArray>
#include <QString>

namespace herald::standin {

// Throw-away keys and certificates made at test runtime with OpenSSL, so no private key is ever
// committed. Everything is PEM.
class TestPki
{
public:
    static QByteArray ecP256PrivateKey();             // PKCS#8, like an APNs .p8 file
    static QByteArray rsaPrivateKey(int bits = 2048); // PKCS#8, like a service account's key
    static QByteArray publicKeyOf(const QByteArray &privatePem);

    struct Certificate
    {
        QByteArray certPem;
        QByteArray keyPem;
    };
    // Self-signed for CN=commonName with SAN localhost and 127.0.0.1; a client trusts it as its own CA.
    static Certificate selfSigned(const QString &commonName = QStringLiteral("localhost"));
};

} // namespace herald::standin
