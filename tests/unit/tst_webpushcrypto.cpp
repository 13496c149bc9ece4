// RFC 8291 message encryption (common/crypto/WebPushCrypto): the RFC's own test vector byte for
// byte, round trips, and every way a hostile or broken blob must fail with a clear reason.
#include <QTest>

#include "crypto/EcP256Key.h"
#include "crypto/WebPushCrypto.h"

#include <openssl/err.h>

using namespace herald;

namespace {

// RFC 8291 Appendix A.
const QByteArray kPlaintext("When I grow up, I want to be a watermelon");
const QByteArray kSenderPrivate("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw");
const QByteArray kSenderPublic(
    "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8");
const QByteArray kReceiverPrivate("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94");
const QByteArray kReceiverPublic(
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4");
const QByteArray kSalt("DGv6ra1nlYgDCS1FRnbzlw");
const QByteArray kAuthSecret("BTBZMqHH6r4Tts7J_aSIgg");
const QByteArray kMessage(
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6Tlz"
    "AC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN");

QByteArray b64(const QByteArray &text)
{
    return QByteArray::fromBase64(text, QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

EcP256Key receiverKey()
{
    return EcP256Key::fromPrivateBytes(b64(kReceiverPrivate));
}

} // namespace

class tst_WebPushCrypto : public QObject
{
    Q_OBJECT
private slots:
    void keysOfTheVector()
    {
        const EcP256Key sender = EcP256Key::fromPrivateBytes(b64(kSenderPrivate));
        QVERIFY(!sender.isNull());
        QCOMPARE(sender.publicPoint(), b64(kSenderPublic));
        QCOMPARE(sender.privateBytes(), b64(kSenderPrivate));
        QCOMPARE(receiverKey().publicPoint(), b64(kReceiverPublic));
        // Both ends reach the same ECDH secret.
        const EcP256Key receiverPublic = EcP256Key::fromPublicPoint(b64(kReceiverPublic));
        QCOMPARE(sender.sharedSecret(receiverPublic),
                 receiverKey().sharedSecret(EcP256Key::fromPublicPoint(b64(kSenderPublic))));
        QCOMPARE(sender.sharedSecret(receiverPublic).size(), 32);
    }

    void rfc8291VectorEncryptsExactly()
    {
        const EcP256Key sender = EcP256Key::fromPrivateBytes(b64(kSenderPrivate));
        QString error;
        const auto blob = WebPushCrypto::encryptWith(kPlaintext, b64(kReceiverPublic), b64(kAuthSecret), sender,
                                                     b64(kSalt), 4096, &error);
        QVERIFY2(blob, qPrintable(error));
        QCOMPARE(blob->toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals), kMessage);
        QCOMPARE(blob->size(), kPlaintext.size() + WebPushCrypto::kOverheadBytes);
    }

    void rfc8291VectorDecrypts()
    {
        QString error;
        const auto plaintext = WebPushCrypto::decrypt(b64(kMessage), receiverKey(), b64(kAuthSecret), &error);
        QVERIFY2(plaintext, qPrintable(error));
        QCOMPARE(*plaintext, kPlaintext);
    }

    void roundTripWithFreshKeys_data()
    {
        QTest::addColumn<QByteArray>("plaintext");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("utf8") << QStringLiteral("收到来自 Alice 的新邮件").toUtf8();
        QTest::newRow("ends in zero bytes") << QByteArray("abc\0\0", 5);
        QTest::newRow("ends in 0x02") << QByteArray("abc\x02");
        QTest::newRow("largest Web Push payload") << QByteArray(4096 - WebPushCrypto::kOverheadBytes, 'x');
    }

    void roundTripWithFreshKeys()
    {
        QFETCH(QByteArray, plaintext);
        const EcP256Key receiver = EcP256Key::generate();
        const QByteArray auth = QByteArray::fromHex("00112233445566778899aabbccddeeff");
        QString error;
        const auto blob = WebPushCrypto::encrypt(plaintext, receiver.publicPoint(), auth, &error);
        QVERIFY2(blob, qPrintable(error));
        QCOMPARE(blob->size(), plaintext.size() + WebPushCrypto::kOverheadBytes);
        const auto again = WebPushCrypto::encrypt(plaintext, receiver.publicPoint(), auth);
        QVERIFY(*again != *blob); // fresh sender key and salt every time
        const auto opened = WebPushCrypto::decrypt(*blob, receiver, auth, &error);
        QVERIFY2(opened, qPrintable(error));
        QCOMPARE(*opened, plaintext);
    }

    void hostileBlobsFailClearly_data()
    {
        QTest::addColumn<QByteArray>("blob");
        QTest::addColumn<QString>("expected");
        const QByteArray good = b64(kMessage);
        QTest::newRow("empty") << QByteArray() << QStringLiteral("truncated header");
        QTest::newRow("salt only") << good.left(16) << QStringLiteral("truncated header");
        QTest::newRow("header cut in the key") << good.left(60) << QStringLiteral("truncated header");
        QTest::newRow("header only") << good.left(WebPushCrypto::kHeaderBytes) << QStringLiteral("truncated record");
        QTest::newRow("record cut") << good.left(good.size() - 1) << QStringLiteral("authentication failed");
        QByteArray rs0 = good;
        rs0[16] = rs0[17] = rs0[18] = rs0[19] = 0;
        QTest::newRow("record size 0") << rs0 << QStringLiteral("bad record size 0");
        QByteArray rs17 = rs0;
        rs17[19] = 17;
        QTest::newRow("record size 17") << rs17 << QStringLiteral("bad record size 17");
        QByteArray rsSmall = rs0;
        rsSmall[19] = 40; // smaller than the record that follows: a second record would follow
        QTest::newRow("two records") << rsSmall << QStringLiteral("more than one record");
        QByteArray idlen = good;
        idlen[20] = 64;
        QTest::newRow("key id length") << idlen << QStringLiteral("bad key id length 64");
        QByteArray offCurve = good;
        offCurve[21 + 40] = char(offCurve[21 + 40] ^ 1);
        QTest::newRow("sender key off the curve") << offCurve << QStringLiteral("not a point on the P-256 curve");
        QByteArray compressed = good;
        compressed[21] = 0x02;
        QTest::newRow("compressed sender key") << compressed << QStringLiteral("uncompressed point");
        QByteArray tampered = good;
        tampered[WebPushCrypto::kHeaderBytes + 3] = char(tampered[WebPushCrypto::kHeaderBytes + 3] ^ 0x20);
        QTest::newRow("ciphertext flipped") << tampered << QStringLiteral("authentication failed");
        QByteArray salt = good;
        salt[0] = char(salt[0] ^ 1);
        QTest::newRow("salt changed") << salt << QStringLiteral("authentication failed");
    }

    void hostileBlobsFailClearly()
    {
        QFETCH(QByteArray, blob);
        QFETCH(QString, expected);
        QString error;
        const auto plaintext = WebPushCrypto::decrypt(blob, receiverKey(), b64(kAuthSecret), &error);
        QVERIFY(!plaintext);
        QVERIFY2(error.contains(expected), qPrintable(error));
        QCOMPARE(ERR_peek_error(), 0ul);
    }

    void wrongKeysFail()
    {
        QString error;
        QVERIFY(!WebPushCrypto::decrypt(b64(kMessage), EcP256Key::generate(), b64(kAuthSecret), &error));
        QVERIFY2(error.contains(QLatin1String("authentication failed")), qPrintable(error));
        QByteArray auth = b64(kAuthSecret);
        auth[0] = char(auth[0] ^ 1);
        QVERIFY(!WebPushCrypto::decrypt(b64(kMessage), receiverKey(), auth, &error));
        QVERIFY2(error.contains(QLatin1String("authentication failed")), qPrintable(error));
        QVERIFY(!WebPushCrypto::decrypt(b64(kMessage), receiverKey(), auth.left(15), &error));
        QVERIFY2(error.contains(QLatin1String("auth secret must be 16 bytes, not 15")), qPrintable(error));
        QVERIFY(!WebPushCrypto::decrypt(b64(kMessage), EcP256Key::fromPublicPoint(b64(kReceiverPublic)),
                                        b64(kAuthSecret), &error));
        QVERIFY2(error.contains(QLatin1String("private key")), qPrintable(error));
    }

    // Padding is inside the authenticated record, so these blobs are sealed properly and still
    // wrong: the delimiter must be 2 (last record), and something must precede the zeros.
    void badPaddingFails_data()
    {
        QTest::addColumn<QByteArray>("record");
        QTest::addColumn<QString>("expected");
        QTest::newRow("all zeros") << QByteArray(8, '\0') << QStringLiteral("no record delimiter");
        QTest::newRow("delimiter 1") << QByteArray("hello\x01\0\0", 8) << QStringLiteral("not marked as the last record");
        QTest::newRow("delimiter 7") << QByteArray("hello\x07", 6) << QStringLiteral("delimiter byte 7");
    }

    void badPaddingFails()
    {
        QFETCH(QByteArray, record);
        QFETCH(QString, expected);
        const EcP256Key receiver = EcP256Key::generate();
        const QByteArray auth(16, 'a');
        const auto blob = WebPushCrypto::sealRecord(record, receiver.publicPoint(), auth, EcP256Key::generate(),
                                                    QByteArray(16, 's'), 4096);
        QVERIFY(blob);
        QString error;
        QVERIFY(!WebPushCrypto::decrypt(*blob, receiver, auth, &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void zeroPaddingIsStripped()
    {
        const EcP256Key receiver = EcP256Key::generate();
        const QByteArray auth(16, 'a');
        const auto blob = WebPushCrypto::sealRecord(QByteArray("hi\x02\0\0\0", 6), receiver.publicPoint(), auth,
                                                    EcP256Key::generate(), QByteArray(16, 's'), 4096);
        QVERIFY(blob);
        QCOMPARE(WebPushCrypto::decrypt(*blob, receiver, auth).value_or("(failed)"), QByteArray("hi"));
    }

    void badReceiverKeysAreRefused_data()
    {
        QTest::addColumn<QByteArray>("point");
        QTest::addColumn<QString>("expected");
        const QByteArray good = b64(kReceiverPublic);
        QTest::newRow("short") << good.left(64) << QStringLiteral("not 64 bytes");
        QTest::newRow("long") << good + 'x' << QStringLiteral("not 66 bytes");
        QByteArray compressed = good.left(33);
        compressed[0] = 0x03;
        QTest::newRow("compressed") << compressed << QStringLiteral("not 33 bytes");
        QByteArray prefix = good;
        prefix[0] = 0x05;
        QTest::newRow("bad prefix") << prefix << QStringLiteral("first byte 0x04");
        QByteArray off = good;
        off[64] = char(off[64] ^ 1);
        QTest::newRow("off curve") << off << QStringLiteral("not a point on the P-256 curve");
        QByteArray zero(65, '\0');
        zero[0] = 0x04;
        QTest::newRow("zero point") << zero << QStringLiteral("not a point on the P-256 curve");
        QByteArray big(65, '\xff');
        big[0] = 0x04;
        QTest::newRow("coordinates past p") << big << QStringLiteral("not a point on the P-256 curve");
    }

    void badReceiverKeysAreRefused()
    {
        QFETCH(QByteArray, point);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(EcP256Key::fromPublicPoint(point, &error).isNull());
        QVERIFY2(error.contains(expected), qPrintable(error));
        // Nothing left in OpenSSL's error queue, where it would fail this thread's next TLS read.
        QCOMPARE(ERR_peek_error(), 0ul);
        QVERIFY(!WebPushCrypto::encrypt("x", point, QByteArray(16, 'a'), &error));
        QVERIFY2(error.startsWith(QLatin1String("receiver key ")), qPrintable(error));
    }

    void plaintextTooLargeForItsRecord()
    {
        QString error;
        const EcP256Key sender = EcP256Key::generate();
        QVERIFY(!WebPushCrypto::encryptWith(QByteArray(4080, 'x'), b64(kReceiverPublic), b64(kAuthSecret), sender,
                                            b64(kSalt), 4096, &error));
        QVERIFY2(error.contains(QLatin1String("do not fit one record")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(tst_WebPushCrypto)
#include "tst_webpushcrypto.moc"
