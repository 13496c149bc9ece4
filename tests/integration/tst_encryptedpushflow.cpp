// Privacy level `encrypted` end to end: herald-server pushes through its real APNs and FCM
// providers to the local stand-ins, which must never see the sender, subject, text or the app's
// deep link of a notification — only a blob that the device's key (and no other) opens. A device
// without a key gets the content-free push, and a huge subject is cut before sealing.
#include "ApnsStandin.h"
#include "DeliveryFixture.h"
#include "FcmStandin.h"
#include "PushKeyPair.h"
#include "SealedPush.h"
#include "TestPki.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace herald;
using namespace herald::test;
using namespace herald::standin;
using herald::client::PushKeyPair;
using herald::client::SealedPush;

namespace {

constexpr auto Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
const QString IosToken = QString(QStringLiteral("cd")).repeated(32);
const QString Sender = QStringLiteral("Eve Whistleblower");
const QString Subject = QStringLiteral("Audit findings: the numbers do not add up");
const QString Body = QStringLiteral("Attached are the ledgers from Q3.");

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

} // namespace

class tst_EncryptedPushFlow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_keys;
    std::unique_ptr<ApnsStandin> m_apns;
    std::unique_ptr<FcmStandin> m_fcm;
    std::unique_ptr<DeliveryFixture> m_f;
    PushKeyPair m_iosKey = PushKeyPair::generate();
    PushKeyPair m_androidKey = PushKeyPair::generate();

    bool registerDevice(const QString &id, const QString &platform, const QString &token, const PushKeyPair &key)
    {
        QJsonObject device{{QStringLiteral("id"), id}, {QStringLiteral("platform"), platform},
                           {QStringLiteral("pushToken"), token}};
        if (!key.isNull())
            device.insert(QStringLiteral("pushKey"),
                          QJsonObject{{QStringLiteral("p256dh"), QString::fromLatin1(key.p256dh().toBase64(Url))},
                                      {QStringLiteral("auth"), QString::fromLatin1(key.auth().toBase64(Url))}});
        const QJsonObject body{{QStringLiteral("username"), QStringLiteral("alice")},
                               {QStringLiteral("password"), QString::fromLatin1(DeliveryFixture::Password)},
                               {QStringLiteral("device"), device},
                               {QStringLiteral("apps"), QJsonArray{QStringLiteral("mail")}}};
        const auto reply = m_f->http().post(QStringLiteral("/v1/register"), body);
        return reply.status == 201 && m_f->login(reply.json().object().value(QStringLiteral("deviceToken")).toString());
    }

    QString post(const QString &eventId, const QString &subject, const QString &text = Body)
    {
        const QJsonObject event{{QStringLiteral("account"), QStringLiteral("alice")}, {QStringLiteral("app"), QStringLiteral("mail")},
                                {QStringLiteral("eventId"), eventId}, {QStringLiteral("sender"), Sender},
                                {QStringLiteral("subject"), subject}, {QStringLiteral("body"), text}};
        const auto reply = m_f->http().post(QStringLiteral("/v1/events"), event, m_f->sourceToken());
        return reply.status == 202 ? reply.json().object().value(QStringLiteral("id")).toString() : QString();
    }

    // Everything each stand-in got for one notification, headers included, as bytes.
    QByteArray apnsWire(const QString &nid) const
    {
        QByteArray wire;
        for (const ApnsStandin::Record &r : m_apns->records()) {
            if (QJsonDocument::fromJson(r.payload).object().value(QStringLiteral("nid")).toString() == nid)
                wire += r.payload + '\n' + r.collapseId.toUtf8() + '\n' + r.topic.toUtf8() + '\n' + r.pushType.toUtf8() + '\n';
        }
        return wire;
    }
    QList<QJsonObject> fcmMessages(const QString &nid) const
    {
        QList<QJsonObject> out;
        for (const FcmStandin::Record &r : m_fcm->records()) {
            if (r.message.value(QStringLiteral("data")).toObject().value(QStringLiteral("nid")).toString() == nid)
                out << r.message;
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const TestPki::Certificate tls = TestPki::selfSigned();
        const QByteArray p8 = TestPki::ecP256PrivateKey();
        const QByteArray rsa = TestPki::rsaPrivateKey();
        ApnsStandin::Options a;
        a.certPem = tls.certPem;
        a.keyPem = tls.keyPem;
        a.tokenPublicKeyPem = TestPki::publicKeyOf(p8);
        m_apns = std::make_unique<ApnsStandin>(a);
        QVERIFY(m_apns->listen());
        FcmStandin::Options f;
        f.certPem = tls.certPem;
        f.keyPem = tls.keyPem;
        f.serviceAccountPublicKeyPem = TestPki::publicKeyOf(rsa);
        m_fcm = std::make_unique<FcmStandin>(f);
        QVERIFY(m_fcm->listen());
        QVERIFY(writeFile(m_keys.filePath(QStringLiteral("ca.pem")), tls.certPem));
        QVERIFY(writeFile(m_keys.filePath(QStringLiteral("AuthKey.p8")), p8));
        QVERIFY(writeFile(m_keys.filePath(QStringLiteral("sa.json")), m_fcm->serviceAccountJson(rsa)));
        const QByteArray ini =
            QStringLiteral("[push.apns]\ntype = apns\nhost = 127.0.0.1\nport = %1\nca_file = %2\nteam_id = %3\n"
                           "key_id = %4\nkey_file = %5\ntopic = com.example.remote\n\n"
                           "[push.fcm]\ntype = fcm\nendpoint = 127.0.0.1:%6\nca_file = %2\nservice_account_file = %7\n\n"
                           "[app.mail]\nprivacy = encrypted\n")
                .arg(m_apns->port())
                .arg(m_keys.filePath(QStringLiteral("ca.pem")), a.teamId, a.keyId, m_keys.filePath(QStringLiteral("AuthKey.p8")))
                .arg(m_fcm->port())
                .arg(m_keys.filePath(QStringLiteral("sa.json")))
                .toUtf8();
        m_f = std::make_unique<DeliveryFixture>(QStringList{QStringLiteral("--target-policy"), QStringLiteral("all")}, ini);
        QVERIFY(m_f->start());
        QVERIFY(registerDevice(QStringLiteral("iphone"), QStringLiteral("ios"), IosToken, m_iosKey));
        QVERIFY(registerDevice(QStringLiteral("pixel"), QStringLiteral("android"), QStringLiteral("fcm-pixel"), m_androidKey));
        QVERIFY(registerDevice(QStringLiteral("oldphone"), QStringLiteral("android"), QStringLiteral("fcm-old"), PushKeyPair()));
    }

    void standinsSeeOnlyCiphertext()
    {
        const QString id = post(QStringLiteral("e-1"), Subject);
        QVERIFY(!id.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(m_f->deliveries(id).size(), 3, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(m_f->deliveries(id).filter(QStringLiteral(":delivered:push")).size(), 3, 20000);
        const QList<QByteArray> secrets{Sender.toUtf8(), Subject.toUtf8(), Body.toUtf8(), "Eve", "Audit", "ledgers",
                                        "herald://open/mail", "\"mail\""};

        // APNs: a generic alert the service extension replaces, mutable-content, and the blob.
        const QByteArray apns = apnsWire(id);
        QVERIFY(!apns.isEmpty());
        for (const QByteArray &secret : secrets)
            QVERIFY2(!apns.contains(secret), apns.constData());
        const QJsonObject payload = QJsonDocument::fromJson(apns.left(apns.indexOf('\n'))).object();
        QCOMPARE(payload.value(QStringLiteral("aps")).toObject().value(QStringLiteral("mutable-content")).toInt(), 1);
        QString error;
        auto opened = SealedPush::open(apns.left(apns.indexOf('\n')), m_iosKey, &error);
        QVERIFY2(opened, qPrintable(error));
        QCOMPARE(opened->sender, Sender);
        QCOMPARE(opened->subject, Subject);
        QCOMPARE(opened->excerpt, Body);
        QCOMPARE(opened->uri, QStringLiteral("herald://open/mail/") + id);
        QVERIFY(!SealedPush::open(apns.left(apns.indexOf('\n')), m_androidKey, &error)); // another device's key

        // FCM: data-only for the device with a key, content-free for the one without.
        const QList<QJsonObject> fcm = fcmMessages(id);
        QCOMPARE(fcm.size(), 2);
        int sealed = 0;
        for (const QJsonObject &message : fcm) {
            const QByteArray wire = QJsonDocument(message).toJson(QJsonDocument::Compact);
            for (const QByteArray &secret : secrets)
                QVERIFY2(!wire.contains(secret), wire.constData());
            QVERIFY2(!message.contains(QStringLiteral("notification")), wire.constData());
            const QJsonObject data = message.value(QStringLiteral("data")).toObject();
            if (message.value(QStringLiteral("token")).toString() == QLatin1String("fcm-pixel")) {
                ++sealed;
                opened = SealedPush::open(wire, m_androidKey, &error);
                QVERIFY2(opened, qPrintable(error));
                QCOMPARE(opened->subject, Subject);
            } else {
                QVERIFY2(!data.contains(QStringLiteral("enc")), wire.constData());
                QCOMPARE(data.value(QStringLiteral("uri")).toString(), QStringLiteral("herald://n/") + id);
            }
        }
        QCOMPARE(sealed, 1);
    }

    void hugeSubjectIsCutNotTheBlob()
    {
        // The largest subject an event may have (1024 characters) and a long body: three bytes a
        // character in UTF-8, far beyond the 2700-byte blob.
        const QString huge = QStringLiteral("Fwd: ") + QStringLiteral("机密").repeated(509);
        const QString id = post(QStringLiteral("e-huge"), huge, QStringLiteral("正文").repeated(4000));
        QVERIFY(!id.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(m_f->deliveries(id).filter(QStringLiteral(":delivered:push")).size(), 3, 20000);
        const QByteArray apns = apnsWire(id);
        const QByteArray payload = apns.left(apns.indexOf('\n'));
        QVERIFY(payload.size() <= 4096);
        QString error;
        const auto opened = SealedPush::open(payload, m_iosKey, &error);
        QVERIFY2(opened, qPrintable(error));
        QCOMPARE(opened->sender, Sender);
        QVERIFY(opened->subject.startsWith(QStringLiteral("Fwd: 机密")));
        QVERIFY(opened->subject.size() < huge.size());
        QVERIFY(opened->subject.endsWith(QChar(0x2026)));
        QCOMPARE(opened->excerpt, QString()); // the excerpt yields first
        for (const QJsonObject &message : fcmMessages(id)) {
            if (message.value(QStringLiteral("token")).toString() != QLatin1String("fcm-pixel"))
                continue;
            QJsonObject withoutToken = message;
            withoutToken.remove(QStringLiteral("token"));
            QVERIFY(QJsonDocument(withoutToken).toJson(QJsonDocument::Compact).size() <= 4096);
            QVERIFY(SealedPush::open(QJsonDocument(message).toJson(), m_androidKey, &error));
        }
    }
};

QTEST_GUILESS_MAIN(tst_EncryptedPushFlow)
#include "tst_encryptedpushflow.moc"
