#pragma once

#include "dispatch/NotificationText.h"

#include <QHash>
#include <QSet>
#include <QString>

namespace herald {

struct NotificationRecord;

// Groups the pushes of one account and app that follow each other closely into one notification
// on the phone. The first push of a group goes out as it is; each later one within the window
// (counted from the group's last event) carries the group's count and senders and the group's
// collapse id, so the phone replaces the notification instead of adding one. A group ends after a
// quiet window or when one of its notifications is opened. Kept in memory only: after a restart a
// group starts afresh, which costs at most one extra notification on the phone.
class PushGrouping
{
public:
    explicit PushGrouping(int windowSecs) : m_windowMs(qint64(windowSecs) * 1000) {}

    struct Group
    {
        QString collapseId; // the id the phone knows the group's notification by
        NotificationText::Burst burst;
    };

    // The group a push of `n` joins at `nowMs`. A notification counts once however many devices
    // and retries push it. With a window of 0 every notification is a group of its own.
    Group join(const NotificationRecord &n, qint64 nowMs);
    // The collapse id `n` was last pushed under: its group's while the group lasts, else its own.
    QString collapseIdOf(const NotificationRecord &n) const;
    // `n` was opened: the user has seen its group, so the next event starts a new one.
    void opened(const NotificationRecord &n);
    // Forgets groups quiet for longer than the window (call now and then; join() checks its own).
    void prune(qint64 nowMs);
    int size() const { return int(m_groups.size()); }

    // A group stops growing past this many notifications (memory stays bounded under a flood).
    static constexpr int MaxMembers = 1000;
    static constexpr int MaxSenders = 100;
    static QString ownCollapseId(const NotificationRecord &n);

private:
    struct State
    {
        Group group;
        QSet<QString> members; // notification ids counted
        qint64 lastMs = 0;
    };
    static QString key(const NotificationRecord &n);

    qint64 m_windowMs;
    QHash<QString, State> m_groups; // "<accountId>/<app>" -> its open group
};

} // namespace herald
