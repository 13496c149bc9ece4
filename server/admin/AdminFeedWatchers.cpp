#include "admin/AdminFeedWatchers.h"

#include <algorithm>

namespace herald {

AdminFeedWatchers::Heard AdminFeedWatchers::heard(const QString &run, const QString &node, qint64 nowMs)
{
    const bool known = m_runs.contains(run);
    if (!known && m_runs.size() >= MaxRuns)
        return Heard::Refused;
    m_runs.insert(run, Entry{node, nowMs});
    return known ? Heard::Again : Heard::New;
}

QStringList AdminFeedWatchers::prune(qint64 nowMs)
{
    QStringList gone;
    for (auto it = m_runs.begin(); it != m_runs.end();) {
        if (it->lastHeardMs < nowMs - m_timeoutMs) {
            gone.append(it->node);
            it = m_runs.erase(it);
        } else {
            ++it;
        }
    }
    return gone;
}

QStringList AdminFeedWatchers::nodes() const
{
    QStringList out;
    for (const Entry &e : m_runs)
        out.append(e.node);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace herald
