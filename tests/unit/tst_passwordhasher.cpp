#include "registry/DeviceToken.h"
#include "registry/PasswordHasher.h"

#include <QtTest>

using namespace herald;

class tst_PasswordHasher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hashAndVerify()
    {
        const PasswordHasher hasher(256, 1);
        const QString hash = hasher.hash(QStringLiteral("pässwörd 123"));
        QVERIFY(hash.startsWith(QStringLiteral("$argon2id$v=19$m=256,t=1,p=1$")));
        QVERIFY(!hash.contains(QStringLiteral("pässwörd")));
        QVERIFY(hasher.verify(QStringLiteral("pässwörd 123"), hash));
        QVERIFY(!hasher.verify(QStringLiteral("pässwörd 124"), hash));
        QVERIFY(hash != hasher.hash(QStringLiteral("pässwörd 123"))); // salted
        // Hashes made with other costs keep verifying after the configuration changes.
        QVERIFY(PasswordHasher(512, 2).verify(QStringLiteral("pässwörd 123"), hash));
    }

    void hostileInput()
    {
        const PasswordHasher hasher(256, 1);
        QVERIFY(hasher.hash(QString(PasswordHasher::MaxPasswordBytes + 1, QLatin1Char('x'))).isEmpty());
        QVERIFY(!hasher.verify(QStringLiteral("x"), QString()));
        QVERIFY(!hasher.verify(QStringLiteral("x"), QStringLiteral("$argon2id$garbage")));
        QVERIFY(!hasher.verify(QStringLiteral("x"), QStringLiteral("$argon2i$v=19$m=256,t=1,p=1$c2FsdHNhbHQ$aGFzaA")));
        QVERIFY(!hasher.verify(QStringLiteral("x"), QStringLiteral("plaintext")));
    }

    void deviceTokens()
    {
        const QString a = DeviceToken::generate();
        QVERIFY(DeviceToken::looksValid(a));
        QCOMPARE(a.size(), 43);
        QVERIFY(a != DeviceToken::generate());
        QCOMPARE(DeviceToken::hash(a).size(), 32);
        // Stored hashes of tokens issued before must keep matching: plain SHA-256 of the Latin-1 text.
        QCOMPARE(DeviceToken::hash(QStringLiteral("abc")).toHex(),
                 QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(DeviceToken::hash(a), QCryptographicHash::hash(a.toLatin1(), QCryptographicHash::Sha256));
        QCOMPARE(DeviceToken::hash(QString()), QCryptographicHash::hash(QByteArray(), QCryptographicHash::Sha256));
        QVERIFY(!DeviceToken::looksValid(QStringLiteral("short")));
        QVERIFY(!DeviceToken::looksValid(QString(200, QLatin1Char('a'))));
        QVERIFY(!DeviceToken::looksValid(QStringLiteral("aaaaaaaaaaaaaaaaaaaa'; DROP TABLE devices;--")));
    }
};

QTEST_GUILESS_MAIN(tst_PasswordHasher)
#include "tst_passwordhasher.moc"
