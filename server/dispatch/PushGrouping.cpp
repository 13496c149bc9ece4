#include "dispatch/PushGrouping.h"

#include "storage/Records.h"

namespace herald {

QString PushGrouping::key(const NotificationRecord &n)
{
    return QString::number(n.accountId) + QLatin1Char('/') + n.app;
}

QString PushGrouping::ownCollapseId(const NotificationRecord &n)
{
    return n.id.left(64); // APNs takes at most 64 bytes; ids are ASCII
}

PushGrouping::Group PushGrouping::join(const NotificationRecord &n, qint64 nowMs)
{
    const Group single{ownCollapseId(n), {1, n.sender.isEmpty() ? QStringList() : QStringList{n.sender}}};
    if (m_windowMs <= 0)
        return single;
    const QString k = key(n);
    auto it = m_groups.find(k);
    if (it != m_groups.end() && it->members.contains(n.id)) {
        it->lastMs = std::max(it->lastMs, nowMs);
        return it->group; // another device, or a retry, of a notification already counted
    }
    const bool open = it != m_groups.end() && nowMs - it->lastMs <= m_windowMs &&
                      it->members.size() < MaxMembers;
    if (!open) {
        State fresh{single, {n.id}, nowMs};
        if (it == m_groups.end())
            it = m_groups.insert(k, fresh);
        else
            *it = fresh;
        return it->group;
    }
    State &s = *it;
    s.members.insert(n.id);
    s.lastMs = nowMs;
    ++s.group.burst.count;
    if (!n.sender.isEmpty()) {
        // Newest first: the names a phone shows are those of the latest mails.
        QStringList &senders = s.group.burst.senders;
        senders.removeOne(n.sender);
        senders.prepend(n.sender);
        if (senders.size() > MaxSenders)
            senders.removeLast();
    }
    return s.group;
}

QString PushGrouping::collapseIdOf(const NotificationRecord &n) const
{
    const auto it = m_groups.constFind(key(n));
    if (it != m_groups.cend() && it->members.contains(n.id))
        return it->group.collapseId;
    return ownCollapseId(n);
}

void PushGrouping::opened(const NotificationRecord &n)
{
    m_groups.remove(key(n));
}

void PushGrouping::prune(qint64 nowMs)
{
    for (auto it = m_groups.begin(); it != m_groups.end();) {
        if (nowMs - it->lastMs > m_windowMs)
            it = m_groups.erase(it);
        else
            ++it;
    }
}

} // namespace herald
