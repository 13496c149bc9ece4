// GET /metrics on a running server: the exposition passes a strict parser and `promtool check
// metrics`, and its numbers move as events flow (in-band and push deliveries, a duplicate,
// sessions and presence, HTTP routes, storage commits). The bearer token, the separate listener
// and bad [metrics] settings are checked with their documented answers.
#include "DeliveryFixture.h"
#include "PromText.h"
#include "SessionChannel.h"
#include "TestPaths.h"

#include <QRegularExpression>
#include <QTcpServer>
#include <QtTest>

#include <cmath>

using namespace herald;
using namespace herald::test;

namespace {

using Labels = QMap<QString, QString>;

PromText scrape(HttpsClient &client, const QString &bearer = {})
{
    const auto reply = client.get(QStringLiteral("/metrics"), bearer);
    PromText p;
    if (reply.status != 200 || !p.parse(reply.body))
        qWarning("scrape failed: %d %s %s", reply.status, qPrintable(p.error()), reply.body.left(300).constData());
    return p;
}

double metric(HttpsClient &client, const QString &name, const Labels &labels = {})
{
    return scrape(client).value(name, labels);
}

ServerProcess::Result runServer(const QStringList &args)
{
    QProcess process;
    process.start(serverBinary(), args);
    process.waitForStarted();
    process.closeWriteChannel();
    ServerProcess::Result r;
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished();
        return r;
    }
    r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    r.err = QString::fromUtf8(process.readAllStandardError());
    return r;
}

} // namespace

class tst_Metrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void countersMoveWhenEventsFlow()
    {
        DeliveryFixture f({}, "[metrics]\nenabled = true\n");
        QVERIFY(f.start());
        HttpsClient &http = f.http();

        const auto first = http.get(QStringLiteral("/metrics"));
        QCOMPARE(first.status, 200);
        QCOMPARE(first.header("Content-Type"), QByteArray("text/plain; version=0.0.4; charset=utf-8"));
        PromText p;
        QVERIFY2(p.parse(first.body), qPrintable(p.error()));
        for (const char *family : {"herald_http_requests_total", "herald_events_total", "herald_delivery_attempts_total",
                                   "herald_deliveries_total", "herald_delivery_latency_seconds", "herald_push_results_total",
                                   "herald_push_request_duration_seconds", "herald_delivery_retries_total",
                                   "herald_push_tokens_retired_total", "herald_sessions", "herald_session_apps",
                                   "herald_monitors", "herald_outbox_depth", "herald_storage_commit_duration_seconds"})
            QVERIFY2(!p.type(QString::fromLatin1(family)).isEmpty(), family);
        QCOMPARE(p.value(QStringLiteral("herald_events_total"), {{QStringLiteral("result"), QStringLiteral("accepted")}}), 0.0);
        QCOMPARE(p.value(QStringLiteral("herald_sessions")), 0.0);
        QCOMPARE(p.value(QStringLiteral("herald_monitors"), {{QStringLiteral("state"), QStringLiteral("watching")}}), 0.0);

        // In-band: a session with the app on screen.
        const QString token = f.registerDevice(QStringLiteral("phone"));
        QVERIFY(f.login(token));
        auto session = f.openSession(token);
        QVERIFY(session);
        QTRY_COMPARE(metric(http, QStringLiteral("herald_sessions")), 1.0);
        QVERIFY(session->setState(QStringLiteral("mail"), protocol::UiState::Foreground));
        QTRY_COMPARE(metric(http, QStringLiteral("herald_session_apps"), {{QStringLiteral("presence"), QStringLiteral("foreground")}}), 1.0);
        QString id;
        QCOMPARE(f.postEvent(QStringLiteral("e-1"), &id), 202);
        QTRY_COMPARE(metric(http, QStringLiteral("herald_deliveries_total"),
                            {{QStringLiteral("channel"), QStringLiteral("inband")}, {QStringLiteral("state"), QStringLiteral("delivered")}}),
                     1.0);
        p = scrape(http);
        QCOMPARE(p.value(QStringLiteral("herald_events_total"), {{QStringLiteral("result"), QStringLiteral("accepted")}}), 1.0);
        QCOMPARE(p.value(QStringLiteral("herald_delivery_latency_seconds_count"), {{QStringLiteral("channel"), QStringLiteral("inband")}}), 1.0);
        QCOMPARE(p.value(QStringLiteral("herald_delivery_attempts_total"),
                         {{QStringLiteral("channel"), QStringLiteral("inband")}, {QStringLiteral("outcome"), QStringLiteral("acked")}}),
                 1.0);

        // Push: the app goes to the background; the recording provider answers.
        QVERIFY(session->setState(QStringLiteral("mail"), protocol::UiState::Background));
        QTRY_COMPARE(metric(http, QStringLiteral("herald_session_apps"), {{QStringLiteral("presence"), QStringLiteral("background")}}), 1.0);
        QCOMPARE(f.postEvent(QStringLiteral("e-2"), &id), 202);
        QTRY_COMPARE(metric(http, QStringLiteral("herald_deliveries_total"),
                            {{QStringLiteral("channel"), QStringLiteral("push")}, {QStringLiteral("state"), QStringLiteral("delivered")}}),
                     1.0);
        p = scrape(http);
        QCOMPARE(p.sum(QStringLiteral("herald_push_results_total"), {{QStringLiteral("outcome"), QStringLiteral("delivered")}}), 1.0);
        QCOMPARE(p.sum(QStringLiteral("herald_push_request_duration_seconds_count")), 1.0);
        QCOMPARE(p.value(QStringLiteral("herald_delivery_latency_seconds_count"), {{QStringLiteral("channel"), QStringLiteral("push")}}), 1.0);

        // The same event again is a duplicate, not a second notification.
        QCOMPARE(f.postEvent(QStringLiteral("e-2")), 200);
        QTRY_COMPARE(metric(http, QStringLiteral("herald_events_total"), {{QStringLiteral("result"), QStringLiteral("deduplicated")}}), 1.0);
        p = scrape(http);
        QCOMPARE(p.value(QStringLiteral("herald_events_total"), {{QStringLiteral("result"), QStringLiteral("accepted")}}), 2.0);
        QCOMPARE(p.sum(QStringLiteral("herald_http_requests_total"),
                       {{QStringLiteral("route"), QStringLiteral("/v1/events")}, {QStringLiteral("method"), QStringLiteral("POST")}}),
                 3.0);
        QVERIFY(p.sum(QStringLiteral("herald_http_requests_total"), {{QStringLiteral("route"), QStringLiteral("/metrics")}}) >= 5);
        QVERIFY(p.value(QStringLiteral("herald_storage_commit_duration_seconds_count")) > 0);
        QTRY_COMPARE(metric(http, QStringLiteral("herald_outbox_depth")), 0.0);

        // Unknown paths are one series, whatever the path: a scanner cannot blow up the label set.
        for (int i = 0; i < 5; ++i)
            QCOMPARE(http.get(QStringLiteral("/probe-%1").arg(i)).status, 404);
        p = scrape(http);
        QCOMPARE(p.value(QStringLiteral("herald_http_requests_total"),
                         {{QStringLiteral("route"), QStringLiteral("unmatched")}, {QStringLiteral("status"), QStringLiteral("404")}}),
                 5.0);
        QCOMPARE(p.sum(QStringLiteral("herald_http_requests_total"), {{QStringLiteral("route"), QStringLiteral("/probe-0")}}), 0.0);

        session.reset();
        QTRY_COMPARE(metric(http, QStringLiteral("herald_sessions")), 0.0);
        QTRY_COMPARE(metric(http, QStringLiteral("herald_session_apps"), {{QStringLiteral("presence"), QStringLiteral("background")}}), 0.0);

        bool skipped = false;
        const auto body = http.get(QStringLiteral("/metrics")).body;
        const QString complaint = PromText::promtoolCheck(body, &skipped);
        if (skipped)
            QSKIP("promtool not installed (Debian package prometheus); the built-in parser passed");
        QVERIFY2(complaint.isEmpty(), qPrintable(complaint + QLatin1Char('\n') + QString::fromUtf8(body)));
    }

    void bearerToken()
    {
        const QByteArray token = "s3cret-metrics-token-0123456789";
        DeliveryFixture f({}, "[metrics]\nenabled = true\ntoken = " + token + "\n");
        QVERIFY(f.start());
        auto reply = f.http().get(QStringLiteral("/metrics"));
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.errorCode(), QStringLiteral("unauthorized"));
        QCOMPARE(reply.header("WWW-Authenticate"), QByteArray("Bearer realm=\"herald-metrics\""));
        for (const QString &wrong : {QStringLiteral("s3cret-metrics-token-012345678X"), QStringLiteral("s3cret"),
                                     QString::fromLatin1(token) + QStringLiteral("0"), QString(5000, QLatin1Char('a')),
                                     QStringLiteral(" s3cret-metrics-token-0123456789x")}) {
            reply = f.http().get(QStringLiteral("/metrics"), wrong);
            QCOMPARE(reply.status, 401);
        }
        // Only the Authorization header counts: a token in the URL would end up in logs.
        QCOMPARE(f.http().get(QStringLiteral("/metrics?access_token=") + QString::fromLatin1(token)).status, 401);
        reply = f.http().get(QStringLiteral("/metrics"), QString::fromLatin1(token));
        QCOMPARE(reply.status, 200);
        PromText p;
        QVERIFY2(p.parse(reply.body), qPrintable(p.error()));
        QCOMPARE(p.value(QStringLiteral("herald_http_requests_total"),
                         {{QStringLiteral("route"), QStringLiteral("/metrics")}, {QStringLiteral("status"), QStringLiteral("401")}}),
                 7.0);
        QCOMPARE(f.http().request("POST", QStringLiteral("/metrics"), "{}", QString::fromLatin1(token)).status, 405);
    }

    void separateListener()
    {
        DeliveryFixture f({}, "[metrics]\nenabled = true\nlisten = 127.0.0.1:0\n");
        QVERIFY(f.start());
        const QRegularExpression re(QStringLiteral("serving /metrics on https://127\\.0\\.0\\.1:(\\d+)"));
        QString port;
        QTRY_VERIFY((port = re.match(f.server().output()).captured(1)).size() > 0);
        QVERIFY(port.toUInt() != f.server().port());
        HttpsClient metricsClient(QStringLiteral("https://127.0.0.1:") + port, f.server().caCertificates());
        const auto reply = metricsClient.get(QStringLiteral("/metrics"));
        QCOMPARE(reply.status, 200);
        PromText p;
        QVERIFY2(p.parse(reply.body), qPrintable(p.error()));
        // Nothing else on that listener, and no /metrics on the main one.
        QCOMPARE(metricsClient.get(QStringLiteral("/healthz")).status, 404);
        QCOMPARE(metricsClient.post(QStringLiteral("/v1/events"), {}).status, 404);
        QCOMPARE(f.http().get(QStringLiteral("/metrics")).status, 404);
        // The main listener's requests are what is counted.
        QCOMPARE(f.http().get(QStringLiteral("/healthz")).status, 200);
        p = scrape(metricsClient);
        QCOMPARE(p.value(QStringLiteral("herald_http_requests_total"),
                         {{QStringLiteral("route"), QStringLiteral("/healthz")}, {QStringLiteral("status"), QStringLiteral("200")}}),
                 1.0);
    }

    void offByDefault()
    {
        DeliveryFixture f;
        QVERIFY(f.start());
        QCOMPARE(f.http().get(QStringLiteral("/metrics")).status, 404);
    }

    void badSettings_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("enabled yes") << QStringList{QStringLiteral("--metrics"), QStringLiteral("yes")} << 2
                                     << "--metrics: 'yes' is not one of: true, false";
        QTest::newRow("short token") << QStringList{QStringLiteral("--metrics-token"), QStringLiteral("short")} << 2
                                     << "--metrics-token: the token must have 16 to 256 characters";
        QTest::newRow("long token") << QStringList{QStringLiteral("--metrics-token"), QString(257, QLatin1Char('t'))} << 2
                                    << "the token must have 16 to 256 characters";
        QTest::newRow("token with space") << QStringList{QStringLiteral("--metrics-token"), QStringLiteral("abcdefgh ijklmnopq")}
                                          << 2 << "printable ASCII characters without spaces";
        QTest::newRow("token non-ascii") << QStringList{QStringLiteral("--metrics-token"), QStringLiteral("abcdefghijklmnopqä")}
                                         << 2 << "printable ASCII characters without spaces";
        QTest::newRow("listen garbage") << QStringList{QStringLiteral("--metrics-listen"), QStringLiteral("nowhere")} << 2
                                        << "--metrics-listen: 'nowhere' is not HOST:PORT";
        QTest::newRow("listen bad port") << QStringList{QStringLiteral("--metrics-listen"), QStringLiteral("127.0.0.1:70000")}
                                         << 2 << "has no valid port";
        QTest::newRow("listen in use") << QStringList{QStringLiteral("--metrics"), QStringLiteral("true"),
                                                      QStringLiteral("--metrics-listen"), QStringLiteral("127.0.0.1:%PORT%")}
                                       << 1 << "cannot listen for /metrics on 127.0.0.1:";
    }

    void badSettings()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QTcpServer occupied;
        QVERIFY(occupied.listen(QHostAddress::LocalHost));
        args.replaceInStrings(QStringLiteral("%PORT%"), QString::number(occupied.serverPort()));
        QTemporaryDir dir;
        const auto r = runServer(ServerProcess::commonArgs(dir.path()) +
                                 QStringList{QStringLiteral("--foreground"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")} + args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(tst_Metrics)
#include "tst_metrics.moc"
