#pragma once

#include <QByteArray>
#include <QDateTime>

#include <functional>
#include <optional>

#include "push/Provider.h"

namespace herald {

// When to try a push again. Pure: the outbox asks it after every RetryLater result and stores
// the answer; nothing here sleeps or keeps state between calls.
class RetryPolicy
{
public:
    struct Options
    {
        int baseDelaySecs = 5;                 // first retry after ~5 s
        int maxDelaySecs = 3600;               // back-off ceiling
        int maxAttempts = 12;                  // attempts in total, including the first
        double jitter = 0.2;                   // ±20 %, so a burst of failures does not retry in lockstep
        int defaultExpirySecs = 7 * 24 * 3600; // when a notification has no expiry of its own
    };

    RetryPolicy();
    explicit RetryPolicy(const Options &options, std::function<double()> random = {});

    // attemptsSoFar counts attempts already made (1 after the first failure). nullopt: give up
    // (not retryable, attempts exhausted, or the next slot would be past expiresAt).
    std::optional<QDateTime> nextAttempt(int attemptsSoFar, const PushResult &result, const QDateTime &now,
                                         const QDateTime &expiresAt) const;

    static bool isRetryable(PushResult::Outcome outcome);
    // Retry-After as delta-seconds or HTTP-date; -1 when absent or unparsable.
    static int parseRetryAfter(const QByteArray &value, const QDateTime &now);
    // The same, reading the clock only when there is a value (nearly every answer has none).
    static int parseRetryAfter(const QByteArray &value);

    const Options &options() const { return m_options; }

private:
    Options m_options;
    std::function<double()> m_random; // uniform in [0, 1)
};

} // namespace herald
