// herald-event-bench: drives herald-server end to end for bench/push/run.sh; never run by ctest.
//   register  creates N iOS devices (one per account PREFIX<i>, a distinct APNs token each) and logs
//             each in to the app, so every event for those accounts must become an APNs push;
//   events    posts COUNT events with unique eventIds over C keep-alive HTTPS connections, D requests
//             pipelined on each, and follows apns-standin's --log until every notification id it was
//             given has been answered 200 by the stand-in. Prints the end-to-end rate (events whose
//             push the stand-in accepted, per second from the first event sent to the last push
//             accepted) and the event-sent → push-received-by-APNs latency percentiles.
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

#include "PipelinedHttpsConnection.h"
#include "StandinLogTail.h"

namespace {

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

qint64 monotonicNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

struct Common
{
    quint16 port = 0;
    QList<QSslCertificate> ca;
    QString prefix;
    int accounts = 0;
    int connections = 8;
    int depth = 16;
    QString app;
};

std::vector<std::unique_ptr<PipelinedHttpsConnection>> openConnections(const Common &c, QObject *receiver)
{
    std::vector<std::unique_ptr<PipelinedHttpsConnection>> out;
    for (int i = 0; i < c.connections; ++i) {
        out.push_back(std::make_unique<PipelinedHttpsConnection>(QStringLiteral("127.0.0.1"), c.port, c.ca, c.depth));
        QObject::connect(out.back().get(), &PipelinedHttpsConnection::failed, receiver,
                         [](const QString &e) { err() << "connection failed: " << e << Qt::endl; });
        out.back()->connectToServer();
    }
    return out;
}

// The id of a 202 answer. The server writes exactly {"id":"<uuid>"}; anything else is read as JSON.
QByteArray notificationId(const QByteArray &body)
{
    static constexpr char prefix[] = "{\"id\":\"";
    constexpr qsizetype n = sizeof(prefix) - 1;
    if (body.startsWith(prefix) && body.endsWith("\"}") && body.indexOf('"', n) == body.size() - 2)
        return body.mid(n, body.size() - n - 2);
    return QJsonDocument::fromJson(body).object().value(QStringLiteral("id")).toString().toLatin1();
}

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// register: one request per account at a time on each connection (login needs the register answer).
int runRegister(QCoreApplication &app, const Common &c, const QString &password, const QString &topic)
{
    auto connections = openConnections(c, &app);
    int next = 0, done = 0, failures = 0;
    QHash<quint64, QString> pendingLogin; // tag → account
    auto feed = [&](PipelinedHttpsConnection *conn) {
        if (next >= c.accounts)
            return;
        const int i = next++;
        const QString account = c.prefix + QString::number(i);
        const QString deviceId = account + QStringLiteral("-iphone");
        const QString pushToken =
            QString::fromLatin1(QCryptographicHash::hash(deviceId.toUtf8(), QCryptographicHash::Sha256).toHex());
        QJsonObject device{{QStringLiteral("id"), deviceId},
                           {QStringLiteral("platform"), QStringLiteral("ios")},
                           {QStringLiteral("pushToken"), pushToken}};
        if (!topic.isEmpty())
            device.insert(QStringLiteral("pushTopic"), topic);
        conn->enqueue({quint64(i) * 2, "POST", "/v1/register", {},
                       json({{QStringLiteral("username"), account},
                             {QStringLiteral("password"), password},
                             {QStringLiteral("device"), device},
                             {QStringLiteral("apps"), QJsonArray{c.app}}})});
    };
    for (auto &conn : connections) {
        PipelinedHttpsConnection *raw = conn.get();
        QObject::connect(raw, &PipelinedHttpsConnection::answered, &app,
                         [&, raw](quint64 tag, int status, const QByteArray &body) {
                             const bool isRegister = tag % 2 == 0;
                             const int expected = isRegister ? 201 : 200;
                             if (status != expected) {
                                 if (++failures <= 5)
                                     err() << (isRegister ? "register " : "login ") << tag / 2 << ": " << status
                                           << ' ' << body << Qt::endl;
                             } else if (isRegister) {
                                 const QByteArray token = QJsonDocument::fromJson(body)
                                                              .object()
                                                              .value(QStringLiteral("deviceToken"))
                                                              .toString()
                                                              .toLatin1();
                                 raw->enqueue({tag + 1, "POST", "/v1/login", token,
                                               json({{QStringLiteral("apps"),
                                                      QJsonArray{QJsonObject{{QStringLiteral("app"), c.app}}}}})});
                                 return;
                             }
                             ++done;
                             if (done == c.accounts)
                                 app.quit();
                             else
                                 feed(raw);
                         });
        feed(raw);
    }
    QTimer::singleShot(600000, &app, [&] { app.exit(1); });
    app.exec();
    QTextStream(stdout) << "registered and logged in " << (done - failures) << " of " << c.accounts
                        << " devices, " << failures << " failures" << Qt::endl;
    return failures == 0 && done == c.accounts ? 0 : 1;
}

int runEvents(QCoreApplication &app, const Common &c, const QByteArray &sourceToken, const QString &runId,
              int count, const QString &logPath, int quietSecs)
{
    StandinLogTail tail;
    QString error;
    if (!tail.open(logPath, &error)) {
        err() << "herald-event-bench: cannot read " << logPath << ": " << error << Qt::endl;
        return 2;
    }
    auto connections = openConnections(c, &app);
    std::vector<qint64> sentAt(size_t(count), 0);
    QHash<QByteArray, qint64> awaitingPush; // notification id → sent at
    awaitingPush.reserve(count);
    // A push can reach the stand-in before its 202 reaches us (the server sends both after the same
    // commit): such lines wait here for the answer that names them.
    QHash<QByteArray, qint64> earlyPushes;
    std::vector<double> latencyMs;
    latencyMs.reserve(size_t(count));
    int next = 0, answered = 0, accepted = 0, rejected = 0, pushed = 0, pushFailures = 0;
    qint64 firstSent = 0, lastAnswer = 0, lastPush = 0, lastProgress = monotonicNs();
    const QByteArray event = QByteArrayLiteral("\",\"sender\":\"Alice\",\"subject\":\"Quarterly report\","
                                               "\"body\":\"Numbers attached; please read before Monday.\"}");

    auto finishedAll = [&] { return answered == count && awaitingPush.isEmpty(); };
    auto feed = [&](PipelinedHttpsConnection *conn) {
        while (next < count && conn->inFlight() < c.depth) {
            const int i = next++;
            const QByteArray body = "{\"account\":\"" + c.prefix.toUtf8() + QByteArray::number(i % c.accounts) +
                                    "\",\"app\":\"" + c.app.toUtf8() + "\",\"eventId\":\"" + runId.toUtf8() + '-' +
                                    QByteArray::number(i) + event;
            sentAt[size_t(i)] = monotonicNs();
            if (!firstSent)
                firstSent = sentAt[size_t(i)];
            conn->enqueue({quint64(i), "POST", "/v1/events", sourceToken, body});
        }
    };
    auto pushArrived = [&](qint64 ns, qint64 sent) {
        latencyMs.push_back((ns - sent) / 1e6);
        ++pushed;
        lastPush = qMax(lastPush, ns);
        lastProgress = monotonicNs();
    };
    auto onLine = [&](qint64 ns, int status, const QByteArray &nid) {
        if (status != 200) {
            if (++pushFailures <= 5)
                err() << "stand-in answered " << status << " for " << nid << Qt::endl;
            return; // herald retries it; the 200 that follows completes it
        }
        const auto it = awaitingPush.find(nid);
        if (it == awaitingPush.end()) {
            if (!earlyPushes.contains(nid))
                earlyPushes.insert(nid, ns); // its 202 is still on the way (or it is not ours)
            return;
        }
        pushArrived(ns, it.value());
        awaitingPush.erase(it);
    };
    for (auto &conn : connections) {
        PipelinedHttpsConnection *raw = conn.get();
        QObject::connect(raw, &PipelinedHttpsConnection::answered, &app,
                         [&, raw](quint64 tag, int status, const QByteArray &body) {
                             ++answered;
                             lastAnswer = monotonicNs();
                             lastProgress = lastAnswer;
                             if (status == 202) {
                                 ++accepted;
                                 const QByteArray nid = notificationId(body);
                                 const auto early = earlyPushes.find(nid);
                                 if (early != earlyPushes.end()) {
                                     pushArrived(early.value(), sentAt[size_t(tag)]);
                                     earlyPushes.erase(early);
                                 } else {
                                     awaitingPush.insert(nid, sentAt[size_t(tag)]);
                                 }
                             } else if (++rejected <= 5) {
                                 err() << "event " << tag << ": " << status << ' ' << body << Qt::endl;
                             }
                             feed(raw);
                         });
        QObject::connect(raw, &PipelinedHttpsConnection::failed, &app, [&] { app.exit(1); });
    }
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &app, [&] {
        tail.poll(onLine);
        if (finishedAll())
            app.quit();
        else if (monotonicNs() - lastProgress > qint64(quietSecs) * 1'000'000'000)
            app.exit(1); // nothing moved for too long: report what arrived
    });
    poll.start(10);
    // Start once every connection is up, so the TLS handshakes are not part of the measured time.
    QTimer start;
    QObject::connect(&start, &QTimer::timeout, &app, [&] {
        start.stop();
        lastProgress = monotonicNs();
        for (auto &conn : connections)
            feed(conn.get());
    });
    start.setSingleShot(true);
    start.start(300);
    const double cpuAtStart = cpuSeconds();
    const int rc = app.exec();
    tail.poll(onLine);
    const double cpuUsed = cpuSeconds() - cpuAtStart;

    std::sort(latencyMs.begin(), latencyMs.end());
    auto pct = [&](double q) {
        return latencyMs.empty() ? 0.0 : latencyMs[std::min(latencyMs.size() - 1, size_t(q * latencyMs.size()))];
    };
    const double secs = lastPush > firstSent ? (lastPush - firstSent) / 1e9 : 0;
    const double ingestSecs = lastAnswer > firstSent ? (lastAnswer - firstSent) / 1e9 : 0;
    QTextStream(stdout) << "herald-e2e events=" << count << " accepted=" << accepted << " rejected=" << rejected
                        << " pushed=" << pushed << " missing=" << (accepted - pushed)
                        << " standin_errors=" << pushFailures << " seconds=" << QString::number(secs, 'f', 3)
                        << " rate=" << QString::number(secs > 0 ? pushed / secs : 0, 'f', 0)
                        << " ingest_rate=" << QString::number(ingestSecs > 0 ? accepted / ingestSecs : 0, 'f', 0)
                        << " p50_ms=" << QString::number(pct(0.50), 'f', 2)
                        << " p90_ms=" << QString::number(pct(0.90), 'f', 2)
                        << " p99_ms=" << QString::number(pct(0.99), 'f', 2)
                        << " max_ms=" << QString::number(latencyMs.empty() ? 0 : latencyMs.back(), 'f', 2)
                        << " client_cpu_us=" << QString::number(1e6 * cpuUsed / count, 'f', 0) << Qt::endl;
    return rc == 0 && pushed == count ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("herald-server end-to-end push load (bench/push)"));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("command"), QStringLiteral("register | events"));
    const QList<QCommandLineOption> options{
        {QStringLiteral("port"), QStringLiteral("herald-server's HTTPS port on 127.0.0.1"), QStringLiteral("port")},
        {QStringLiteral("ca"), QStringLiteral("herald-server's certificate (PEM)"), QStringLiteral("file")},
        {QStringLiteral("prefix"), QStringLiteral("account names are PREFIX<i>"), QStringLiteral("prefix"),
         QStringLiteral("push")},
        {QStringLiteral("accounts"), QStringLiteral("accounts (one iPhone each)"), QStringLiteral("n"),
         QStringLiteral("100")},
        {QStringLiteral("app"), QStringLiteral("remote app name"), QStringLiteral("app"), QStringLiteral("mail")},
        {QStringLiteral("connections"), QStringLiteral("keep-alive HTTPS connections"), QStringLiteral("n"),
         QStringLiteral("8")},
        {QStringLiteral("depth"), QStringLiteral("pipelined requests per connection"), QStringLiteral("n"),
         QStringLiteral("16")},
        {QStringLiteral("password"), QStringLiteral("register: the accounts' password"), QStringLiteral("pw")},
        {QStringLiteral("topic"), QStringLiteral("register: the devices' APNs topic"), QStringLiteral("topic")},
        {QStringLiteral("source-token"), QStringLiteral("events: the source's bearer token"), QStringLiteral("token")},
        {QStringLiteral("count"), QStringLiteral("events: how many"), QStringLiteral("n"), QStringLiteral("20000")},
        {QStringLiteral("run-id"), QStringLiteral("events: eventId prefix, unique per run"), QStringLiteral("id")},
        {QStringLiteral("standin-log"), QStringLiteral("events: apns-standin's --log file"), QStringLiteral("file")},
        {QStringLiteral("quiet-secs"), QStringLiteral("events: give up after this long without progress"),
         QStringLiteral("s"), QStringLiteral("30")},
    };
    p.addOptions(options);
    p.process(app);
    const QString command = p.positionalArguments().value(0);

    Common c;
    c.port = quint16(p.value(QStringLiteral("port")).toUInt());
    QFile caFile(p.value(QStringLiteral("ca")));
    if (caFile.open(QIODevice::ReadOnly))
        c.ca = QSslCertificate::fromData(caFile.readAll());
    c.prefix = p.value(QStringLiteral("prefix"));
    c.accounts = p.value(QStringLiteral("accounts")).toInt();
    c.app = p.value(QStringLiteral("app"));
    c.connections = p.value(QStringLiteral("connections")).toInt();
    c.depth = p.value(QStringLiteral("depth")).toInt();
    if (c.port == 0 || c.ca.isEmpty() || c.accounts <= 0 || c.connections <= 0 || c.depth <= 0) {
        err() << "herald-event-bench: --port, --ca (a readable PEM), --accounts, --connections and --depth "
                 "must be set and positive"
              << Qt::endl;
        return 2;
    }
    if (command == QLatin1String("register")) {
        if (!p.isSet(QStringLiteral("password"))) {
            err() << "herald-event-bench register: --password is required" << Qt::endl;
            return 2;
        }
        return runRegister(app, c, p.value(QStringLiteral("password")), p.value(QStringLiteral("topic")));
    }
    if (command == QLatin1String("events")) {
        const int count = p.value(QStringLiteral("count")).toInt();
        if (!p.isSet(QStringLiteral("source-token")) || !p.isSet(QStringLiteral("run-id")) ||
            !p.isSet(QStringLiteral("standin-log")) || count <= 0) {
            err() << "herald-event-bench events: --source-token, --run-id, --standin-log and a positive --count "
                     "are required"
                  << Qt::endl;
            return 2;
        }
        return runEvents(app, c, p.value(QStringLiteral("source-token")).toLatin1(), p.value(QStringLiteral("run-id")),
                         count, p.value(QStringLiteral("standin-log")), p.value(QStringLiteral("quiet-secs")).toInt());
    }
    err() << "herald-event-bench: command must be register or events" << Qt::endl;
    return 2;
}
