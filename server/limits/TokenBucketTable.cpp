#include "limits/TokenBucketTable.h"

#include <QCryptographicHash>
#include <QElapsedTimer>

#include <cmath>
#include <memory>

namespace herald {

TokenBucketTable::TokenBucketTable(const RateLimit &limit, int maxBuckets)
    : m_limit(limit)
    , m_maxBuckets(std::max(1, maxBuckets))
{
    m_clock = [timer = std::make_shared<QElapsedTimer>()] {
        if (!timer->isValid())
            timer->start();
        return timer->elapsed();
    };
    m_clock();
}

QByteArray TokenBucketTable::digest(const QByteArray &key)
{
    // 16 bytes of SHA-256: fixed-size entries, and no key an attacker could aim at another's bucket.
    return QCryptographicHash::hash(key, QCryptographicHash::Sha256).left(16);
}

double TokenBucketTable::tokensNow(const Bucket &bucket, qint64 now) const
{
    return std::min(m_limit.burst, bucket.tokens + double(now - bucket.atMs) / 1000.0 * m_limit.ratePerSec);
}

void TokenBucketTable::expireIdle(qint64 now)
{
    // The least recently used buckets are the likeliest to be full again; two per call keeps the
    // table from holding idle buckets without ever walking all of it.
    for (int i = 0; i < 2 && !m_lru.empty(); ++i) {
        const Bucket &oldest = m_lru.back();
        if (tokensNow(oldest, now) < m_limit.burst)
            break;
        m_index.remove(oldest.key);
        m_lru.pop_back();
    }
}

int TokenBucketTable::take(const QByteArray &rawKey)
{
    if (!m_limit.enabled())
        return 0;
    const qint64 now = m_clock();
    expireIdle(now);
    const QByteArray key = digest(rawKey);
    auto found = m_index.find(key);
    if (found == m_index.end()) {
        if (int(m_index.size()) >= m_maxBuckets) {
            m_index.remove(m_lru.back().key);
            m_lru.pop_back();
            ++m_evictions;
        }
        m_lru.push_front(Bucket{key, m_limit.burst - 1, now});
        m_index.insert(key, m_lru.begin());
        return 0;
    }
    auto it = *found;
    it->tokens = tokensNow(*it, now);
    it->atMs = now;
    m_lru.splice(m_lru.begin(), m_lru, it); // most recently used first; the iterator stays valid
    if (it->tokens >= 1) {
        it->tokens -= 1;
        return 0;
    }
    return std::max(1, int(std::ceil((1 - it->tokens) / m_limit.ratePerSec)));
}

void TokenBucketTable::refund(const QByteArray &rawKey)
{
    if (!m_limit.enabled())
        return;
    const auto found = m_index.find(digest(rawKey));
    if (found != m_index.end())
        (*found)->tokens = std::min(m_limit.burst, (*found)->tokens + 1);
}

} // namespace herald
