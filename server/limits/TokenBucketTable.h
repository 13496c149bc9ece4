#pragma once

#include "limits/RateLimit.h"

#include <QByteArray>
#include <QHash>

#include <functional>
#include <list>

namespace herald {

// Token buckets by key (a client address, an account, a source token) for one limit. Memory is
// bounded: keys are stored as 16-byte digests whatever their length, a bucket that has filled up
// again is the same as a new one and is dropped (idle buckets expire, oldest first), and at
// `maxBuckets` the least recently used bucket makes room. A client spraying keys therefore costs
// at most maxBuckets entries; the price is that such a spray can reset someone else's bucket,
// which the per-address limits (and the password pool) keep expensive.
class TokenBucketTable
{
public:
    using Clock = std::function<qint64()>; // milliseconds, monotonic

    TokenBucketTable(const RateLimit &limit, int maxBuckets);
    void setClock(Clock clock) { m_clock = std::move(clock); } // for tests

    // Takes one token for `key`; 0 when it had one, else the seconds until it will (>= 1).
    int take(const QByteArray &key);
    // Gives back a token taken by take() (an attempt that turned out not to count).
    void refund(const QByteArray &key);

    const RateLimit &limit() const { return m_limit; }
    int size() const { return int(m_index.size()); }
    int maxBuckets() const { return m_maxBuckets; }
    qint64 evictions() const { return m_evictions; } // live buckets dropped to make room

private:
    struct Bucket
    {
        QByteArray key;
        double tokens;
        qint64 atMs;
    };
    using List = std::list<Bucket>;

    static QByteArray digest(const QByteArray &key);
    double tokensNow(const Bucket &bucket, qint64 now) const;
    void expireIdle(qint64 now);

    RateLimit m_limit;
    int m_maxBuckets;
    Clock m_clock;
    List m_lru; // most recently used first
    QHash<QByteArray, List::iterator> m_index;
    qint64 m_evictions = 0;
};

} // namespace herald
