#include "http/TlsContext.h"

#include "http/OpenSslPtr.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

namespace herald {
namespace {

QString openSslError(const char *what)
{
    QString text = QString::fromLatin1(what);
    if (const unsigned long code = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        text += QStringLiteral(": ") + QString::fromLatin1(buffer);
    }
    ERR_clear_error();
    return text;
}

// HTTP/1.1 is all the listener speaks; a client offering only h2 gets no ALPN answer and falls
// back to HTTP/1.1 or gives up, as it would with any HTTP/1.1 server.
int selectHttp11(SSL *, const unsigned char **out, unsigned char *outlen, const unsigned char *in, unsigned int inlen,
                 void *)
{
    static const unsigned char http11[] = "\x08http/1.1";
    unsigned char *selected = nullptr;
    unsigned char selectedLength = 0;
    if (SSL_select_next_proto(&selected, &selectedLength, http11, sizeof http11 - 1, in, inlen) !=
        OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_NOACK;
    *out = selected;
    *outlen = selectedLength;
    return SSL_TLSEXT_ERR_OK;
}

BioPtr pemBio(const QByteArray &pem)
{
    return BioPtr(BIO_new_mem_buf(pem.constData(), int(pem.size())));
}

bool loadCredentials(SSL_CTX *ctx, const QList<QSslCertificate> &chain, const QSslKey &key, QString *error)
{
    if (chain.isEmpty() || key.isNull()) {
        *error = QStringLiteral("TLS needs a certificate and its private key");
        return false;
    }
    for (qsizetype i = 0; i < chain.size(); ++i) {
        const BioPtr bio = pemBio(chain.at(i).toPem());
        X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
        if (!cert) {
            *error = openSslError("cannot read the TLS certificate");
            return false;
        }
        // The leaf is used as the certificate; the rest are sent along as its chain.
        const bool ok = i == 0 ? SSL_CTX_use_certificate(ctx, cert.get()) == 1
                               : SSL_CTX_add1_chain_cert(ctx, cert.get()) == 1;
        if (!ok) {
            *error = openSslError("OpenSSL refused the TLS certificate");
            return false;
        }
    }
    const BioPtr keyBio = pemBio(key.toPem());
    PKeyPtr privateKey(keyBio ? PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!privateKey) {
        *error = openSslError("cannot read the TLS private key");
        return false;
    }
    if (X509_check_private_key(SSL_CTX_get0_certificate(ctx), privateKey.get()) != 1) {
        *error = openSslError("the TLS private key does not match the certificate");
        return false;
    }
    if (SSL_CTX_use_PrivateKey(ctx, privateKey.get()) != 1) {
        *error = openSslError("OpenSSL refused the TLS private key");
        return false;
    }
    return true;
}

} // namespace

std::unique_ptr<TlsContext> TlsContext::create(const QList<QSslCertificate> &chain, const QSslKey &key,
                                               QString *error)
{
    ERR_clear_error();
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) {
        *error = openSslError("cannot create a TLS context");
        return nullptr;
    }
    std::unique_ptr<TlsContext> context(new TlsContext(ctx));
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    // Client-initiated renegotiation is a cheap way to make a server do handshakes over and over.
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
    // RELEASE_BUFFERS: an idle connection keeps no 16 KB record buffers (most sessions are idle).
    // The other two let a write resume from wherever the caller's buffer has moved to.
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                              SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr); // clients authenticate with tokens, not certificates
    SSL_CTX_set_alpn_select_cb(ctx, selectHttp11, nullptr);
    // Resumption spares a reconnecting phone the full handshake. TLS 1.3 tickets are stateless;
    // the TLS 1.2 cache is bounded so that a crowd of one-shot clients cannot grow it without end.
    static const unsigned char sessionContext[] = "herald";
    SSL_CTX_set_session_id_context(ctx, sessionContext, sizeof sessionContext - 1);
    SSL_CTX_sess_set_cache_size(ctx, 4096);
    SSL_CTX_set_num_tickets(ctx, 1);
    if (!loadCredentials(ctx, chain, key, error))
        return nullptr;
    return context;
}

TlsContext::~TlsContext()
{
    SSL_CTX_free(m_ctx); // connections made from it hold their own references
}

SSL *TlsContext::newConnection() const
{
    SSL *ssl = SSL_new(m_ctx);
    if (ssl)
        SSL_set_accept_state(ssl);
    return ssl;
}

} // namespace herald
