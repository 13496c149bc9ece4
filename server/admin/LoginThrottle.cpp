#include "admin/LoginThrottle.h"

namespace herald {
namespace {
// Failures further apart than this are not a guessing run; the count starts again.
constexpr qint64 ForgetAfterMs = 15 * 60 * 1000;
} // namespace

LoginThrottle::LoginThrottle(int maxFailures, int lockSeconds)
    : m_maxFailures(maxFailures)
    , m_lockMs(qint64(lockSeconds) * 1000)
{
    m_clock.start();
}

QString LoginThrottle::key(const QString &username, const QHostAddress &peer)
{
    return username.toCaseFolded() + QLatin1Char('|') + peer.toString();
}

int LoginThrottle::lockedFor(const QString &username, const QHostAddress &peer)
{
    const auto it = m_entries.constFind(key(username, peer));
    if (it == m_entries.constEnd())
        return 0;
    const qint64 left = it->lockedUntilMs - m_clock.elapsed();
    return left > 0 ? int((left + 999) / 1000) : 0;
}

void LoginThrottle::recordFailure(const QString &username, const QHostAddress &peer)
{
    const qint64 now = m_clock.elapsed();
    if (m_entries.size() >= MaxTrackedKeys)
        purge();
    Entry &entry = m_entries[key(username, peer)];
    // A lock that ran out, or an old run of failures, does not count towards the next lock.
    if ((entry.lockedUntilMs != 0 && entry.lockedUntilMs <= now) || now - entry.lastFailureMs > ForgetAfterMs)
        entry = Entry();
    entry.failures += 1;
    entry.lastFailureMs = now;
    if (entry.failures >= m_maxFailures)
        entry.lockedUntilMs = now + m_lockMs;
}

void LoginThrottle::recordSuccess(const QString &username, const QHostAddress &peer)
{
    m_entries.remove(key(username, peer));
}

void LoginThrottle::purge()
{
    const qint64 now = m_clock.elapsed();
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        const bool locked = it->lockedUntilMs > now;
        if (!locked && now - it->lastFailureMs > ForgetAfterMs)
            it = m_entries.erase(it);
        else
            ++it;
    }
    // Still full: a spray within the window. Dropping unlocked entries only weakens counting for
    // names nobody is locked out of yet; existing locks stay.
    if (m_entries.size() >= MaxTrackedKeys) {
        for (auto it = m_entries.begin(); it != m_entries.end();) {
            if (it->lockedUntilMs <= now)
                it = m_entries.erase(it);
            else
                ++it;
        }
    }
}

} // namespace herald
