// Herald's end-to-end encrypted pushes against an independent implementation: the npm web-push
// package (RFC 8291 with http_ece). A running herald-server seals a notification for a device that
// herald-term registered with --push-key; herald-term and web-push both open it. And the other
// way round: what web-push seals, Herald opens.
#include "DeliveryFixture.h"
#include "NodeWebPush.h"
#include "PushKeyPair.h"
#include "TestPki.h"
#include "WebPushStandin.h"
#include "crypto/WebPushCrypto.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace herald;
using namespace herald::test;

namespace {

constexpr auto Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

const QString Sender = QStringLiteral("Zhang Wei 张伟");
const QString Subject = QStringLiteral("Board minutes — strictly confidential");
const QString Body = QStringLiteral("The vote passed 7 to 2.");

struct TermRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

TermRun term(const QStringList &args, const QByteArray &input = {})
{
    QProcess p;
    p.start(qEnvironmentVariable("HERALD_TERM_BIN"), args);
    TermRun r;
    if (!p.waitForStarted(10000))
        return r;
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000))
        return r;
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace

class tst_WebPushInterop : public QObject
{
    Q_OBJECT

private:
    NodeWebPush m_node;

private Q_SLOTS:
    void initTestCase()
    {
        QString error, skip;
        if (!m_node.prepare(&error, &skip)) {
            if (!skip.isEmpty())
                QSKIP(qPrintable(skip));
            QFAIL(qPrintable(error));
        }
    }

    // The two implementations agree on the RFC's own example before anything else is compared.
    void webPushOpensTheRfcVector()
    {
        QString error;
        const QByteArray out = m_node.run(
            {QStringLiteral("decrypt"), QStringLiteral("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"),
             QStringLiteral("BTBZMqHH6r4Tts7J_aSIgg")},
            "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PB"
            "ru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
            &error);
        QVERIFY2(!out.isEmpty(), qPrintable(error));
        QCOMPARE(QByteArray::fromBase64(out, QByteArray::Base64UrlEncoding), QByteArray("When I grow up, I want to be a watermelon"));
    }

    void serverSealedPushOpensInHeraldTermAndWebPush()
    {
        DeliveryFixture f({}, "[app.mail]\nprivacy = encrypted\n");
        QVERIFY(f.start());
        QTemporaryDir dir;
        const QString state = dir.filePath(QStringLiteral("term.json"));
        const QStringList global{QStringLiteral("--server"), f.server().baseUrl(), QStringLiteral("--cacert"),
                                 f.server().certificatePath(), QStringLiteral("--state"), state};
        TermRun r = term(global + QStringList{QStringLiteral("register"), QStringLiteral("alice"), QStringLiteral("--device-id"),
                                              QStringLiteral("phone"), QStringLiteral("--platform"), QStringLiteral("android"),
                                              QStringLiteral("--push-token"), QStringLiteral("push-phone"), QStringLiteral("--apps"),
                                              QStringLiteral("mail"), QStringLiteral("--push-key"), QStringLiteral("--password-stdin")},
                         DeliveryFixture::Password);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile stateFile(state);
        QVERIFY(stateFile.open(QIODevice::ReadOnly));
        const QJsonObject saved = QJsonDocument::fromJson(stateFile.readAll()).object();
        const QJsonObject key = saved.value(QStringLiteral("pushKey")).toObject();
        QVERIFY(!key.value(QStringLiteral("private")).toString().isEmpty());
        QVERIFY(f.login(saved.value(QStringLiteral("deviceToken")).toString()));

        const QJsonObject event{{QStringLiteral("account"), QStringLiteral("alice")}, {QStringLiteral("app"), QStringLiteral("mail")},
                                {QStringLiteral("eventId"), QStringLiteral("secret-1")}, {QStringLiteral("sender"), Sender},
                                {QStringLiteral("subject"), Subject}, {QStringLiteral("body"), Body}};
        const auto posted = f.http().post(QStringLiteral("/v1/events"), event, f.sourceToken());
        QCOMPARE(posted.status, 202);
        const QString id = posted.json().object().value(QStringLiteral("id")).toString();
        QTRY_COMPARE_WITH_TIMEOUT(f.deliveries(id), QStringList{QStringLiteral("phone:delivered:push")}, 20000);
        const QList<QJsonObject> pushes = f.pushes(id);
        QCOMPARE(pushes.size(), 1);
        const QByteArray line = QJsonDocument(pushes.first()).toJson(QJsonDocument::Compact);
        for (const QString &secret : {Sender, Subject, Body, QStringLiteral("herald://open/mail")})
            QVERIFY2(!line.contains(secret.toUtf8()), line.constData());

        // herald-term, with the key it kept.
        r = term(global + QStringList{QStringLiteral("decrypt")}, line);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject shown = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(shown.value(QStringLiteral("nid")).toString(), id);
        QCOMPARE(shown.value(QStringLiteral("sender")).toString(), Sender);
        QCOMPARE(shown.value(QStringLiteral("subject")).toString(), Subject);
        QCOMPARE(shown.value(QStringLiteral("excerpt")).toString(), Body);
        QCOMPARE(shown.value(QStringLiteral("uri")).toString(), QStringLiteral("herald://open/mail/") + id);

        // web-push's http_ece, with the same key taken from herald-term's state file.
        QString error;
        const QByteArray opened = m_node.run({QStringLiteral("decrypt"), key.value(QStringLiteral("private")).toString(),
                                              key.value(QStringLiteral("auth")).toString()},
                                             pushes.first().value(QStringLiteral("enc")).toString().toLatin1(), &error);
        QVERIFY2(!opened.isEmpty(), qPrintable(error));
        const QJsonObject content =
            QJsonDocument::fromJson(QByteArray::fromBase64(opened, QByteArray::Base64UrlEncoding)).object();
        QCOMPARE(content.value(QStringLiteral("v")).toInt(), 1);
        QCOMPARE(content.value(QStringLiteral("nid")).toString(), id);
        QCOMPARE(content.value(QStringLiteral("sender")).toString(), Sender);
        QCOMPARE(content.value(QStringLiteral("subject")).toString(), Subject);

        // A terminal without the key gets a clear refusal, not garbage.
        r = term({QStringLiteral("--state"), dir.filePath(QStringLiteral("other.json")), QStringLiteral("decrypt")}, line);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no_push_key"), r.err.constData());
    }

    // VAPID (RFC 8292) as web-push writes it passes the check the push-service stand-in applies
    // to Herald's own tokens (tst_webpushflow), and a token for another origin does not.
    void webPushVapidPassesTheStandinsCheck()
    {
        QString error;
        const QJsonObject keys = QJsonDocument::fromJson(m_node.run({QStringLiteral("vapid-keys")}, {}, &error)).object();
        QVERIFY2(!keys.isEmpty(), qPrintable(error));
        const standin::TestPki::Certificate tls = standin::TestPki::selfSigned();
        standin::WebPushStandin service({tls.certPem, tls.keyPem, {}});
        QVERIFY(service.listen());
        auto vapid = [&](const QString &audience) {
            return m_node.run({QStringLiteral("vapid"), audience, QStringLiteral("mailto:ops@example.com"),
                               keys.value(QStringLiteral("publicKey")).toString(),
                               keys.value(QStringLiteral("privateKey")).toString()},
                              {}, &error);
        };
        const QByteArray header = vapid(service.origin());
        QVERIFY2(!header.isEmpty(), qPrintable(error));
        standin::WebPushStandin::Record record;
        QCOMPARE(service.verifyVapid(header, &record), QString());
        QCOMPARE(record.vapidKey, QByteArray::fromBase64(keys.value(QStringLiteral("publicKey")).toString().toLatin1(),
                                                         QByteArray::Base64UrlEncoding));
        QCOMPARE(record.claims.value(QStringLiteral("sub")).toString(), QStringLiteral("mailto:ops@example.com"));
        QVERIFY(service.verifyVapid(vapid(QStringLiteral("https://push.example.net")), &record).contains(QLatin1String("aud")));
        QVERIFY(!service.verifyVapid(header.left(header.size() - 3) + "AAA", &record).isEmpty()); // key altered
    }

    void webPushSealedPayloadOpensInHerald_data()
    {
        QTest::addColumn<QByteArray>("plaintext");
        QTest::newRow("text") << QByteArray("{\"v\":1,\"nid\":\"x\"}");
        QTest::newRow("utf8") << QStringLiteral("新邮件 ✉").toUtf8();
        QTest::newRow("large") << QByteArray(3000, 'q');
    }

    void webPushSealedPayloadOpensInHerald()
    {
        QFETCH(QByteArray, plaintext);
        const client::PushKeyPair key = client::PushKeyPair::generate();
        QString error;
        const QByteArray sealed = m_node.run({QStringLiteral("encrypt"), QString::fromLatin1(key.p256dh().toBase64(Url)),
                                              QString::fromLatin1(key.auth().toBase64(Url))},
                                             plaintext, &error);
        QVERIFY2(!sealed.isEmpty(), qPrintable(error));
        const auto opened = WebPushCrypto::decrypt(QByteArray::fromBase64(sealed, QByteArray::Base64UrlEncoding),
                                                   key.key(), key.auth(), &error);
        QVERIFY2(opened, qPrintable(error));
        QCOMPARE(*opened, plaintext);
    }
};

QTEST_GUILESS_MAIN(tst_WebPushInterop)
#include "tst_webpushinterop.moc"
