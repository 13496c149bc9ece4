// apns-standin: the local APNs stand-in as a process, for benchmarks and manual tries.
// Writes into --dir: ca.pem (trust it), AuthKey.p8 (a throw-away signing key), token.jwt (a valid
// provider token for h2load), port; then serves until killed. With --log FILE it appends one line
// per answered request, "<CLOCK_MONOTONIC ns> <status> <nid>", for end-to-end timing (bench/push).
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QTextStream>
#include <QTimer>

#include <chrono>

#include "ApnsStandin.h"
#include "TestPki.h"
#include "crypto/Jwt.h"

using namespace herald;
using namespace herald::standin;

namespace {

// The payload's "nid" without parsing the JSON again (the stand-in already validated it): the log
// must cost the stand-in next to nothing, or it would lower the h2load ceiling it is compared with.
QByteArray nidOf(const QByteArray &payload)
{
    static const QByteArray key = QByteArrayLiteral("\"nid\":\"");
    const int from = payload.indexOf(key);
    if (from < 0)
        return QByteArrayLiteral("-");
    const int start = from + key.size();
    const int end = payload.indexOf('"', start);
    return end > start && end - start <= 64 ? payload.mid(start, end - start) : QByteArrayLiteral("-");
}

} // namespace

static bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Local APNs stand-in (HTTP/2, TLS, ES256 provider tokens)"));
    p.addHelpOption();
    p.addOption({QStringLiteral("dir"), QStringLiteral("Folder for ca.pem, AuthKey.p8, token.jwt, port."),
                 QStringLiteral("dir")});
    p.addOption({QStringLiteral("port"), QStringLiteral("Port on 127.0.0.1 (0 = any)."),
                 QStringLiteral("port"), QStringLiteral("0")});
    p.addOption({QStringLiteral("latency-ms"), QStringLiteral("Delay before each answer."),
                 QStringLiteral("ms"), QStringLiteral("0")});
    p.addOption({QStringLiteral("goaway-after"), QStringLiteral("GOAWAY after N requests per connection."),
                 QStringLiteral("n"), QStringLiteral("0")});
    p.addOption({QStringLiteral("initial-streams"),
                 QStringLiteral("SETTINGS_MAX_CONCURRENT_STREAMS before the first success."),
                 QStringLiteral("n"), QStringLiteral("1")});
    p.addOption({QStringLiteral("max-streams"), QStringLiteral("SETTINGS_MAX_CONCURRENT_STREAMS after it."),
                 QStringLiteral("n"), QStringLiteral("500")});
    p.addOption({QStringLiteral("log"),
                 QStringLiteral("Append \"<monotonic ns> <status> <nid>\" per answered request to this file."),
                 QStringLiteral("file")});
    p.process(app);
    QTextStream err(stderr);
    if (!p.isSet(QStringLiteral("dir"))) {
        err << "apns-standin: --dir is required\n";
        return 2;
    }
    const QDir dir(p.value(QStringLiteral("dir")));
    if (!QDir().mkpath(dir.absolutePath())) {
        err << "apns-standin: cannot create " << dir.absolutePath() << '\n';
        return 2;
    }
    const TestPki::Certificate tls = TestPki::selfSigned();
    const QByteArray p8 = TestPki::ecP256PrivateKey();
    ApnsStandin::Options o;
    o.certPem = tls.certPem;
    o.keyPem = tls.keyPem;
    o.tokenPublicKeyPem = TestPki::publicKeyOf(p8);
    o.latencyMs = p.value(QStringLiteral("latency-ms")).toInt();
    o.goawayAfterRequests = p.value(QStringLiteral("goaway-after")).toInt();
    o.initialMaxStreams = uint32_t(qMax(1, p.value(QStringLiteral("initial-streams")).toInt()));
    o.raisedMaxStreams = uint32_t(qMax(1, p.value(QStringLiteral("max-streams")).toInt()));
    o.keepRecords = false;
    ApnsStandin standin(o);
    if (!standin.listen(quint16(p.value(QStringLiteral("port")).toUInt()))) {
        err << "apns-standin: cannot listen\n";
        return 1;
    }
    QFile log(p.value(QStringLiteral("log")));
    QByteArray logBuffer;
    QTimer logFlush;
    if (p.isSet(QStringLiteral("log"))) {
        if (!log.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
            err << "apns-standin: cannot open " << log.fileName() << ": " << log.errorString() << '\n';
            return 2;
        }
        QObject::connect(&standin, &ApnsStandin::answered, &app, [&](const ApnsStandin::Record &r) {
            const auto now = std::chrono::steady_clock::now().time_since_epoch();
            logBuffer += QByteArray::number(qint64(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()));
            logBuffer += ' ';
            logBuffer += QByteArray::number(r.status);
            logBuffer += ' ';
            logBuffer += nidOf(r.payload);
            logBuffer += '\n';
        });
        // Batched every 20 ms: one write per batch, not one per push. Readers take whole lines only.
        QObject::connect(&logFlush, &QTimer::timeout, &app, [&] {
            const qint64 written = logBuffer.isEmpty() ? 0 : log.write(logBuffer);
            if (written > 0)
                logBuffer.remove(0, int(written));
        });
        logFlush.start(20);
    }
    const QByteArray token =
        Jwt::signEs256(QJsonObject{{QStringLiteral("kid"), o.keyId}},
                       QJsonObject{{QStringLiteral("iss"), o.teamId},
                                   {QStringLiteral("iat"), QDateTime::currentSecsSinceEpoch()}},
                       PrivateKey::fromPem(p8));
    if (!writeFile(dir.filePath(QStringLiteral("ca.pem")), tls.certPem) ||
        !writeFile(dir.filePath(QStringLiteral("AuthKey.p8")), p8) ||
        !writeFile(dir.filePath(QStringLiteral("token.jwt")), token) ||
        !writeFile(dir.filePath(QStringLiteral("ids")), (o.teamId + QLatin1Char(' ') + o.keyId).toLatin1()) ||
        !writeFile(dir.filePath(QStringLiteral("port")), QByteArray::number(standin.port()))) {
        err << "apns-standin: cannot write into " << dir.absolutePath() << '\n';
        return 1;
    }
    QTextStream(stdout) << "apns-standin listening on 127.0.0.1:" << standin.port() << Qt::endl;
    return app.exec();
}
