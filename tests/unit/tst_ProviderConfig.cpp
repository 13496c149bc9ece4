// ProviderConfig::parse: valid APNs (token and certificate) and FCM sections, and a clear error
// for every bad input (missing, unreadable, malformed key files, bad values, unknown keys).
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "TestPki.h"
#include "push/ProviderConfig.h"

using namespace herald;
using namespace herald::standin;
using Section = QHash<QString, QString>;

class tst_ProviderConfig : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_conf;

    QString write(const QString &name, const QByteArray &content)
    {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(name));
        f.write(content);
        return f.fileName();
    }
    std::optional<ProviderSettings> parse(const Section &s, QString *error)
    {
        return ProviderConfig::parse(QStringLiteral("push.test"), s, m_conf, error);
    }
    Section apns() const
    {
        return {{"type", "apns"},
                {"team_id", "TEAM000001"},
                {"key_id", "KEY0000001"},
                {"key_file", "AuthKey_test.p8"},
                {"topic", "com.example.herald"}};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_conf = m_dir.filePath(QStringLiteral("herald.conf"));
        write(QStringLiteral("AuthKey_test.p8"), TestPki::ecP256PrivateKey());
        const auto cert = TestPki::selfSigned(QStringLiteral("client"));
        write(QStringLiteral("client.pem"), cert.certPem);
        write(QStringLiteral("client.key"), cert.keyPem);
        write(QStringLiteral("rsa.pem"), TestPki::rsaPrivateKey());
        write(QStringLiteral("garbage.p8"), "this is not a key");
        write(QStringLiteral("sa.json"),
              QJsonDocument(QJsonObject{{"type", "service_account"},
                                        {"project_id", "from-file"},
                                        {"private_key", QString::fromLatin1(TestPki::rsaPrivateKey())},
                                        {"client_email", "sa@from-file.iam.gserviceaccount.com"},
                                        {"token_uri", "https://oauth2.googleapis.com/token"}})
                  .toJson());
        write(QStringLiteral("notjson.json"), "{ nope");
    }

    void apnsTokenAuthWithDefaults()
    {
        QString error;
        const auto s = parse(apns(), &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(int(s->type), int(ProviderSettings::Type::Apns));
        QCOMPARE(int(s->apnsAuth), int(ProviderSettings::ApnsAuth::Token));
        QCOMPARE(s->host, QStringLiteral("api.push.apple.com")); // production by default
        QCOMPARE(s->port, quint16(443));
        QCOMPARE(s->connections, 1);
        QCOMPARE(int(s->signingKey.kind()), int(PrivateKey::Kind::EcP256)); // relative to the config file
        QCOMPARE(s->defaultTopic, QStringLiteral("com.example.herald"));
    }

    void apnsSandboxAndOverrides()
    {
        Section sec = apns();
        sec["environment"] = "sandbox";
        QString error;
        QCOMPARE(parse(sec, &error)->host, QStringLiteral("api.sandbox.push.apple.com"));
        sec["host"] = "127.0.0.1";
        sec["port"] = "2197";
        sec["connections"] = "4";
        sec["ca_file"] = "client.pem";
        const auto s = parse(sec, &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->host, QStringLiteral("127.0.0.1"));
        QCOMPARE(s->port, quint16(2197));
        QCOMPARE(s->connections, 4);
        QCOMPARE(s->caCertificates.size(), 1);
    }

    void apnsCertificateAuth()
    {
        QString error;
        const auto s =
            parse({{"type", "apns"}, {"cert_file", "client.pem"}, {"key_file", "client.key"}, {"topic", "t"}},
                  &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(int(s->apnsAuth), int(ProviderSettings::ApnsAuth::Certificate));
        QVERIFY(!s->clientCertificate.isNull());
        QVERIFY(!s->clientKey.isNull());
    }

    void fcmFromServiceAccount()
    {
        QString error;
        const auto s = parse({{"type", "fcm"}, {"service_account_file", "sa.json"}}, &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->projectId, QStringLiteral("from-file"));
        QCOMPARE(s->clientEmail, QStringLiteral("sa@from-file.iam.gserviceaccount.com"));
        QCOMPARE(s->tokenUri, QStringLiteral("https://oauth2.googleapis.com/token"));
        QCOMPARE(s->host, QStringLiteral("fcm.googleapis.com"));
        const auto o = parse({{"type", "fcm"},
                              {"service_account_file", "sa.json"},
                              {"project_id", "other"},
                              {"endpoint", "127.0.0.1:8443"}},
                             &error);
        QVERIFY2(o, qPrintable(error));
        QCOMPARE(o->projectId, QStringLiteral("other"));
        QCOMPARE(o->port, quint16(8443));
    }

    void errors_data()
    {
        QTest::addColumn<Section>("section");
        QTest::addColumn<QString>("expected"); // fragment the message must contain
        Section a = apns();
        QTest::newRow("no type") << Section{{"team_id", "x"}} << "type: missing";
        QTest::newRow("bad type") << Section{{"type", "gcm"}} << "must be apns, fcm or webpush";
        a = apns();
        a.remove("team_id");
        QTest::newRow("no team") << a << "team_id: missing";
        a = apns();
        a.remove("key_file");
        QTest::newRow("no key file") << a << "key_file: missing";
        a = apns();
        a["key_file"] = "nowhere.p8";
        QTest::newRow("missing key file") << a << "does not exist";
        a = apns();
        a["key_file"] = "garbage.p8";
        QTest::newRow("malformed key") << a << "not a PEM private key";
        a = apns();
        a["key_file"] = "rsa.pem";
        QTest::newRow("rsa as p8") << a << "not an EC P-256 key";
        a = apns();
        a["key_file"] = ".";
        QTest::newRow("directory as key") << a << "key_file";
        a = apns();
        a["environment"] = "staging";
        QTest::newRow("bad environment") << a << "sandbox or production";
        a = apns();
        a["connections"] = "0";
        QTest::newRow("zero connections") << a << "from 1 to 32";
        a = apns();
        a["port"] = "http";
        QTest::newRow("bad port") << a << "port";
        a = apns();
        a["tpoic"] = "x";
        QTest::newRow("unknown key") << a << "tpoic: unknown key";
        a = apns();
        a["ca_file"] = "garbage.p8";
        QTest::newRow("ca without cert") << a << "no PEM certificate";
        QTest::newRow("cert without key")
            << Section{{"type", "apns"}, {"cert_file", "client.pem"}} << "key_file";
        QTest::newRow("fcm no file") << Section{{"type", "fcm"}} << "service_account_file: missing";
        QTest::newRow("fcm not json")
            << Section{{"type", "fcm"}, {"service_account_file", "notjson.json"}} << "is not JSON";
        QTest::newRow("fcm wrong file")
            << Section{{"type", "fcm"}, {"service_account_file", "client.pem"}} << "is not JSON";
        QTest::newRow("fcm bad endpoint")
            << Section{{"type", "fcm"}, {"service_account_file", "sa.json"}, {"endpoint", "h:99999"}}
            << "host:port";
    }
    void errors()
    {
        QFETCH(Section, section);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(!parse(section, &error).has_value());
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("[push.test]")), qPrintable(error));
        QVERIFY2(error.startsWith(m_conf), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(tst_ProviderConfig)
#include "tst_ProviderConfig.moc"
