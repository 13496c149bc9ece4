#include "monitor/imap/MimeText.h"

#include <QTest>

using namespace herald;

class tst_MimeText : public QObject
{
    Q_OBJECT

private slots:
    void encodedWords_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain ascii") << QByteArray("Hello world") << QStringLiteral("Hello world");
        QTest::newRow("utf-8 B") << QByteArray("=?UTF-8?B?w4lyaWM=?=") << QStringLiteral("Éric");
        QTest::newRow("utf-8 Q lower") << QByteArray("=?utf-8?q?caf=C3=A9_cr=C3=A8me?=") << QStringLiteral("café crème");
        QTest::newRow("latin1 Q") << QByteArray("=?ISO-8859-1?Q?Andr=E9?=") << QStringLiteral("André");
        QTest::newRow("latin1 B") << QByteArray("=?iso-8859-1?b?QW5kcuk=?=") << QStringLiteral("André");
        QTest::newRow("adjacent words join") << QByteArray("=?UTF-8?Q?a?= =?UTF-8?Q?b?=") << QStringLiteral("ab");
        QTest::newRow("folded adjacent words join") << QByteArray("=?UTF-8?Q?a?=\r\n =?UTF-8?Q?b?=") << QStringLiteral("ab");
        QTest::newRow("text around words") << QByteArray("Re: =?UTF-8?B?5L2g5aW9?= again")
                                           << QStringLiteral("Re: 你好 again");
        QTest::newRow("language suffix") << QByteArray("=?UTF-8*en?Q?hi?=") << QStringLiteral("hi");
        QTest::newRow("unknown charset kept") << QByteArray("=?x-nonsense?Q?hi?=") << QStringLiteral("=?x-nonsense?Q?hi?=");
        QTest::newRow("bad encoding kept") << QByteArray("=?UTF-8?X?hi?=") << QStringLiteral("=?UTF-8?X?hi?=");
        QTest::newRow("unterminated kept") << QByteArray("=?UTF-8?Q?hi") << QStringLiteral("=?UTF-8?Q?hi");
        QTest::newRow("raw utf-8") << QByteArray("Gr\xc3\xbc\xc3\x9f" "e") << QStringLiteral("Grüße");
        QTest::newRow("raw latin1") << QByteArray("Gr\xfc\xdf" "e") << QStringLiteral("Grüße");
        QTest::newRow("control chars removed") << QByteArray("a\tb\x01 c") << QStringLiteral("a b c");
    }

    void encodedWords()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, expected);
        QCOMPARE(MimeText::decodeHeader(raw), expected);
    }

    void quotedPrintable()
    {
        QCOMPARE(MimeText::decodeQuotedPrintable("a=3Db=\r\nc"), QByteArray("a=bc"));
        QCOMPARE(MimeText::decodeQuotedPrintable("a_b", true), QByteArray("a b"));
        QCOMPARE(MimeText::decodeQuotedPrintable("a_b", false), QByteArray("a_b"));
        QCOMPARE(MimeText::decodeQuotedPrintable("cut=C"), QByteArray("cut")); // excerpt cut inside an escape
    }

    void excerpts()
    {
        QCOMPARE(MimeText::excerpt("Hello\r\n\r\nworld", "7bit", "us-ascii", 100), QStringLiteral("Hello world"));
        QCOMPARE(MimeText::excerpt("Caf=E9=\r\n au lait", "quoted-printable", "iso-8859-1", 100),
                 QStringLiteral("Café au lait"));
        // Base64 cut in the middle of a quantum and of a UTF-8 sequence.
        const QByteArray b64 = QByteArray("Grüße aus Köln").toBase64();
        QCOMPARE(MimeText::excerpt(b64.left(10), "base64", "utf-8", 100), QStringLiteral("Grüß"));
        QCOMPARE(MimeText::excerpt("abcdef", "8bit", "utf-8", 3), QStringLiteral("abc"));
        QCOMPARE(MimeText::excerpt("\xe4\xbd\xa0\xe5", "8bit", "utf-8", 10), QStringLiteral("你"));
    }
};

QTEST_GUILESS_MAIN(tst_MimeText)
#include "tst_MimeText.moc"
