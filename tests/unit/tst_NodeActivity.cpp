// NodeActivity: the presence and activity counts each node's heartbeat reports, read back and
// summed over the live nodes for GET /admin/v1/stats. A row's text may come from a node of another
// version or from anyone who can write to the database: what fails the checks counts for nothing,
// with one warning per run and minute, and the other nodes still count.
#include "admin/ActivityCounters.h"
#include "admin/NodeActivity.h"
#include "presence/PresenceTracker.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <limits>

using namespace herald;

namespace {

const qint64 Now = QDateTime(QDate(2026, 12, 7), QTime(15, 30, 20), Qt::UTC).toMSecsSinceEpoch();
const qint64 ThisMinute = Now / 60'000 * 60; // s since epoch
qint64 warnClock = Now;

NodeRecord node(const QString &name, const QByteArray &activity, qint64 heartbeatMs = Now - 500)
{
    NodeRecord n;
    n.claimer = QStringLiteral("run-") + name;
    n.node = name;
    n.heartbeatAt = QDateTime::fromMSecsSinceEpoch(heartbeatMs, Qt::UTC);
    n.activity = activity;
    return n;
}

ActivityCounters::Counts counts(int events, int inBand, int push, int failed, int seenInApp)
{
    ActivityCounters::Counts c;
    c.events = events;
    c.inBand = inBand;
    c.push = push;
    c.failed = failed;
    c.seenInApp = seenInApp;
    return c;
}

bool same(const ActivityCounters::Counts &a, const ActivityCounters::Counts &b)
{
    return a.events == b.events && a.inBand == b.inBand && a.push == b.push && a.failed == b.failed &&
           a.seenInApp == b.seenInApp;
}

NodeActivity::Totals sample(int scale)
{
    NodeActivity::Totals t;
    t.devices = {3 * scale, 2 * scale, 1 * scale};
    t.lastMinute = counts(4 * scale, 1, 2, 0, 1);
    t.lastHour = counts(40 * scale, 10, 20, 3, 7);
    t.minutes.insert(ThisMinute, counts(4 * scale, 1, 2, 0, 1));
    t.minutes.insert(ThisMinute - 600, counts(36 * scale, 9, 18, 3, 6));
    return t;
}

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// A valid report to spoil one member of.
QJsonObject validObject()
{
    return QJsonDocument::fromJson(NodeActivity::toJson(sample(1))).object();
}

} // namespace

class tst_NodeActivity : public QObject
{
    Q_OBJECT

    PresenceTracker m_presence;
    ActivityCounters m_counters{[] { return QDateTime::fromMSecsSinceEpoch(Now, Qt::UTC); }};

    std::unique_ptr<NodeActivity> make()
    {
        auto activity = std::make_unique<NodeActivity>(m_presence, m_counters);
        activity->setClock([] { return warnClock; });
        return activity;
    }

private Q_SLOTS:
    void aReportReadsBackAsWritten()
    {
        const NodeActivity::Totals t = sample(1);
        const QByteArray text = NodeActivity::toJson(t);
        QString why;
        const auto back = NodeActivity::fromJson(text, &why);
        QVERIFY2(back, qPrintable(why));
        QCOMPARE(back->devices.foreground, 3);
        QCOMPARE(back->devices.background, 2);
        QCOMPARE(back->devices.closed, 1);
        QCOMPARE(back->devices.online(), 6);
        QVERIFY(same(back->lastMinute, t.lastMinute));
        QVERIFY(same(back->lastHour, t.lastHour));
        QCOMPARE(back->minutes.keys(), t.minutes.keys());
        QVERIFY(same(back->minutes.value(ThisMinute - 600), t.minutes.value(ThisMinute - 600)));
        // Members a later version adds are not a reason to drop the report.
        QJsonObject more = QJsonDocument::fromJson(text).object();
        more.insert(QStringLiteral("later"), QJsonArray{1, 2});
        QVERIFY(NodeActivity::fromJson(json(more)));
    }

    void thisNodesReportKeepsOnlyBusyMinutes()
    {
        for (int i = 0; i < 5; ++i)
            m_counters.count(ActivityCounters::Events);
        m_counters.count(ActivityCounters::Push);
        auto activity = make();
        const NodeActivity::Totals live = activity->live();
        QCOMPARE(live.devices.online(), 0);
        QCOMPARE(live.lastMinute.events, 5);
        QCOMPARE(live.lastHour.push, 1);
        QCOMPARE(live.minutes.size(), 1); // 59 empty minutes are not written
        const QByteArray report = activity->report();
        QVERIFY2(report.size() < 200, report.constData());
        const auto back = NodeActivity::fromJson(report);
        QVERIFY(back);
        QCOMPARE(back->lastMinute.events, 5);
        QCOMPARE(back->minutes.value(ThisMinute).events, 5);

        // The largest report this version writes (every minute busy) is well inside the bound.
        NodeActivity::Totals full;
        full.devices = {NodeActivity::MaxCount, NodeActivity::MaxCount, NodeActivity::MaxCount};
        const auto big = counts(NodeActivity::MaxCount, NodeActivity::MaxCount, NodeActivity::MaxCount,
                                NodeActivity::MaxCount, NodeActivity::MaxCount);
        full.lastMinute = full.lastHour = big;
        for (int i = 0; i < ActivityCounters::Minutes; ++i)
            full.minutes.insert(ThisMinute - 60 * i, big);
        const QByteArray fullText = NodeActivity::toJson(full);
        QVERIFY(fullText.size() < NodeActivity::MaxReportBytes / 2);
        QVERIFY(NodeActivity::fromJson(fullText));
    }

    void theClusterIsThisNodeLivePlusTheOtherLiveNodes()
    {
        auto activity = make();
        const NodeActivity::Totals self = sample(1);
        NodeActivity::Totals two = sample(10);
        two.minutes.insert(ThisMinute - 61 * 60, counts(1000, 0, 0, 0, 0)); // outside this node's window
        const QList<NodeRecord> rows{
            node(QStringLiteral("self"),
                 NodeActivity::toJson(sample(100))), // this run's row: counted live instead
            node(QStringLiteral("two"), NodeActivity::toJson(two)),
            node(QStringLiteral("three"), NodeActivity::toJson(sample(1000))),
            node(QStringLiteral("gone"), NodeActivity::toJson(sample(5000)), Now - 10'000), // stopped
        };
        const auto sum = activity->cluster(self, rows, Now - 3000, QStringLiteral("run-self"));
        QCOMPARE(sum.devices.foreground, 3 * (1 + 10 + 1000));
        QCOMPARE(sum.devices.online(), 6 * (1 + 10 + 1000));
        QCOMPARE(sum.lastMinute.events, 4 * (1 + 10 + 1000));
        QCOMPARE(sum.lastMinute.inBand, 3);
        QCOMPARE(sum.lastHour.events, 40 * (1 + 10 + 1000));
        QCOMPARE(sum.minutes.value(ThisMinute).events, 4 * (1 + 10 + 1000));
        QCOMPARE(sum.minutes.value(ThisMinute - 600).events, 36 * (1 + 10 + 1000));

        // The chart is this node's 60 minutes, summed by minute start; a minute outside is left out.
        const auto series = activity->series(sum);
        QCOMPARE(series.back().start.toSecsSinceEpoch(), ThisMinute);
        QCOMPARE(series.front().start.toSecsSinceEpoch(), ThisMinute - 59 * 60);
        QCOMPARE(series.back().counts.events, 4 * 1011);
        QCOMPARE(series[ActivityCounters::Minutes - 11].counts.events, 36 * 1011);
        int events = 0;
        for (const auto &m : series)
            events += m.counts.events;
        QCOMPARE(events, 40 * 1011);
    }

    void sumsSaturateInsteadOfWrapping()
    {
        auto activity = make();
        NodeActivity::Totals huge;
        huge.devices = {NodeActivity::MaxCount, 0, 0};
        huge.lastHour.events = NodeActivity::MaxCount;
        QList<NodeRecord> rows;
        for (int i = 0; i < 5; ++i)
            rows.append(node(QStringLiteral("n%1").arg(i), NodeActivity::toJson(huge)));
        const auto sum =
            activity->cluster(NodeActivity::Totals{}, rows, Now - 3000, QStringLiteral("run-self"));
        QCOMPARE(sum.devices.foreground, std::numeric_limits<int>::max());
        QCOMPARE(sum.lastHour.events, std::numeric_limits<int>::max());
        QVERIFY(sum.devices.online() > 0);
    }

    void hostileReportsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("text");
        auto spoil = [](const QString &key, const QJsonValue &value) {
            QJsonObject o = validObject();
            o.insert(key, value);
            return json(o);
        };
        QTest::newRow("empty (a version before 18)") << QByteArray();
        QTest::newRow("garbage") << QByteArray("\x01\xff not json {{{");
        QTest::newRow("nul bytes") << QByteArray("{\"v\":1\0}", 8);
        QTest::newRow("array") << QByteArray("[1,2,3]");
        QTest::newRow("empty object") << QByteArray("{}");
        QTest::newRow("number") << QByteArray("42");
        QTest::newRow("version 2") << spoil(QStringLiteral("v"), 2);
        QTest::newRow("version as text") << spoil(QStringLiteral("v"), QStringLiteral("1"));
        QTest::newRow("devices missing") << [] {
            QJsonObject o = validObject();
            o.remove(QStringLiteral("devices"));
            return json(o);
        }();
        QTest::newRow("devices short") << spoil(QStringLiteral("devices"), QJsonArray{1, 2});
        QTest::newRow("devices long") << spoil(QStringLiteral("devices"), QJsonArray{1, 2, 3, 4});
        QTest::newRow("devices object")
            << spoil(QStringLiteral("devices"), QJsonObject{{QStringLiteral("0"), 1}});
        QTest::newRow("negative") << spoil(QStringLiteral("devices"), QJsonArray{-1, 0, 0});
        QTest::newRow("fraction") << spoil(QStringLiteral("devices"), QJsonArray{0.5, 0, 0});
        QTest::newRow("huge") << spoil(QStringLiteral("minute"), QJsonArray{1e300, 1, 1, 1, 1});
        QTest::newRow("past the bound")
            << spoil(QStringLiteral("hour"), QJsonArray{double(NodeActivity::MaxCount) + 1, 1, 1, 1, 1});
        QTest::newRow("number as text")
            << spoil(QStringLiteral("hour"), QJsonArray{QStringLiteral("7"), 1, 1, 1, 1});
        QTest::newRow("null count") << spoil(QStringLiteral("minute"),
                                             QJsonArray{QJsonValue::Null, 1, 1, 1, 1});
        QTest::newRow("minute short") << spoil(QStringLiteral("minute"), QJsonArray{1, 1, 1, 1});
        QTest::newRow("series object") << spoil(QStringLiteral("series"), QJsonObject{});
        QTest::newRow("series entry not an array") << spoil(QStringLiteral("series"), QJsonArray{5});
        QTest::newRow("series entry short")
            << spoil(QStringLiteral("series"), QJsonArray{QJsonArray{ThisMinute, 1, 1}});
        QTest::newRow("series off the minute")
            << spoil(QStringLiteral("series"), QJsonArray{QJsonArray{ThisMinute + 7, 1, 1, 1, 1, 1}});
        QTest::newRow("series far future")
            << spoil(QStringLiteral("series"), QJsonArray{QJsonArray{6e15, 1, 1, 1, 1, 1}});
        QTest::newRow("series minute twice")
            << spoil(QStringLiteral("series"), QJsonArray{QJsonArray{ThisMinute, 1, 1, 1, 1, 1},
                                                          QJsonArray{ThisMinute, 1, 1, 1, 1, 1}});
        QJsonArray tooMany;
        for (int i = 0; i <= ActivityCounters::Minutes; ++i)
            tooMany.append(QJsonArray{ThisMinute - 60 * i, 1, 1, 1, 1, 1});
        QTest::newRow("series too long") << spoil(QStringLiteral("series"), tooMany);
        QTest::newRow("oversized") << NodeActivity::toJson(sample(1)).append(
            QByteArray(NodeActivity::MaxReportBytes, ' '));
        QTest::newRow("deeply nested") << QByteArray(10'000, '[');
    }

    void hostileReportsAreRefused()
    {
        QFETCH(QByteArray, text);
        QString why;
        QVERIFY(!NodeActivity::fromJson(text, &why));
        QVERIFY(!why.isEmpty());

        // In the sum the row counts for nothing, with a warning; a good node beside it still counts.
        auto activity = make();
        const QList<NodeRecord> rows{node(QStringLiteral("bad"), text),
                                     node(QStringLiteral("good"), NodeActivity::toJson(sample(1)))};
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("leave out node \"bad\"")));
        const auto sum = activity->cluster(sample(1), rows, Now - 3000, QStringLiteral("run-self"));
        QCOMPARE(sum.devices.online(), 12);
        QCOMPARE(sum.lastMinute.events, 8);
        QCOMPARE(sum.minutes.value(ThisMinute).events, 8);
    }

    void aBadRowIsWarnedAboutOnceAMinute()
    {
        auto activity = make();
        const QList<NodeRecord> rows{node(QStringLiteral("bad"), QByteArray("nonsense"))};
        warnClock = Now;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("leave out node \"bad\"")));
        activity->cluster({}, rows, Now - 3000, QStringLiteral("run-self"));
        QTest::failOnWarning(QRegularExpression(QStringLiteral("leave out node")));
        warnClock = Now + 59'000;
        activity->cluster({}, rows, Now - 3000, QStringLiteral("run-self")); // a console polls: no flood
        warnClock = Now + 60'000;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("leave out node \"bad\"")));
        activity->cluster({}, rows, Now - 3000, QStringLiteral("run-self"));
        warnClock = Now;
    }
};

QTEST_GUILESS_MAIN(tst_NodeActivity)
#include "tst_NodeActivity.moc"
