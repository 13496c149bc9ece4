// ActivityCounters (the admin stats' recent counts) and ProviderHealth (ok / alarm per push
// provider), driven with a clock and a provider the test controls.
#include "admin/ActivityCounters.h"
#include "admin/ProviderHealth.h"
#include "push/Provider.h"

#include <QSignalSpy>
#include <QtTest>

using namespace herald;

namespace {

// A provider whose verdicts the test decides: only what ProviderHealth listens to.
class ScriptedProvider : public Provider
{
public:
    using Provider::Provider;
    QString name() const override { return QStringLiteral("push.scripted"); }
    bool canAccept() const override { return true; }
    void send(const PushMessage &) override {}
    void answer(PushResult::Outcome outcome, int status, const QString &reason = {})
    {
        PushResult r;
        r.outcome = outcome;
        r.httpStatus = status;
        r.reason = reason;
        Q_EMIT finished(r);
    }
    void raise(const QString &reason) { Q_EMIT alarm(reason); }
};

} // namespace

class tst_ActivityCounters : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void countsWindowsAndSeries()
    {
        QDateTime now = QDateTime(QDate(2026, 3, 1), QTime(10, 0, 30), Qt::UTC);
        ActivityCounters c([&now] { return now; });
        c.count(ActivityCounters::Events);
        c.count(ActivityCounters::Events);
        c.count(ActivityCounters::InBand);
        QCOMPARE(c.lastMinute().events, 2);
        QCOMPARE(c.lastMinute().inBand, 1);

        now = now.addSecs(45); // 10:01:15: the first counts are 45 s old
        c.count(ActivityCounters::Push);
        c.count(ActivityCounters::Failed);
        QCOMPARE(c.lastMinute().events, 2);
        QCOMPARE(c.lastMinute().push, 1);
        now = now.addSecs(20); // 10:01:35: 65 s after the first counts, out of the last minute
        QCOMPARE(c.lastMinute().events, 0);
        QCOMPARE(c.lastMinute().push, 1);
        QCOMPARE(c.lastHour().events, 2);
        QCOMPARE(c.lastHour().failed, 1);

        auto series = c.series();
        QCOMPARE(int(series.size()), 60);
        QCOMPARE(series.back().start, QDateTime(QDate(2026, 3, 1), QTime(10, 1), Qt::UTC));
        QCOMPARE(series.back().counts.push, 1);
        QCOMPARE(series[58].start, QDateTime(QDate(2026, 3, 1), QTime(10, 0), Qt::UTC));
        QCOMPARE(series[58].counts.events, 2);
        QCOMPARE(series.front().start, QDateTime(QDate(2026, 3, 1), QTime(9, 2), Qt::UTC));

        // An hour on, the old minutes' slots are reused from zero, not added to.
        now = now.addSecs(3600);
        c.count(ActivityCounters::Events);
        QCOMPARE(c.lastHour().events, 1);
        QCOMPARE(c.lastHour().push, 0);
        series = c.series();
        QCOMPARE(series.back().counts.events, 1);
        int sum = 0;
        for (const auto &m : series)
            sum += m.counts.events + m.counts.inBand + m.counts.push + m.counts.failed;
        QCOMPARE(sum, 1);
    }

    void providerAlarmAndRecovery()
    {
        ScriptedProvider provider;
        ProviderHealth health;
        health.watch(&provider);
        QSignalSpy changes(&health, &ProviderHealth::stateChanged);
        QCOMPARE(health.state(QStringLiteral("push.scripted")).alarm, false);

        // Busy answers and refusals about one device are no alarm.
        provider.answer(PushResult::Outcome::RetryLater, 503);
        provider.answer(PushResult::Outcome::TokenDead, 410, QStringLiteral("Unregistered"));
        provider.answer(PushResult::Outcome::Rejected, 400, QStringLiteral("BadTopic"));
        QCOMPARE(changes.size(), 0);

        // Connection failures: an alarm on the third in a row, not before.
        provider.answer(PushResult::Outcome::RetryLater, 0, QStringLiteral("connection refused"));
        provider.answer(PushResult::Outcome::RetryLater, 0, QStringLiteral("connection refused"));
        QCOMPARE(changes.size(), 0);
        provider.answer(PushResult::Outcome::RetryLater, 0, QStringLiteral("connection refused"));
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.at(0).at(1).toString(), QStringLiteral("alarm"));
        QVERIFY(changes.at(0).at(2).toString().contains(QStringLiteral("connection refused")));

        provider.answer(PushResult::Outcome::Delivered, 200);
        QCOMPARE(changes.size(), 2);
        QCOMPARE(changes.at(1).at(1).toString(), QStringLiteral("ok"));
        QVERIFY(health.state(QStringLiteral("push.scripted")).reason.isEmpty());

        // An answer in between resets the run of failures.
        provider.answer(PushResult::Outcome::RetryLater, 0);
        provider.answer(PushResult::Outcome::RetryLater, 0);
        provider.answer(PushResult::Outcome::RetryLater, 429);
        provider.answer(PushResult::Outcome::RetryLater, 0);
        QCOMPARE(changes.size(), 2);

        // The provider's own alarm, and refused credentials.
        provider.raise(QStringLiteral("APNs refused our credentials: InvalidProviderToken"));
        QCOMPARE(changes.size(), 3);
        QCOMPARE(health.states().size(), 1);
        QVERIFY(health.states().first().alarm);
        provider.answer(PushResult::Outcome::Delivered, 200);
        provider.answer(PushResult::Outcome::ProviderAuthFailed, 403, QStringLiteral("InvalidProviderToken"));
        QCOMPARE(changes.size(), 5);
        QVERIFY(health.state(QStringLiteral("push.scripted")).reason.contains(QStringLiteral("InvalidProviderToken")));
    }
};

QTEST_GUILESS_MAIN(tst_ActivityCounters)
#include "tst_activitycounters.moc"
