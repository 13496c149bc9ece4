#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

typedef struct evp_pkey_st EVP_PKEY;

namespace herald {

// An OpenSSL private key loaded from PEM (PKCS#8 or traditional), shared cheaply between copies.
// Push providers keep one for the lifetime of their settings, so it is parsed once at config time.
class PrivateKey
{
public:
    enum class Kind
    {
        None,
        EcP256,
        Rsa,
        Other
    };

    PrivateKey() = default;
    // Returns a null key and sets *error (when given) if the PEM is not a usable private key.
    static PrivateKey fromPem(const QByteArray &pem, QString *error = nullptr);

    bool isNull() const { return !m_key; }
    Kind kind() const { return m_kind; }
    EVP_PKEY *handle() const { return m_key.get(); }

private:
    std::shared_ptr<EVP_PKEY> m_key;
    Kind m_kind = Kind::None;
};

} // namespace herald
