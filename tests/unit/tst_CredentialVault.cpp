#include "registry/CredentialVault.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace herald;

class tst_CredentialVault : public QObject
{
    Q_OBJECT

private:
    static mode_t modeOf(const QString &path)
    {
        struct stat st {};
        ::stat(QFile::encodeName(path).constData(), &st);
        return st.st_mode & 07777;
    }

private slots:
    void createsKeyFileWith0600AndRoundTrips()
    {
        QTemporaryDir dir;
        const QString keyFile = dir.filePath(QStringLiteral("vault.key"));
        QString error;
        auto vault = CredentialVault::open(keyFile, &error);
        QVERIFY2(vault, qPrintable(error));
        QCOMPARE(modeOf(keyFile), mode_t(0600));
        QCOMPARE(QFileInfo(keyFile).size(), qint64(CredentialVault::KeyBytes));

        const QByteArray secret = R"({"username":"alice","password":"s3cret"})";
        const QByteArray record = vault->encrypt(secret, "alice\0mail");
        QCOMPARE(record.size(), 1 + 12 + secret.size() + 16);
        QVERIFY(!record.contains("s3cret"));
        QCOMPARE(vault->decrypt(record, "alice\0mail").value_or(QByteArray()), secret);

        // The same key file opens again and reads old records.
        auto reopened = CredentialVault::open(keyFile, &error);
        QVERIFY2(reopened, qPrintable(error));
        QCOMPARE(reopened->decrypt(record, "alice\0mail").value_or(QByteArray()), secret);
    }

    void freshNoncePerRecord()
    {
        auto vault = CredentialVault::fromKey(QByteArray(32, 'k'), nullptr);
        QVERIFY(vault);
        const QByteArray a = vault->encrypt("same", "aad");
        const QByteArray b = vault->encrypt("same", "aad");
        QVERIFY(a != b);
        QVERIFY(a.mid(1, 12) != b.mid(1, 12));
    }

    void emptyPlaintextAndAad()
    {
        auto vault = CredentialVault::fromKey(QByteArray(32, 'k'), nullptr);
        const QByteArray record = vault->encrypt(QByteArray(), QByteArray());
        QCOMPARE(vault->decrypt(record, QByteArray()).value_or("x"), QByteArray());
        QVERIFY(!vault->decrypt(record, "something"));
    }

    void tamperingFails_data()
    {
        QTest::addColumn<int>("position");
        QTest::newRow("version") << 0;
        QTest::newRow("nonce") << 5;
        QTest::newRow("ciphertext") << 20;
        QTest::newRow("tag") << -1;
    }

    void tamperingFails()
    {
        QFETCH(int, position);
        auto vault = CredentialVault::fromKey(QByteArray(32, 'k'), nullptr);
        QByteArray record = vault->encrypt("a fairly long secret value", "aad");
        const int at = position < 0 ? record.size() - 3 : position;
        record[at] = char(record.at(at) ^ 0x01);
        QString error;
        QVERIFY(!vault->decrypt(record, "aad", &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!error.contains(QLatin1String("secret")));
    }

    void wrongAadFails()
    {
        auto vault = CredentialVault::fromKey(QByteArray(32, 'k'), nullptr);
        const QByteArray record = vault->encrypt("pw", QByteArray("alice\0mail", 10));
        QVERIFY(!vault->decrypt(record, QByteArray("bob\0mail", 8)));
        QVERIFY(!vault->decrypt(record, QByteArray()));
    }

    void wrongKeyFails()
    {
        auto one = CredentialVault::fromKey(QByteArray(32, 'a'), nullptr);
        auto two = CredentialVault::fromKey(QByteArray(32, 'b'), nullptr);
        QVERIFY(!two->decrypt(one->encrypt("pw", "aad"), "aad"));
    }

    void truncatedInputFails()
    {
        auto vault = CredentialVault::fromKey(QByteArray(32, 'k'), nullptr);
        const QByteArray record = vault->encrypt("password", "aad");
        for (int n : {0, 1, 12, 28, int(record.size()) - 1}) {
            QString error;
            QVERIFY2(!vault->decrypt(record.left(n), "aad", &error), qPrintable(QString::number(n)));
            QVERIFY(!error.isEmpty());
        }
    }

    void refusesBadKeyFiles()
    {
        QTemporaryDir dir;
        QString error;

        const QString wide = dir.filePath(QStringLiteral("wide.key"));
        QFile f(wide);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(32, 'x'));
        f.close();
        ::chmod(QFile::encodeName(wide).constData(), 0644);
        QVERIFY(!CredentialVault::open(wide, &error));
        QVERIFY2(error.contains(QLatin1String("0644")) && error.contains(QLatin1String("chmod 600")), qPrintable(error));

        const QString shortKey = dir.filePath(QStringLiteral("short.key"));
        QFile g(shortKey);
        QVERIFY(g.open(QIODevice::WriteOnly));
        g.write(QByteArray(16, 'x'));
        g.close();
        ::chmod(QFile::encodeName(shortKey).constData(), 0600);
        QVERIFY(!CredentialVault::open(shortKey, &error));
        QVERIFY2(error.contains(QLatin1String("16 bytes")), qPrintable(error));

        QVERIFY(!CredentialVault::open(dir.path(), &error)); // a folder
        QVERIFY2(error.contains(QLatin1String("regular file")), qPrintable(error));

        QVERIFY(!CredentialVault::open(dir.filePath(QStringLiteral("missing/dir/vault.key")), &error));
        QVERIFY(!error.isEmpty());

        QVERIFY(!CredentialVault::fromKey(QByteArray(31, 'k'), &error));
    }
};

QTEST_GUILESS_MAIN(tst_CredentialVault)
#include "tst_CredentialVault.moc"
