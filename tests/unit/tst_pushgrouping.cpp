// PushGrouping: which pushes become one notification on the phone, with what count and names.
#include "dispatch/PushGrouping.h"
#include "storage/Records.h"

#include <QTest>

using namespace herald;

namespace {

NotificationRecord note(const QString &id, const QString &sender, const QString &app = QStringLiteral("mail"),
                        qint64 account = 1)
{
    NotificationRecord n;
    n.id = id;
    n.accountId = account;
    n.app = app;
    n.sender = sender;
    return n;
}

} // namespace

class tst_PushGrouping : public QObject
{
    Q_OBJECT
private slots:
    void burstBecomesOneGroup()
    {
        PushGrouping g(60);
        const QStringList senders{"Alice", "Bob", "Alice", "Carol", "Dan"};
        PushGrouping::Group last;
        for (int i = 0; i < senders.size(); ++i)
            last = g.join(note(QStringLiteral("n%1").arg(i), senders[i]), 1000 + i * 1000);
        QCOMPARE(last.collapseId, QStringLiteral("n0")); // the first push's id stays the tray entry
        QCOMPARE(last.burst.count, 5);
        QCOMPARE(last.burst.senders, (QStringList{"Dan", "Carol", "Alice", "Bob"})); // distinct, newest first
        QCOMPARE(g.collapseIdOf(note("n3", "Carol")), QStringLiteral("n0"));
    }

    void eachNotificationCountsOnce()
    {
        // Three devices and a retry push the same notification: still one in the count.
        PushGrouping g(60);
        g.join(note("a", "Alice"), 0);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(g.join(note("b", "Bob"), 10 + i).burst.count, 2);
        QCOMPARE(g.join(note("a", "Alice"), 20).burst.count, 2);
    }

    void quietWindowEndsTheGroup()
    {
        PushGrouping g(60);
        g.join(note("a", "Alice"), 0);
        QCOMPARE(g.join(note("b", "Bob"), 59'000).burst.count, 2);
        // The window counts from the group's last event, not its first.
        QCOMPARE(g.join(note("c", "Carol"), 118'000).burst.count, 3);
        const PushGrouping::Group fresh = g.join(note("d", "Dan"), 178'001);
        QCOMPARE(fresh.burst.count, 1);
        QCOMPARE(fresh.collapseId, QStringLiteral("d"));
        QCOMPARE(g.collapseIdOf(note("a", "Alice")), QStringLiteral("a")); // its group is gone
    }

    void groupsArePerAccountAndApp()
    {
        PushGrouping g(60);
        g.join(note("a", "Alice", "mail", 1), 0);
        QCOMPARE(g.join(note("b", "Bob", "im", 1), 1).burst.count, 1);
        QCOMPARE(g.join(note("c", "Carol", "mail", 2), 2).burst.count, 1);
        QCOMPARE(g.join(note("d", "Dan", "mail", 1), 3).burst.count, 2);
        QCOMPARE(g.size(), 3);
    }

    void openingEndsTheGroup()
    {
        PushGrouping g(60);
        g.join(note("a", "Alice"), 0);
        g.join(note("b", "Bob"), 1);
        g.opened(note("b", "Bob"));
        QCOMPARE(g.join(note("c", "Carol"), 2).burst.count, 1);
    }

    void windowZeroNeverGroups()
    {
        PushGrouping g(0);
        g.join(note("a", "Alice"), 0);
        const PushGrouping::Group b = g.join(note("b", "Bob"), 0);
        QCOMPARE(b.burst.count, 1);
        QCOMPARE(b.collapseId, QStringLiteral("b"));
        QCOMPARE(g.size(), 0);
    }

    void floodStaysBounded()
    {
        // A flood from one sender list: a group stops at MaxMembers and keeps MaxSenders names.
        PushGrouping g(60);
        PushGrouping::Group last;
        for (int i = 0; i < PushGrouping::MaxMembers + 5; ++i)
            last = g.join(note(QStringLiteral("n%1").arg(i), QStringLiteral("sender%1").arg(i)), i);
        QCOMPARE(last.burst.count, 5); // a new group began after MaxMembers
        for (int i = 0; i < 300; ++i)
            last = g.join(note(QStringLiteral("m%1").arg(i), QStringLiteral("s%1").arg(i)), 2000 + i);
        QCOMPARE(last.burst.senders.size(), PushGrouping::MaxSenders);
        QCOMPARE(last.burst.senders.first(), QStringLiteral("s299"));
        g.prune(1'000'000);
        QCOMPARE(g.size(), 0);
    }

    void emptySenderIsNoName()
    {
        PushGrouping g(60);
        g.join(note("a", QString()), 0);
        const PushGrouping::Group b = g.join(note("b", QString()), 1);
        QCOMPARE(b.burst.count, 2);
        QVERIFY(b.burst.senders.isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_PushGrouping)
#include "tst_pushgrouping.moc"
