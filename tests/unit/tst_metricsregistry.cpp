// The metrics module's families and their text exposition, read back by an independent strict
// parser (tests/support/PromText) and by `promtool check metrics`: counters, gauges with
// collectors, histograms with cumulative buckets, hostile label values, and values that must
// never appear (a counter going down, NaN observations).
#include "PromText.h"
#include "metrics/MetricsRegistry.h"

#include <QtTest>

#include <cmath>
#include <thread>

using namespace herald::metrics;
using herald::test::PromText;

class tst_MetricsRegistry : public QObject
{
    Q_OBJECT

private:
    static void checkWithPromtool(const QByteArray &text)
    {
        bool skipped = false;
        const QString complaint = PromText::promtoolCheck(text, &skipped);
        if (skipped)
            qWarning("promtool not installed (Debian package prometheus): only the built-in parser checked");
        QVERIFY2(complaint.isEmpty(), qPrintable(complaint + QStringLiteral("\n") + QString::fromUtf8(text)));
    }

private Q_SLOTS:
    void emptyFamiliesShowZeros()
    {
        MetricsRegistry r;
        r.counter("x_events_total", "Events.");
        r.gauge("x_depth", "Depth.");
        r.histogram("x_latency_seconds", "Latency.", {0.1, 1});
        r.counter("x_by_kind_total", "By kind.", {"kind"}); // labelled: no series until one is used
        PromText p;
        QVERIFY2(p.parse(r.exposition()), qPrintable(p.error()));
        QCOMPARE(p.type(QStringLiteral("x_events_total")), QStringLiteral("counter"));
        QCOMPARE(p.type(QStringLiteral("x_depth")), QStringLiteral("gauge"));
        QCOMPARE(p.type(QStringLiteral("x_latency_seconds")), QStringLiteral("histogram"));
        QCOMPARE(p.value(QStringLiteral("x_events_total")), 0.0);
        QCOMPARE(p.value(QStringLiteral("x_depth")), 0.0);
        QCOMPARE(p.value(QStringLiteral("x_latency_seconds_bucket"), {{QStringLiteral("le"), QStringLiteral("+Inf")}}), 0.0);
        QCOMPARE(p.value(QStringLiteral("x_latency_seconds_count")), 0.0);
        QCOMPARE(p.sum(QStringLiteral("x_by_kind_total")), 0.0);
        checkWithPromtool(r.exposition());
    }

    void countersOnlyGoUp()
    {
        MetricsRegistry r;
        Counter *c = r.counter("x_requests_total", "Requests.", {"route", "status"});
        c->inc({QStringLiteral("/a"), QStringLiteral("200")});
        c->inc({QStringLiteral("/a"), QStringLiteral("200")}, 2.5);
        c->inc({QStringLiteral("/a"), QStringLiteral("200")}, -10);  // ignored
        c->inc({QStringLiteral("/a"), QStringLiteral("200")}, NAN);  // ignored
        c->inc({QStringLiteral("/b")});                               // missing label value: empty
        c->inc({QStringLiteral("/c"), QStringLiteral("500"), QStringLiteral("extra")}); // extra value: cut
        PromText p;
        QVERIFY2(p.parse(r.exposition()), qPrintable(p.error()));
        QCOMPARE(p.value(QStringLiteral("x_requests_total"), {{QStringLiteral("route"), QStringLiteral("/a")}}), 3.5);
        QCOMPARE(p.value(QStringLiteral("x_requests_total"), {{QStringLiteral("route"), QStringLiteral("/b")},
                                                              {QStringLiteral("status"), QString()}}), 1.0);
        QCOMPARE(p.value(QStringLiteral("x_requests_total"), {{QStringLiteral("status"), QStringLiteral("500")}}), 1.0);
        for (const auto &s : p.samples())
            QCOMPARE(s.labels.keys(), (QStringList{QStringLiteral("route"), QStringLiteral("status")}));
        checkWithPromtool(r.exposition());
    }

    void hostileLabelValuesAreEscaped_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("quote") << QStringLiteral("a\"b");
        QTest::newRow("backslash") << QStringLiteral("C:\\path\\");
        QTest::newRow("newline") << QStringLiteral("line1\nline2");
        QTest::newRow("fake sample") << QStringLiteral("x\"} 999\nevil_total 1\n#");
        QTest::newRow("unicode") << QStringLiteral("Grüße ✉ 日本");
        QTest::newRow("braces and commas") << QStringLiteral("{a=\"1\",b}");
        QTest::newRow("long") << QString(5000, QLatin1Char('x'));
        QTest::newRow("empty") << QString();
    }

    void hostileLabelValuesAreEscaped()
    {
        QFETCH(QString, value);
        MetricsRegistry r;
        Counter *c = r.counter("x_reasons_total", "Reasons, with \"quotes\" and a \\ in the help\nand a newline.", {"reason"});
        c->inc({value});
        const QByteArray text = r.exposition();
        PromText p;
        QVERIFY2(p.parse(text), qPrintable(p.error() + QStringLiteral("\n") + QString::fromUtf8(text)));
        QCOMPARE(p.samples().size(), 1);
        QCOMPARE(p.samples().first().labels.value(QStringLiteral("reason")), value);
        QVERIFY(std::isnan(p.value(QStringLiteral("evil_total"))));
        checkWithPromtool(text);
    }

    void histogramBucketsAreCumulative()
    {
        MetricsRegistry r;
        Histogram *h = r.histogram("x_wait_seconds", "Wait.", {1, 0.1, 0.5, 0.1}, {"channel"}); // unsorted, repeated
        for (double v : {0.05, 0.1, 0.3, 0.7, 2.0, 100.0})
            h->observe({QStringLiteral("push")}, v);
        h->observe({QStringLiteral("push")}, NAN); // not an observation
        h->observe({QStringLiteral("inband")}, 0.01);
        PromText p;
        QVERIFY2(p.parse(r.exposition()), qPrintable(p.error()));
        const auto bucket = [&](const char *channel, const char *le) {
            return p.value(QStringLiteral("x_wait_seconds_bucket"),
                           {{QStringLiteral("channel"), QString::fromLatin1(channel)}, {QStringLiteral("le"), QString::fromLatin1(le)}});
        };
        QCOMPARE(bucket("push", "0.1"), 2.0); // 0.05 and 0.1 itself (le is "less or equal")
        QCOMPARE(bucket("push", "0.5"), 3.0);
        QCOMPARE(bucket("push", "1"), 4.0);
        QCOMPARE(bucket("push", "+Inf"), 6.0);
        QCOMPARE(bucket("inband", "0.1"), 1.0);
        QCOMPARE(p.value(QStringLiteral("x_wait_seconds_count"), {{QStringLiteral("channel"), QStringLiteral("push")}}), 6.0);
        QCOMPARE(p.value(QStringLiteral("x_wait_seconds_sum"), {{QStringLiteral("channel"), QStringLiteral("push")}}), 103.15);
        QCOMPARE(h->count({QStringLiteral("push")}), quint64(6));
        checkWithPromtool(r.exposition());
    }

    void gaugesFromCollectors()
    {
        MetricsRegistry r;
        Gauge *g = r.gauge("x_sessions", "Sessions by presence.", {"presence"});
        int calls = 0;
        g->setCollector([&calls] {
            ++calls;
            return QMap<QStringList, double>{{{QStringLiteral("foreground")}, 3}, {{QStringLiteral("closed")}, 0}};
        });
        Gauge *unknown = r.gauge("x_unknown", "Not known right now.");
        unknown->setCollector([] { return QMap<QStringList, double>{{{}, NAN}}; });
        Gauge *set = r.gauge("x_temperature", "Set directly.");
        set->set({}, -2.25);
        PromText p;
        QVERIFY2(p.parse(r.exposition()), qPrintable(p.error()));
        QCOMPARE(calls, 1); // read at scrape time, not before
        QCOMPARE(p.value(QStringLiteral("x_sessions"), {{QStringLiteral("presence"), QStringLiteral("foreground")}}), 3.0);
        QCOMPARE(p.value(QStringLiteral("x_sessions"), {{QStringLiteral("presence"), QStringLiteral("closed")}}), 0.0);
        QVERIFY(std::isnan(p.samples().at(2).value));
        QCOMPARE(p.value(QStringLiteral("x_temperature")), -2.25);
        checkWithPromtool(r.exposition());
    }

    void valuesKeepTheirPrecision()
    {
        QCOMPARE(Metric::formatValue(0.005), QByteArray("0.005"));
        QCOMPARE(Metric::formatValue(3), QByteArray("3"));
        QCOMPARE(Metric::formatValue(1e300), QByteArray("1e+300"));
        QCOMPARE(Metric::formatValue(INFINITY), QByteArray("+Inf"));
        QCOMPARE(Metric::formatValue(-INFINITY), QByteArray("-Inf"));
        QCOMPARE(Metric::formatValue(NAN), QByteArray("NaN"));
        QCOMPARE(Metric::formatValue(9007199254740993.0), QByteArray("9007199254740992")); // past 2^53 it is what the double holds
    }

    void namesAreChecked()
    {
        QVERIFY(MetricsRegistry::isValidName("herald_http_requests_total"));
        QVERIFY(MetricsRegistry::isValidName("a:b_c"));
        QVERIFY(!MetricsRegistry::isValidName("1abc"));
        QVERIFY(!MetricsRegistry::isValidName("a-b"));
        QVERIFY(!MetricsRegistry::isValidName(""));
        QVERIFY(!MetricsRegistry::isValidName("ä"));
        QVERIFY(MetricsRegistry::isValidLabelName("route"));
        QVERIFY(!MetricsRegistry::isValidLabelName("le"));
        QVERIFY(!MetricsRegistry::isValidLabelName("__name__"));
        QVERIFY(!MetricsRegistry::isValidLabelName("a:b"));
    }

    void observationsFromAnotherThread()
    {
        // The storage commit histogram is fed from the background writer's thread.
        MetricsRegistry r;
        Histogram *h = r.histogram("x_commit_seconds", "Commits.", {0.001, 0.01});
        Counter *c = r.counter("x_commits_total", "Commits.");
        std::thread writer([h, c] {
            for (int i = 0; i < 20000; ++i) {
                h->observe({}, 0.0005);
                c->inc();
            }
        });
        for (int i = 0; i < 50; ++i) {
            PromText p;
            QVERIFY2(p.parse(r.exposition()), qPrintable(p.error()));
        }
        writer.join();
        QCOMPARE(h->count(), quint64(20000));
        QCOMPARE(c->value(), 20000.0);
    }
};

QTEST_GUILESS_MAIN(tst_MetricsRegistry)
#include "tst_metricsregistry.moc"
