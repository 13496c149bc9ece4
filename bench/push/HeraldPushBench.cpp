// herald-push-bench: drives ApnsProvider against a running apns-standin and reports throughput and
// send-to-200 latency. Used by bench/push/run.sh; never run by ctest.
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QTextStream>
#include <QTimer>
#include <QUuid>

#include <algorithm>

#include "push/ApnsProvider.h"

using namespace herald;

static QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    p.addOption({QStringLiteral("dir"), QStringLiteral("apns-standin's --dir"), QStringLiteral("dir")});
    p.addOption({QStringLiteral("count"), QStringLiteral("pushes to send"), QStringLiteral("n"),
                 QStringLiteral("20000")});
    p.addOption({QStringLiteral("connections"), QStringLiteral("HTTP/2 connections"), QStringLiteral("n"),
                 QStringLiteral("1")});
    p.addOption({QStringLiteral("window"), QStringLiteral("max outstanding pushes (back-pressure)"),
                 QStringLiteral("n"), QStringLiteral("1000")});
    p.process(app);
    QTextStream out(stdout), err(stderr);
    const QDir dir(p.value(QStringLiteral("dir")));
    const QList<QByteArray> ids = readFile(dir.filePath(QStringLiteral("ids"))).split(' ');
    const int port = readFile(dir.filePath(QStringLiteral("port"))).toInt();
    if (ids.size() != 2 || port <= 0) {
        err << "herald-push-bench: " << dir.absolutePath() << " has no ids/port from apns-standin\n";
        return 2;
    }
    ProviderSettings s;
    s.section = QStringLiteral("bench");
    s.host = QStringLiteral("127.0.0.1");
    s.port = quint16(port);
    s.caCertificates = QSslCertificate::fromData(readFile(dir.filePath(QStringLiteral("ca.pem"))));
    s.teamId = QString::fromLatin1(ids[0]);
    s.keyId = QString::fromLatin1(ids[1].trimmed());
    s.signingKey = PrivateKey::fromPem(readFile(dir.filePath(QStringLiteral("AuthKey.p8"))));
    s.defaultTopic = QStringLiteral("com.example.herald");
    s.connections = p.value(QStringLiteral("connections")).toInt();
    s.maxOutstanding = p.value(QStringLiteral("window")).toInt();
    const int count = p.value(QStringLiteral("count")).toInt();

    ApnsProvider provider(s);
    QElapsedTimer clock;
    QHash<QString, qint64> sentAtNs;
    QList<double> latenciesMs;
    latenciesMs.reserve(count);
    int sent = 0, delivered = 0, other = 0;
    const QString token(64, QLatin1Char('a'));
    auto feed = [&] {
        while (sent < count && provider.canAccept()) {
            PushMessage m;
            m.deliveryId = QUuid::createUuid().toString(QUuid::WithoutBraces);
            m.notificationId = m.deliveryId;
            m.pushToken = token;
            m.title = QStringLiteral("Alice");
            m.body = QStringLiteral("New mail: quarterly report");
            m.uri = QStringLiteral("herald://open/") + m.notificationId;
            sentAtNs.insert(m.deliveryId, clock.nsecsElapsed());
            ++sent;
            provider.send(m);
        }
    };
    QObject::connect(&provider, &Provider::finished, &app, [&](const PushResult &r) {
        latenciesMs << (clock.nsecsElapsed() - sentAtNs.take(r.deliveryId)) / 1e6;
        if (r.outcome == PushResult::Outcome::Delivered)
            ++delivered;
        else if (++other <= 5)
            err << "not delivered: " << r.httpStatus << ' ' << r.reason << '\n';
        if (delivered + other == count)
            app.quit();
        else
            feed();
    });
    QObject::connect(&provider, &Provider::readyForMore, &app, feed);
    QTimer::singleShot(0, &app, [&] {
        clock.start();
        feed();
    });
    QTimer::singleShot(300000, &app, [&] {
        err << "herald-push-bench: timeout\n";
        app.exit(1);
    });
    const int rc = app.exec();
    const double secs = clock.nsecsElapsed() / 1e9;
    std::sort(latenciesMs.begin(), latenciesMs.end());
    auto pct = [&](double q) {
        return latenciesMs.isEmpty()
                   ? 0.0
                   : latenciesMs.at(qMin(int(latenciesMs.size()) - 1, int(q * latenciesMs.size())));
    };
    out << "herald sent=" << sent << " delivered=" << delivered << " failed=" << other
        << " seconds=" << QString::number(secs, 'f', 3)
        << " rate=" << QString::number(delivered / secs, 'f', 0)
        << " p50_ms=" << QString::number(pct(0.50), 'f', 2)
        << " p99_ms=" << QString::number(pct(0.99), 'f', 2) << Qt::endl;
    return rc == 0 && delivered == count ? 0 : 1;
}
