#include "monitor/imap/ImapFetchParser.h"
#include "monitor/imap/ImapResponseParser.h"
#include "monitor/imap/ImapResponseReader.h"

#include <QTest>

using namespace herald;

class tst_ImapResponseParser : public QObject
{
    Q_OBJECT

private:
    static ImapResponse parseOk(const QByteArray &raw)
    {
        ImapResponse r;
        QString error;
        const bool ok = ImapResponseParser::parse(raw, &r, &error);
        if (!ok)
            qWarning() << "parse error:" << error << raw;
        return ok ? r : ImapResponse();
    }

private slots:
    void readerSplitsLinesAndLiterals()
    {
        ImapResponseReader reader;
        QByteArray out;
        QString error;
        reader.append("* OK hi\r\n* 1 FETCH (BODY[] {5}\r\nab");
        QCOMPARE(reader.next(&out, &error), ImapResponseReader::Result::Complete);
        QCOMPARE(out, QByteArray("* OK hi\r\n"));
        QCOMPARE(reader.next(&out, &error), ImapResponseReader::Result::NeedMore);
        reader.append("c\r\n"); // CRLF inside the literal must not end the response
        QCOMPARE(reader.next(&out, &error), ImapResponseReader::Result::NeedMore);
        reader.append("d)\r\na1 OK done\r\n");
        QCOMPARE(reader.next(&out, &error), ImapResponseReader::Result::Complete);
        QCOMPARE(out, QByteArray("* 1 FETCH (BODY[] {5}\r\nabc\r\nd)\r\n"));
        QCOMPARE(reader.next(&out, &error), ImapResponseReader::Result::Complete);
        QCOMPARE(out, QByteArray("a1 OK done\r\n"));
        QCOMPARE(reader.next(&out, &error), ImapResponseReader::Result::NeedMore);
    }

    void readerCapsLineLength()
    {
        ImapResponseReader::Limits limits;
        limits.maxLineBytes = 100;
        ImapResponseReader reader(limits);
        QByteArray out;
        QString error;
        reader.append("* OK " + QByteArray(200, 'x')); // no line end yet: must not wait forever
        QCOMPARE(reader.next(&out, &error), ImapResponseReader::Result::Error);
        QVERIFY(error.contains(QLatin1String("longer")));
    }

    void readerCapsLiteralSize()
    {
        ImapResponseReader::Limits limits;
        limits.maxLiteralBytes = 1000;
        ImapResponseReader reader(limits);
        QByteArray out;
        QString error;
        reader.append("* 1 FETCH (BODY[] {1001}\r\n");
        QCOMPARE(reader.next(&out, &error), ImapResponseReader::Result::Error);
        reader.clear();
        reader.append("* 1 FETCH (BODY[] {99999999999999999}\r\n");
        QCOMPARE(reader.next(&out, &error), ImapResponseReader::Result::Error);
    }

    void readerCapsResponseSize()
    {
        ImapResponseReader::Limits limits;
        limits.maxLiteralBytes = 100;
        limits.maxResponseBytes = 350;
        ImapResponseReader reader(limits);
        QByteArray out;
        QString error;
        // Many small literals in one response add up.
        QByteArray chunk = "{90}\r\n" + QByteArray(90, 'a') + " ";
        reader.append("* 1 FETCH (X " + chunk + chunk + chunk + chunk + chunk);
        QCOMPARE(reader.next(&out, &error), ImapResponseReader::Result::Error);
    }

    void statusResponses()
    {
        ImapResponse r = parseOk("* OK [UIDVALIDITY 1795835986] UIDs valid\r\n");
        QCOMPARE(r.kind, ImapResponse::Kind::Untagged);
        QCOMPARE(r.status, QByteArray("OK"));
        QCOMPARE(r.code, QByteArray("UIDVALIDITY"));
        QCOMPARE(r.codeArgs, QByteArray("1795835986"));
        QCOMPARE(r.text, QByteArray("UIDs valid"));

        r = parseOk("h7 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n");
        QCOMPARE(r.kind, ImapResponse::Kind::Tagged);
        QCOMPARE(r.tag, QByteArray("h7"));
        QCOMPARE(r.status, QByteArray("NO"));
        QCOMPARE(r.code, QByteArray("AUTHENTICATIONFAILED"));

        r = parseOk("* ok Still here\r\n");
        QCOMPARE(r.status, QByteArray("OK"));
        QVERIFY(r.code.isEmpty());

        r = parseOk("+ idling\r\n");
        QCOMPARE(r.kind, ImapResponse::Kind::Continuation);
        QCOMPARE(r.text, QByteArray("idling"));

        r = parseOk("* 23 EXISTS\r\n");
        QCOMPARE(r.number, 23);
        QCOMPARE(r.name, QByteArray("EXISTS"));
    }

    void quotedStringsAndNil()
    {
        ImapResponse r = parseOk("* STATUS \"Lists/\\\"Work\\\" \\\\ x\" (UIDNEXT 5 MESSAGES NIL)\r\n");
        QCOMPARE(r.name, QByteArray("STATUS"));
        QCOMPARE(r.values.size(), 2);
        QVERIFY(r.values.at(0).isString());
        QCOMPARE(r.values.at(0).data, QByteArray("Lists/\"Work\" \\ x"));
        QVERIFY(r.values.at(1).isList());
        QCOMPARE(r.values.at(1).items.size(), 4);
        QCOMPARE(r.values.at(1).items.at(1).number(), 5);
        QVERIFY(r.values.at(1).items.at(3).isNil());
        QCOMPARE(r.values.at(1).items.at(0).number(), -1); // an atom that is not a number
    }

    void literalsInsideLists()
    {
        const QByteArray raw = "* 3 FETCH (UID 9 BODY[1]<0> {12}\r\nline1\r\n(\"x\r\n ENVELOPE (NIL {3}\r\n\"\"\" NIL))\r\n";
        ImapResponse r = parseOk(raw);
        QCOMPARE(r.number, 3);
        QCOMPARE(r.values.size(), 1);
        const QList<ImapValue> &items = r.values.first().items;
        QCOMPARE(items.size(), 6);
        QCOMPARE(items.at(2).data, QByteArray("BODY[1]<0>"));
        QCOMPARE(items.at(3).data, QByteArray("line1\r\n(\"x\r\n")); // parens and quotes in a literal are data
        QCOMPARE(items.at(5).items.at(1).data, QByteArray("\"\"\""));
        QCOMPARE(items.at(5).items.size(), 3);
    }

    void nestedListsAndSections()
    {
        ImapResponse r =
            parseOk("* 1 FETCH (BODY[HEADER.FIELDS (FROM SUBJECT)] \"x\" FLAGS (\\Seen \\Answered) X ((a (b (c))) ()))\r\n");
        const QList<ImapValue> &items = r.values.first().items;
        QCOMPARE(items.at(0).data, QByteArray("BODY[HEADER.FIELDS (FROM SUBJECT)]"));
        QCOMPARE(items.at(3).items.at(0).data, QByteArray("\\Seen"));
        const ImapValue &deep = items.at(5);
        QCOMPARE(deep.items.size(), 2);
        QCOMPARE(deep.items.at(0).items.at(1).items.at(1).items.at(0).data, QByteArray("c"));
        QVERIFY(deep.items.at(1).isList());
        QVERIFY(deep.items.at(1).items.isEmpty());
    }

    void malformedInputIsRejected_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::newRow("unterminated list") << QByteArray("* 1 FETCH (UID 4 (a b)\r\n");
        QTest::newRow("stray paren") << QByteArray("* 1 FETCH (UID 4))\r\n");
        QTest::newRow("unterminated quote") << QByteArray("* 1 FETCH (X \"abc)\r\n");
        QTest::newRow("bad escape") << QByteArray("* 1 FETCH (X \"a\\b\")\r\n");
        QTest::newRow("literal past end") << QByteArray("* 1 FETCH (X {50}\r\nshort)\r\n");
        QTest::newRow("literal without CRLF") << QByteArray("* 1 FETCH (X {3}abc)\r\n");
        QTest::newRow("tagged garbage") << QByteArray("a1 MAYBE done\r\n");
        QTest::newRow("tagged BYE") << QByteArray("a1 BYE done\r\n");
        QTest::newRow("empty") << QByteArray("\r\n");
        QTest::newRow("huge number") << QByteArray("* 99999999999 EXISTS\r\n");
        QTest::newRow("unterminated bracket") << QByteArray("* 1 FETCH (BODY[TEXT 5)\r\n");
        QTest::newRow("deep nesting") << QByteArray("* 1 FETCH " + QByteArray(100, '(') + QByteArray(100, ')') + "\r\n");
    }

    void malformedInputIsRejected()
    {
        QFETCH(QByteArray, raw);
        ImapResponse r;
        QString error;
        QVERIFY(!ImapResponseParser::parse(raw, &r, &error));
        QVERIFY(!error.isEmpty());
    }

    void unknownUntaggedDataIsKeptAsText()
    {
        // Extensions we do not use may contain anything; they must not break the session.
        ImapResponse r = parseOk("* XWEIRD [unbalanced ( \"quote\r\n");
        QCOMPARE(r.name, QByteArray("XWEIRD"));
        QVERIFY(r.values.isEmpty());
    }

    void envelopeIsDecoded()
    {
        ImapResponse r = parseOk(
            "* 1 FETCH (UID 17 INTERNALDATE \"28-Nov-2026 04:19:46 +0100\" ENVELOPE (\"Sat, 28 Nov 2026 03:00:00 +0000\" "
            "\"=?ISO-8859-1?Q?Caf=E9_au_lait?=\" ((\"=?UTF-8?B?w4lyaWM=?= Dupont\" NIL \"eric\" \"example.org\")) NIL NIL "
            "NIL NIL NIL NIL \"<a@b>\"))\r\n");
        ImapMessage m;
        ImapFetchParser::Result result;
        QString error;
        QVERIFY2(ImapFetchParser::parse(r, &m, &result, &error), qPrintable(error));
        QCOMPARE(result.uid, 17u);
        QVERIFY(result.hasEnvelope);
        QCOMPARE(m.subject, QStringLiteral("Café au lait"));
        QCOMPARE(m.senderName, QStringLiteral("Éric Dupont"));
        QCOMPARE(m.senderAddress, QStringLiteral("eric@example.org"));
        QCOMPARE(m.messageId, QStringLiteral("<a@b>"));
        QCOMPARE(m.date, QDateTime(QDate(2026, 11, 28), QTime(3, 0), Qt::UTC));
    }

    void internalDateIsTheFallback()
    {
        QCOMPARE(ImapFetchParser::parseInternalDate("28-Nov-2026 04:19:46 +0100"),
                 QDateTime(QDate(2026, 11, 28), QTime(3, 19, 46), Qt::UTC));
        QCOMPARE(ImapFetchParser::parseInternalDate(" 8-Nov-2026 04:19:46 -0030"),
                 QDateTime(QDate(2026, 11, 8), QTime(4, 49, 46), Qt::UTC));
        QVERIFY(!ImapFetchParser::parseInternalDate("yesterday").isValid());
    }

    void malformedEnvelopeIsAnError()
    {
        ImapResponse r = parseOk("* 1 FETCH (UID 17 ENVELOPE (\"date\" \"subject\"))\r\n");
        ImapMessage m;
        ImapFetchParser::Result result;
        QString error;
        QVERIFY(!ImapFetchParser::parse(r, &m, &result, &error));
        r = parseOk("* 1 FETCH (UID 0 ENVELOPE NIL)\r\n");
        QVERIFY(!ImapFetchParser::parse(r, &m, &result, &error));
        r = parseOk("* 1 FETCH (UID 4 ENVELOPE)\r\n");
        QVERIFY(!ImapFetchParser::parse(r, &m, &result, &error));
    }

    void oddAddressesAreTolerated()
    {
        // A group marker first, then an address with a list where a string belongs.
        ImapResponse r = parseOk("* 1 FETCH (UID 5 ENVELOPE (NIL NIL ((NIL NIL \"team\" NIL) ((\"x\") NIL \"bob\" "
                                 "\"example.org\")) NIL NIL NIL NIL NIL NIL NIL))\r\n");
        ImapMessage m;
        ImapFetchParser::Result result;
        QString error;
        QVERIFY2(ImapFetchParser::parse(r, &m, &result, &error), qPrintable(error));
        QCOMPARE(m.senderAddress, QStringLiteral("bob@example.org"));
        QVERIFY(m.senderName.isEmpty());
        QVERIFY(m.subject.isEmpty());
    }

    void bodyStructureFindsThePlainPart()
    {
        ImapResponse r = parseOk(
            "* 1 FETCH (UID 5 BODYSTRUCTURE ((\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 10 1 NIL NIL NIL)"
            "((\"text\" \"plain\" (\"charset\" \"iso-8859-1\") NIL NIL \"quoted-printable\" 10 1 NIL NIL NIL)"
            "(\"image\" \"png\" NIL NIL NIL \"base64\" 10 NIL NIL NIL) \"related\") \"alternative\"))\r\n");
        ImapMessage m;
        ImapFetchParser::Result result;
        QString error;
        QVERIFY2(ImapFetchParser::parse(r, &m, &result, &error), qPrintable(error));
        QCOMPARE(m.textSection, QByteArray("2.1"));
        QCOMPARE(m.textEncoding, QByteArray("quoted-printable"));
        QCOMPARE(m.textCharset, QByteArray("iso-8859-1"));

        r = parseOk("* 1 FETCH (UID 5 BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"BASE64\" 6 1))\r\n");
        ImapMessage single;
        QVERIFY(ImapFetchParser::parse(r, &single, &result, &error));
        QCOMPARE(single.textSection, QByteArray("1"));
    }
};

QTEST_GUILESS_MAIN(tst_ImapResponseParser)
#include "tst_ImapResponseParser.moc"
