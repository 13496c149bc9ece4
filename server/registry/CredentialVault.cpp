#include "CredentialVault.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#ifdef Q_OS_WIN
#include <io.h>
#else
#include <unistd.h>
#endif

namespace herald {

namespace {
struct CipherCtx
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    ~CipherCtx() { EVP_CIPHER_CTX_free(ctx); }
};

void setError(QString *error, const QString &what)
{
    if (error)
        *error = what;
}

#ifdef Q_OS_WIN
using FileStat = struct _stat64;
// No symlink or mode-bit games to guard against here: the data folder's ACL protects the key.
bool statKeyFile(const QString &path, FileStat *st)
{
    return ::_wstat64(reinterpret_cast<const wchar_t *>(path.utf16()), st) == 0;
}
#else
using FileStat = struct stat;
// lstat: a symlink is refused below (not a regular file), never followed.
bool statKeyFile(const QString &path, FileStat *st)
{
    return ::lstat(QFile::encodeName(path).constData(), st) == 0;
}
#endif

// O_EXCL + 0600 from the start: the key is never readable by others, not even for an instant.
bool createKeyFile(const QString &path, QString *error)
{
    QByteArray key(CredentialVault::KeyBytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char *>(key.data()), key.size()) != 1) {
        setError(error, QStringLiteral("cannot generate a key: the random generator failed"));
        return false;
    }
#ifdef Q_OS_WIN
    // No mode bits here: the data folder's ACL (%ProgramData%\\Herald, the service's) guards the key.
    const auto *wide = reinterpret_cast<const wchar_t *>(path.utf16());
    const int fd = ::_wopen(wide, _O_WRONLY | _O_CREAT | _O_EXCL | _O_BINARY, _S_IREAD | _S_IWRITE);
    if (fd < 0) {
        setError(error, QStringLiteral("cannot create key file %1: %2").arg(path, QString::fromLocal8Bit(strerror(errno))));
        return false;
    }
    const int written = ::_write(fd, key.constData(), unsigned(key.size()));
    const bool synced = ::_commit(fd) == 0;
    ::_close(fd);
    OPENSSL_cleanse(key.data(), size_t(key.size()));
    if (written != key.size() || !synced) {
        ::_wunlink(wide);
        setError(error, QStringLiteral("cannot write key file %1").arg(path));
        return false;
    }
#else
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        setError(error, QStringLiteral("cannot create key file %1: %2").arg(path, QString::fromLocal8Bit(strerror(errno))));
        return false;
    }
    const ssize_t written = ::write(fd, key.constData(), size_t(key.size()));
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    OPENSSL_cleanse(key.data(), size_t(key.size()));
    if (written != key.size() || !synced) {
        ::unlink(native.constData());
        setError(error, QStringLiteral("cannot write key file %1").arg(path));
        return false;
    }
#endif
    return true;
}
} // namespace

CredentialVault::CredentialVault(const QByteArray &key) : m_key(key) {}

CredentialVault::~CredentialVault()
{
    OPENSSL_cleanse(m_key.data(), size_t(m_key.size()));
}

std::unique_ptr<CredentialVault> CredentialVault::open(const QString &keyFile, QString *error)
{
    FileStat st {};
    if (!statKeyFile(keyFile, &st)) {
        if (errno != ENOENT) {
            setError(error, QStringLiteral("cannot inspect key file %1: %2")
                                .arg(keyFile, QString::fromLocal8Bit(strerror(errno))));
            return nullptr;
        }
        if (!createKeyFile(keyFile, error))
            return nullptr;
        if (!statKeyFile(keyFile, &st)) {
            setError(error, QStringLiteral("key file %1 vanished after creation").arg(keyFile));
            return nullptr;
        }
    }
    if (!S_ISREG(st.st_mode)) {
        setError(error, QStringLiteral("key file %1 is not a regular file").arg(keyFile));
        return nullptr;
    }
#ifndef Q_OS_WIN
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        setError(error, QStringLiteral("key file %1 has mode %2; it must not be accessible by group or others "
                                       "(chmod 600 %1)")
                            .arg(keyFile)
                            .arg(st.st_mode & 07777, 4, 8, QLatin1Char('0')));
        return nullptr;
    }
#endif
    if (st.st_size != KeyBytes) {
        setError(error, QStringLiteral("key file %1 holds %2 bytes; an AES-256 key is exactly %3")
                            .arg(keyFile)
                            .arg(qint64(st.st_size))
                            .arg(KeyBytes));
        return nullptr;
    }
    QFile file(keyFile);
    if (!file.open(QIODevice::ReadOnly)) {
        setError(error, QStringLiteral("cannot read key file %1: %2").arg(keyFile, file.errorString()));
        return nullptr;
    }
    QByteArray key = file.read(KeyBytes + 1);
    if (key.size() != KeyBytes) {
        setError(error, QStringLiteral("key file %1 changed size while being read").arg(keyFile));
        return nullptr;
    }
    return std::unique_ptr<CredentialVault>(new CredentialVault(key));
}

std::unique_ptr<CredentialVault> CredentialVault::fromKey(const QByteArray &key, QString *error)
{
    if (key.size() != KeyBytes) {
        setError(error, QStringLiteral("an AES-256 key is exactly %1 bytes").arg(KeyBytes));
        return nullptr;
    }
    return std::unique_ptr<CredentialVault>(new CredentialVault(key));
}

QByteArray CredentialVault::encrypt(const QByteArray &plaintext, const QByteArray &associatedData,
                                    QString *error) const
{
    QByteArray record(1 + NonceBytes + plaintext.size() + TagBytes, '\0');
    record[0] = Version;
    auto *nonce = reinterpret_cast<unsigned char *>(record.data() + 1);
    auto *out = nonce + NonceBytes;
    if (RAND_bytes(nonce, NonceBytes) != 1) {
        setError(error, QStringLiteral("the random generator failed"));
        return QByteArray();
    }
    CipherCtx c;
    int len = 0;
    int total = 0;
    const auto *key = reinterpret_cast<const unsigned char *>(m_key.constData());
    bool ok = c.ctx && EVP_EncryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1
        && EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_IVLEN, NonceBytes, nullptr) == 1
        && EVP_EncryptInit_ex(c.ctx, nullptr, nullptr, key, nonce) == 1;
    if (ok && !associatedData.isEmpty())
        ok = EVP_EncryptUpdate(c.ctx, nullptr, &len, reinterpret_cast<const unsigned char *>(associatedData.constData()),
                               associatedData.size())
            == 1;
    if (ok && !plaintext.isEmpty()) {
        ok = EVP_EncryptUpdate(c.ctx, out, &len, reinterpret_cast<const unsigned char *>(plaintext.constData()),
                               plaintext.size())
            == 1;
        total = len;
    }
    ok = ok && EVP_EncryptFinal_ex(c.ctx, out + total, &len) == 1;
    total += len;
    ok = ok && total == plaintext.size()
        && EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_GET_TAG, TagBytes, out + total) == 1;
    if (!ok) {
        setError(error, QStringLiteral("AES-256-GCM encryption failed"));
        return QByteArray();
    }
    return record;
}

std::optional<QByteArray> CredentialVault::decrypt(const QByteArray &record, const QByteArray &associatedData,
                                                   QString *error) const
{
    if (record.size() < 1 + NonceBytes + TagBytes) {
        setError(error, QStringLiteral("encrypted record is truncated"));
        return std::nullopt;
    }
    if (record.at(0) != Version) {
        setError(error, QStringLiteral("encrypted record has an unknown format version"));
        return std::nullopt;
    }
    const auto *nonce = reinterpret_cast<const unsigned char *>(record.constData() + 1);
    const auto *cipher = nonce + NonceBytes;
    const int cipherLen = record.size() - 1 - NonceBytes - TagBytes;
    QByteArray tag = record.right(TagBytes);
    QByteArray plain(cipherLen, '\0');
    CipherCtx c;
    int len = 0;
    int total = 0;
    const auto *key = reinterpret_cast<const unsigned char *>(m_key.constData());
    bool ok = c.ctx && EVP_DecryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1
        && EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_IVLEN, NonceBytes, nullptr) == 1
        && EVP_DecryptInit_ex(c.ctx, nullptr, nullptr, key, nonce) == 1;
    if (ok && !associatedData.isEmpty())
        ok = EVP_DecryptUpdate(c.ctx, nullptr, &len, reinterpret_cast<const unsigned char *>(associatedData.constData()),
                               associatedData.size())
            == 1;
    if (ok && cipherLen > 0) {
        ok = EVP_DecryptUpdate(c.ctx, reinterpret_cast<unsigned char *>(plain.data()), &len, cipher, cipherLen) == 1;
        total = len;
    }
    ok = ok && EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_TAG, TagBytes, tag.data()) == 1;
    // The tag check happens in Final: only now do we know the bytes are authentic.
    ok = ok && EVP_DecryptFinal_ex(c.ctx, reinterpret_cast<unsigned char *>(plain.data()) + total, &len) == 1;
    if (!ok) {
        OPENSSL_cleanse(plain.data(), size_t(plain.size()));
        setError(error, QStringLiteral("encrypted record failed authentication (tampered, wrong key or wrong owner)"));
        return std::nullopt;
    }
    return plain;
}

} // namespace herald
