#pragma once

#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>

#include <memory>

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

namespace herald {

// The listener's one OpenSSL context: certificate chain, key, TLS 1.2 or newer, ALPN http/1.1.
// Qt 6.4 builds a fresh SSL_CTX for every accepted QSslSocket (tens of KB and a table walk per
// handshake) and never lets OpenSSL release idle record buffers; every connection made from this
// context shares it and gives its buffers back when idle (SSL_MODE_RELEASE_BUFFERS).
class TlsContext
{
public:
    // Null with *error set when OpenSSL refuses the pair (key not matching the certificate, ...).
    static std::unique_ptr<TlsContext> create(const QList<QSslCertificate> &chain, const QSslKey &key,
                                              QString *error);
    ~TlsContext();
    TlsContext(const TlsContext &) = delete;
    TlsContext &operator=(const TlsContext &) = delete;

    // A server-side SSL for one connection, or null when OpenSSL is out of memory. It holds its own
    // reference to the context: connections outlive a context replaced on certificate renewal.
    SSL *newConnection() const;

private:
    explicit TlsContext(SSL_CTX *ctx) : m_ctx(ctx) {}
    SSL_CTX *m_ctx;
};

} // namespace herald
