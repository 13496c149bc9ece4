#pragma once

#include <QString>

namespace herald {

// Argon2id (libargon2) in its self-describing encoded form ($argon2id$v=19$m=...,t=...,p=1$salt$hash),
// so a change of cost parameters only affects new hashes and old ones keep verifying.
class PasswordHasher
{
public:
    PasswordHasher(int memoryKib, int iterations);

    QString hash(const QString &password) const; // empty on failure (logged)
    bool verify(const QString &password, const QString &encoded) const;

    // Passwords longer than this are refused before hashing: bounded work per request.
    static constexpr int MaxPasswordBytes = 1024;

private:
    int m_memoryKib;
    int m_iterations;
};

} // namespace herald
