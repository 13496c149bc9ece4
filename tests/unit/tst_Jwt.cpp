// ES256/RS256 signing in common/crypto, checked with OpenSSL verification (the stand-ins' verifier).
#include <QJsonObject>
#include <QTest>

#include "JwtVerifier.h"
#include "TestPki.h"
#include "crypto/Jwt.h"

using namespace herald;
using namespace herald::standin;

class tst_Jwt : public QObject
{
    Q_OBJECT
private slots:
    void base64UrlRoundTrip()
    {
        const QByteArray data("\xfb\xff\xfe?>", 5);
        const QByteArray enc = Jwt::base64Url(data);
        QVERIFY(!enc.contains('+') && !enc.contains('/') && !enc.contains('='));
        QCOMPARE(Jwt::fromBase64Url(enc), data);
        QVERIFY(Jwt::fromBase64Url("not*base64").isEmpty());
    }

    void es256SignsVerifiableRawSignature()
    {
        const QByteArray pem = TestPki::ecP256PrivateKey();
        const PrivateKey key = PrivateKey::fromPem(pem);
        QCOMPARE(int(key.kind()), int(PrivateKey::Kind::EcP256));
        const JwtVerifier verifier(TestPki::publicKeyOf(pem), JwtVerifier::Algorithm::ES256);
        // Many signatures, so short r/s values (leading zero bytes) are covered.
        for (int i = 0; i < 200; ++i) {
            const QByteArray token =
                Jwt::signEs256(QJsonObject{{"kid", "KEY0000001"}},
                               QJsonObject{{"iss", "TEAM000001"}, {"iat", 1700000000 + i}}, key);
            QVERIFY(!token.isEmpty());
            QJsonObject header, claims;
            QByteArray input, sig;
            QVERIFY(Jwt::decode(token, &header, &claims, &input, &sig));
            QCOMPARE(sig.size(), 64);
            QCOMPARE(header.value("alg").toString(), QStringLiteral("ES256"));
            QCOMPARE(header.value("kid").toString(), QStringLiteral("KEY0000001"));
            QCOMPARE(claims.value("iss").toString(), QStringLiteral("TEAM000001"));
            QString error;
            QVERIFY2(verifier.verify(token, &header, &claims, &error), qPrintable(error));
        }
    }

    void tamperedTokenFailsVerification()
    {
        const QByteArray pem = TestPki::ecP256PrivateKey();
        const JwtVerifier verifier(TestPki::publicKeyOf(pem), JwtVerifier::Algorithm::ES256);
        QByteArray token = Jwt::signEs256({}, QJsonObject{{"iss", "A"}}, PrivateKey::fromPem(pem));
        const QList<QByteArray> parts = token.split('.');
        const QByteArray forged = parts[0] + '.' + Jwt::base64Url(R"({"iss":"B"})") + '.' + parts[2];
        QJsonObject h, c;
        QString error;
        QVERIFY(!verifier.verify(forged, &h, &c, &error));
        QVERIFY(!verifier.verify("a.b", &h, &c, &error));
    }

    void derRawConversionPads()
    {
        QByteArray raw(64, '\0');
        raw[31] = 1; // r = 1
        raw[63] = 2; // s = 2
        const QByteArray der = Jwt::rawToDerEcdsa(raw);
        QVERIFY(!der.isEmpty());
        QCOMPARE(Jwt::derToRawEcdsa(der), raw);
        QVERIFY(Jwt::derToRawEcdsa("garbage").isEmpty());
    }

    void rs256SignsVerifiably()
    {
        const QByteArray pem = TestPki::rsaPrivateKey();
        const PrivateKey key = PrivateKey::fromPem(pem);
        QCOMPARE(int(key.kind()), int(PrivateKey::Kind::Rsa));
        const QByteArray token = Jwt::signRs256({}, QJsonObject{{"iss", "sa@example"}}, key);
        const JwtVerifier verifier(TestPki::publicKeyOf(pem), JwtVerifier::Algorithm::RS256);
        QJsonObject h, c;
        QString error;
        QVERIFY2(verifier.verify(token, &h, &c, &error), qPrintable(error));
        QCOMPARE(h.value("alg").toString(), QStringLiteral("RS256"));
    }

    void wrongKeyKindIsAnError()
    {
        QString error;
        const PrivateKey rsa = PrivateKey::fromPem(TestPki::rsaPrivateKey());
        QVERIFY(Jwt::signEs256({}, {}, rsa, &error).isEmpty());
        QVERIFY(error.contains("P-256"));
        const PrivateKey ec = PrivateKey::fromPem(TestPki::ecP256PrivateKey());
        QVERIFY(Jwt::signRs256({}, {}, ec, &error).isEmpty());
        QVERIFY(PrivateKey::fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", &error)
                    .isNull());
        QVERIFY(!error.isEmpty());
        QVERIFY(PrivateKey::fromPem("", &error).isNull());
    }
};

QTEST_GUILESS_MAIN(tst_Jwt)
#include "tst_Jwt.moc"
