#pragma once

namespace herald {

// Reconnect delays: exponential from min to max, each drawn uniformly from [d/2, d] ("equal
// jitter") so that thousands of monitors cut off by one server restart do not come back in step.
class ImapBackoff
{
public:
    ImapBackoff(int minMs, int maxMs) : m_minMs(minMs), m_maxMs(maxMs) {}

    int nextDelayMs();
    void reset() { m_failures = 0; }
    int failures() const { return m_failures; }

private:
    int m_minMs;
    int m_maxMs;
    int m_failures = 0;
};

} // namespace herald
