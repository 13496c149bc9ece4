// fcm-standin: the local FCM (OAuth token endpoint + messages:send) as a process.
// Writes into --dir: ca.pem, service-account.json (throw-away key, token_uri pointing here), port.
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTextStream>

#include "FcmStandin.h"
#include "TestPki.h"

using namespace herald::standin;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Local FCM HTTP v1 stand-in with its OAuth2 token endpoint"));
    p.addHelpOption();
    p.addOption({QStringLiteral("dir"), QStringLiteral("Folder for ca.pem, service-account.json, port."),
                 QStringLiteral("dir")});
    p.addOption({QStringLiteral("port"), QStringLiteral("Port on 127.0.0.1 (0 = any)."),
                 QStringLiteral("port"), QStringLiteral("0")});
    p.addOption({QStringLiteral("latency-ms"), QStringLiteral("Delay before each answer."),
                 QStringLiteral("ms"), QStringLiteral("0")});
    p.process(app);
    QTextStream err(stderr);
    if (!p.isSet(QStringLiteral("dir")) || !QDir().mkpath(p.value(QStringLiteral("dir")))) {
        err << "fcm-standin: --dir is required and must be creatable\n";
        return 2;
    }
    const QDir dir(p.value(QStringLiteral("dir")));
    const TestPki::Certificate tls = TestPki::selfSigned();
    const QByteArray rsa = TestPki::rsaPrivateKey();
    FcmStandin::Options o;
    o.certPem = tls.certPem;
    o.keyPem = tls.keyPem;
    o.serviceAccountPublicKeyPem = TestPki::publicKeyOf(rsa);
    o.latencyMs = p.value(QStringLiteral("latency-ms")).toInt();
    FcmStandin standin(o);
    if (!standin.listen(quint16(p.value(QStringLiteral("port")).toUInt()))) {
        err << "fcm-standin: cannot listen\n";
        return 1;
    }
    auto write = [&](const QString &name, const QByteArray &data) {
        QFile f(dir.filePath(name));
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
    };
    if (!write(QStringLiteral("ca.pem"), tls.certPem) ||
        !write(QStringLiteral("service-account.json"), standin.serviceAccountJson(rsa)) ||
        !write(QStringLiteral("port"), QByteArray::number(standin.port()))) {
        err << "fcm-standin: cannot write into " << dir.absolutePath() << '\n';
        return 1;
    }
    QTextStream(stdout) << "fcm-standin listening on 127.0.0.1:" << standin.port() << Qt::endl;
    return app.exec();
}
