#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QString>

namespace herald {

// Slows down password guessing on the console login: after `maxFailures` failed attempts for the
// same username from the same peer, further attempts are refused for `lockSeconds` without even
// checking the password (which also spares the Argon2id work). Keyed by name *and* peer so that an
// attacker elsewhere cannot lock a real operator out from their own desk.
class LoginThrottle
{
public:
    LoginThrottle(int maxFailures, int lockSeconds);

    // Seconds until attempts are allowed again; 0 when not locked.
    int lockedFor(const QString &username, const QHostAddress &peer);
    void recordFailure(const QString &username, const QHostAddress &peer);
    void recordSuccess(const QString &username, const QHostAddress &peer);

    // Bounds memory under a spray of made-up usernames.
    static constexpr int MaxTrackedKeys = 10000;

private:
    struct Entry
    {
        int failures = 0;
        qint64 lastFailureMs = 0;
        qint64 lockedUntilMs = 0;
    };
    static QString key(const QString &username, const QHostAddress &peer);
    void purge();

    int m_maxFailures;
    qint64 m_lockMs;
    QElapsedTimer m_clock; // monotonic: a wall-clock jump must not lift or extend a lock
    QHash<QString, Entry> m_entries;
};

} // namespace herald
