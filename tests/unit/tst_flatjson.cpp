// FlatJsonObject, the fast path for flat JSON bodies, against QJsonDocument: whatever the fast path
// accepts, QJsonDocument must read as the same object; what it is not sure of it must decline.
// Hand-picked cases first, then generated bodies and byte-level mutations of them. Also the
// hand-written format checks against the regular expressions they replace, and JsonFields giving
// the same values and errors whichever way the body was parsed.
// (No raw string literals here: moc 6.4 loses the test class after some of them.)
#include "api/EventsApi.h"
#include "api/FlatJsonObject.h"
#include "api/JsonFields.h"
#include "http/HttpRequest.h"
#include "protocol/TerminalApi.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QtTest>

using namespace herald;

namespace {

// Empty when they agree; otherwise what differs.
QString disagreement(const QByteArray &body)
{
    FlatJsonObject flat;
    if (!flat.parse(body))
        return {};
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return QStringLiteral("flat accepted what QJsonDocument rejects (%1)").arg(error.errorString());
    if (!doc.isObject())
        return QStringLiteral("flat accepted a non-object");
    const QJsonObject object = doc.object();
    if (object != flat.toObject())
        return QStringLiteral("objects differ: %1 vs %2")
            .arg(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)),
                 QString::fromUtf8(QJsonDocument(flat.toObject()).toJson(QJsonDocument::Compact)));
    if (object.size() != flat.size())
        return QStringLiteral("member counts differ");
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QJsonValue v = flat.value(it.key());
        if (v != it.value() || v.type() != it.value().type())
            return QStringLiteral("member %1 differs").arg(it.key());
        // Bit for bit: QJsonValue's == compares strings as strings, and so must this.
        if (v.isString() && v.toString().toUtf8() != it.value().toString().toUtf8())
            return QStringLiteral("member %1 differs in its UTF-16").arg(it.key());
    }
    if (!flat.value(QStringLiteral("\x01not-a-member")).isUndefined())
        return QStringLiteral("an absent member is not undefined");
    return {};
}

QString toHex(const QByteArray &b)
{
    return QString::fromLatin1(b.toHex(' '));
}

// A random string: mostly printable ASCII, with escapes, controls, NUL, Latin-1, BMP, astral
// characters and (for the "declines" side) lone surrogates.
QString randomText(QRandomGenerator &rng, bool loneSurrogates)
{
    QString s;
    const int n = int(rng.bounded(12));
    for (int i = 0; i < n; ++i) {
        switch (rng.bounded(10)) {
        case 0: s += QChar(char16_t(rng.bounded(0x20))); break;           // controls, NUL
        case 1: s += QChar(char16_t(0x80 + rng.bounded(0x780))); break;   // Latin-1 .. 2-byte UTF-8
        case 2: s += QChar(char16_t(0x800 + rng.bounded(0xd000))); break; // 3-byte, below surrogates
        case 3: {                                                         // astral
            const char32_t c = 0x10000 + rng.bounded(0x100000);
            s += QChar(QChar::highSurrogate(c));
            s += QChar(QChar::lowSurrogate(c));
            break;
        }
        case 4: s += QStringLiteral("\"\\/"); break;
        case 6: // now and then a byte-order mark, which QJsonDocument treats specially
            s += rng.bounded(10) ? QChar(char16_t(0x20 + rng.bounded(0x5f))) : QChar(char16_t(0xfeff));
            break;
        case 5:
            if (loneSurrogates) {
                s += QChar(char16_t(0xd800 + rng.bounded(0x800)));
                break;
            }
            Q_FALLTHROUGH();
        default: s += QChar(char16_t(0x20 + rng.bounded(0x5f))); break;
        }
    }
    return s;
}

// JSON text of `s`, escaping in one of several equally valid ways.
QByteArray encode(const QString &s, QRandomGenerator &rng)
{
    QByteArray out = "\"";
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char16_t c = s.at(i).unicode();
        const bool escapeAll = rng.bounded(6) == 0;
        auto u = [&](char16_t unit) { // \u00e9 or \u00E9
            const QByteArray hex = QByteArray::number(unit, 16).rightJustified(4, '0');
            out += "\\u" + (rng.bounded(2) ? hex.toUpper() : hex);
        };
        if (c == '"' || c == '\\') {
            out += '\\';
            out += char(c);
        } else if (c == '/' && rng.bounded(2)) {
            out += "\\/";
        } else if (c < 0x20 || escapeAll) {
            const char *named = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : c == '\b' ? "\\b" : c == '\f' ? "\\f" : nullptr;
            if (named && rng.bounded(2))
                out += named;
            else
                u(c);
        } else if (QChar::isHighSurrogate(c) && i + 1 < s.size() && QChar::isLowSurrogate(s.at(i + 1).unicode())) {
            out += QString(s.mid(i, 2)).toUtf8();
            ++i;
        } else if (QChar::isSurrogate(c)) {
            u(c);
        } else {
            out += QString(QChar(c)).toUtf8();
        }
    }
    return out + '"';
}

QByteArray space(QRandomGenerator &rng)
{
    static const char *spaces[] = {"", "", "", " ", "\n", "\r\n", "\t ", "  "};
    return spaces[rng.bounded(8)];
}

QByteArray randomBody(QRandomGenerator &rng, bool loneSurrogates, int *members)
{
    QByteArray body = space(rng) + '{';
    const int n = int(rng.bounded(7));
    QSet<QString> names;
    bool asciiNames = true;
    for (int i = 0; i < n; ++i) {
        QString name = rng.bounded(8) ? QStringLiteral("k%1").arg(i) : randomText(rng, loneSurrogates);
        names.insert(name);
        asciiNames = asciiNames && std::all_of(name.cbegin(), name.cend(), [](QChar c) { return c.unicode() < 0x80; });
        body += space(rng) + encode(name, rng) + space(rng) + ':' + space(rng);
        body += rng.bounded(8) == 0 ? QByteArray("null") : encode(randomText(rng, loneSurrogates), rng);
        body += space(rng);
        if (i + 1 < n)
            body += ',';
    }
    body += space(rng) + '}' + space(rng);
    *members = int(names.size()) == n && asciiNames ? n : -1; // -1: a repeated or non-ASCII name
    return body;
}

HttpRequest request(const QByteArray &body)
{
    HttpRequest r;
    r.method = "POST";
    r.headers.insert("content-type", "application/json");
    r.body = body;
    return r;
}

// What the events endpoint reads, as one comparable line: values or the first error.
QString readEvent(JsonFields body)
{
    QStringList out;
    out << body.requiredString(QStringLiteral("account"), 128);
    out << body.requiredString(QStringLiteral("app"), 64, &protocol::isAppName);
    out << body.requiredString(QStringLiteral("eventId"), 256, &EventsApi::isEventId);
    out << body.optionalString(QStringLiteral("sender"), 256);
    out << body.optionalString(QStringLiteral("subject"), 10);
    out << (body.has(QStringLiteral("body")) ? QStringLiteral("has body") : QStringLiteral("no body"));
    if (!body.ok())
        return body.error().code + QLatin1Char(' ') + body.error().message;
    return out.join(QLatin1Char('|'));
}

} // namespace

class tst_FlatJson : public QObject
{
    Q_OBJECT

private slots:
    void accepts_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("empty object") << QByteArray("{}");
        QTest::newRow("spaces everywhere") << QByteArray(" \r\n\t{ \"a\" :\t\"b\" ,\n\"c\":null } \n");
        QTest::newRow("event") << QByteArray("{\"account\":\"alice\",\"app\":\"mail\",\"eventId\":\"m-1\",\"sender\":\"Alice <a@example.com>\",\"subject\":\"Hi\",\"body\":\"Hello\\nworld\"}");
        QTest::newRow("escapes") << QByteArray("{\"e\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}");
        QTest::newRow("unicode escapes") << QByteArray("{\"u\":\"\\u0041\\u00e9\\u20AC\\uFFFF\\u0000x\"}");
        QTest::newRow("surrogate pair escaped") << QByteArray("{\"p\":\"\\ud83d\\ude00\"}");
        QTest::newRow("utf-8") << QByteArray("{\"s\":\"gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbe \xf4\x8f\xbf\xbf\"}");
        QTest::newRow("DEL") << QByteArray("{\"d\":\"\x7f\"}");
        QTest::newRow("empty strings") << QByteArray("{\"\":\"\"}");
    }
    void accepts()
    {
        QFETCH(QByteArray, body);
        FlatJsonObject flat;
        QVERIFY2(flat.parse(body), qPrintable(toHex(body)));
        const QString d = disagreement(body);
        QVERIFY2(d.isEmpty(), qPrintable(d));
    }

    void declines_data()
    {
        QTest::addColumn<QByteArray>("body");
        // Valid JSON of another shape: QJsonDocument reads these.
        QTest::newRow("number") << QByteArray("{\"a\":1}");
        QTest::newRow("boolean") << QByteArray("{\"a\":true}");
        QTest::newRow("nested object") << QByteArray("{\"a\":{\"b\":\"c\"}}");
        QTest::newRow("array") << QByteArray("{\"a\":[\"b\"]}");
        QTest::newRow("top-level array") << QByteArray("[\"a\"]");
        QTest::newRow("top-level string") << QByteArray("\"a\"");
        QTest::newRow("repeated name") << QByteArray("{\"a\":\"1\",\"a\":\"2\"}");
        QTest::newRow("lone high surrogate") << QByteArray("{\"a\":\"\\ud800x\"}");
        QTest::newRow("lone low surrogate") << QByteArray("{\"a\":\"\\udc00\"}");
        QTest::newRow("high then high") << QByteArray("{\"a\":\"\\ud800\\ud800\"}");
        QByteArray many = "{";
        for (int i = 0; i <= FlatJsonObject::kMaxMembers; ++i)
            many += (i ? "," : "") + QByteArray("\"k") + QByteArray::number(i) + "\":\"v\"";
        QTest::newRow("too many members") << many + '}';
        // Not JSON, or not sure: QJsonDocument words the error.
        QTest::newRow("empty") << QByteArray("");
        QTest::newRow("BOM") << QByteArray("\xef\xbb\xbf{}");
        QTest::newRow("unterminated object") << QByteArray("{\"a\":\"b\"");
        QTest::newRow("unterminated string") << QByteArray("{\"a\":\"b}");
        QTest::newRow("trailing comma") << QByteArray("{\"a\":\"b\",}");
        QTest::newRow("missing colon") << QByteArray("{\"a\" \"b\"}");
        QTest::newRow("single quotes") << QByteArray("{'a':'b'}");
        QTest::newRow("garbage after") << QByteArray("{\"a\":\"b\"}x");
        QTest::newRow("two objects") << QByteArray("{}{}");
        QTest::newRow("NUL after") << QByteArray("{}\0", 3);
        QTest::newRow("raw newline in string") << QByteArray("{\"a\":\"x\ny\"}");
        QTest::newRow("raw NUL in string") << QByteArray("{\"a\":\"x\0y\"}", 11);
        QTest::newRow("unknown escape") << QByteArray("{\"a\":\"\\a\"}");
        QTest::newRow("short unicode escape") << QByteArray("{\"a\":\"\\u12\"}");
        QTest::newRow("bad hex") << QByteArray("{\"a\":\"\\u12g4\"}");
        QTest::newRow("escape at end") << QByteArray("{\"a\":\"\\");
        QTest::newRow("nul word") << QByteArray("{\"a\":nul}");
        QTest::newRow("NULL") << QByteArray("{\"a\":NULL}");
        QTest::newRow("overlong slash") << QByteArray("{\"a\":\"\xc0\xaf\"}");
        QTest::newRow("overlong 3-byte") << QByteArray("{\"a\":\"\xe0\x80\xaf\"}");
        QTest::newRow("utf-8 surrogate") << QByteArray("{\"a\":\"\xed\xa0\x80\"}");
        QTest::newRow("past U+10FFFF") << QByteArray("{\"a\":\"\xf4\x90\x80\x80\"}");
        QTest::newRow("F5 lead") << QByteArray("{\"a\":\"\xf5\x80\x80\x80\"}");
        QTest::newRow("lone continuation") << QByteArray("{\"a\":\"\x80\"}");
        QTest::newRow("cut sequence") << QByteArray("{\"a\":\"\xe2\x82\"}");
        // QJsonObject orders names beyond ASCII by a rule of its own.
        QTest::newRow("utf-8 name") << QByteArray("{\"n\xc3\xa4me\":\"v\"}");
        QTest::newRow("escaped non-ASCII name") << QByteArray("{\"\\ufeff\":\"v\"}");
        // QJsonDocument drops a BOM that starts a string and keeps one elsewhere.
        QTest::newRow("BOM starting a string") << QByteArray("{\"b\":\"\xef\xbb\xbfx\"}");
        QTest::newRow("BOM after an escape") << QByteArray("{\"c\":\"\\n\xef\xbb\xbf\"}");
        QTest::newRow("Latin-1 byte") << QByteArray("{\"a\":\"caf\xe9\"}");
    }
    void declines()
    {
        QFETCH(QByteArray, body);
        FlatJsonObject flat;
        QVERIFY2(!flat.parse(body), qPrintable(toHex(body)));
    }

    void declinedParseLeavesNothing()
    {
        FlatJsonObject flat;
        QVERIFY(flat.parse("{\"a\":\"1\"}"));
        QCOMPARE(flat.size(), 1);
        QVERIFY(!flat.parse("{\"b\":\"2\",\"c\":3}"));
        QCOMPARE(flat.size(), 1); // as far as it got; callers never read a declined parse
        QVERIFY(flat.parse("{}"));
        QCOMPARE(flat.size(), 0);
        QVERIFY(flat.value(QStringLiteral("a")).isUndefined());
    }

    void generatedBodiesAgree()
    {
        QRandomGenerator rng(20261201);
        int accepted = 0, plain = 0;
        for (int i = 0; i < 20000; ++i) {
            const bool lone = i % 4 == 0;
            int members = 0;
            const QByteArray body = randomBody(rng, lone, &members);
            const QString d = disagreement(body);
            QVERIFY2(d.isEmpty(), qPrintable(d + QStringLiteral(": ") + toHex(body)));
            FlatJsonObject flat;
            const bool ok = flat.parse(body);
            accepted += ok;
            if (!lone && members >= 0 && !body.contains("\xef\xbb\xbf")) {
                ++plain;
                // Flat, ASCII names none repeated, no lone surrogates, no raw byte-order mark:
                // the fast path must take it.
                QVERIFY2(ok, qPrintable(toHex(body)));
                QCOMPARE(flat.size(), members);
            }
        }
        QVERIFY(plain > 10000);
        QVERIFY(accepted >= plain);
    }

    void mutatedBodiesAgree()
    {
        // Flip, drop, insert and repeat bytes of valid bodies: every variant either declined or
        // read exactly as QJsonDocument reads it.
        QRandomGenerator rng(4242);
        static const char interesting[] = "{}[]\":,\\/nul0uU \t\n\x01\x7f\x80\xbf\xc3\xe2\xed\xf0\xf4\xff";
        for (int i = 0; i < 20000; ++i) {
            int members = 0;
            QByteArray body = randomBody(rng, false, &members);
            const int edits = 1 + int(rng.bounded(3));
            for (int e = 0; e < edits && !body.isEmpty(); ++e) {
                const qsizetype at = rng.bounded(body.size());
                const char c = interesting[rng.bounded(int(sizeof(interesting) - 1))];
                switch (rng.bounded(4)) {
                case 0: body[at] = c; break;
                case 1: body.remove(at, 1); break;
                case 2: body.insert(at, c); break;
                case 3: body.insert(at, body.mid(at, 1 + rng.bounded(4))); break;
                }
            }
            const QString d = disagreement(body);
            QVERIFY2(d.isEmpty(), qPrintable(d + QStringLiteral(": ") + toHex(body)));
        }
    }

    void appNameCheckMatchesItsPattern()
    {
        const QRegularExpression re(QStringLiteral("^[a-z0-9][a-z0-9._-]{0,63}\\z"));
        const QString alphabet = QStringLiteral("az09._-AZ/ \xe4");
        QRandomGenerator rng(7);
        QStringList cases{QString(), QStringLiteral("mail"), QStringLiteral("-mail"), QStringLiteral(".x"),
                          QStringLiteral("m"), QStringLiteral("a").repeated(64), QStringLiteral("a").repeated(65),
                          QStringLiteral("mail\n"), QStringLiteral("im.v2_beta-1")};
        for (int i = 0; i < 5000; ++i) {
            QString s;
            const int n = int(rng.bounded(70));
            for (int k = 0; k < n; ++k)
                s += alphabet.at(rng.bounded(int(alphabet.size())));
            cases << s;
        }
        for (const QString &s : cases)
            QVERIFY2(protocol::isAppName(s) == re.match(s).hasMatch(), qPrintable(s));
    }

    void eventIdCheckMatchesItsPattern()
    {
        const QRegularExpression re(QStringLiteral("^[\\x21-\\x7e]{1,256}\\z"));
        QRandomGenerator rng(8);
        QStringList cases{QString(), QStringLiteral("a"), QStringLiteral("x").repeated(256),
                          QStringLiteral("x").repeated(257), QStringLiteral("a b"), QStringLiteral("a\n"),
                          QStringLiteral("~!"), QString(QChar(0x7f)), QStringLiteral("\xe9")};
        for (int i = 0; i < 5000; ++i) {
            QString s;
            const int n = int(rng.bounded(260));
            for (int k = 0; k < n; ++k)
                s += QChar(char16_t(rng.bounded(50) == 0 ? rng.bounded(0x100) : 0x21 + rng.bounded(0x5e)));
            cases << s;
        }
        for (const QString &s : cases)
            QVERIFY2(EventsApi::isEventId(s) == re.match(s).hasMatch(), qPrintable(s));
    }

    void fieldsReadTheSameEitherWay_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("good") << QByteArray("{\"account\":\"alice\",\"app\":\"mail\",\"eventId\":\"m-1\",\"sender\":\"A\",\"subject\":\"Hi\",\"body\":\"x\"}");
        QTest::newRow("optional null") << QByteArray("{\"account\":\"alice\",\"app\":\"mail\",\"eventId\":\"m-1\",\"sender\":null}");
        QTest::newRow("required null") << QByteArray("{\"account\":null,\"app\":\"mail\",\"eventId\":\"m-1\"}");
        QTest::newRow("missing") << QByteArray("{\"app\":\"mail\",\"eventId\":\"m-1\"}");
        QTest::newRow("empty required") << QByteArray("{\"account\":\"\",\"app\":\"mail\",\"eventId\":\"m-1\"}");
        QTest::newRow("bad app") << QByteArray("{\"account\":\"a\",\"app\":\"Mail\",\"eventId\":\"m-1\"}");
        QTest::newRow("bad event id") << QByteArray("{\"account\":\"a\",\"app\":\"mail\",\"eventId\":\"m 1\",\"sender\":null}");
        QTest::newRow("too long") << QByteArray("{\"account\":\"a\",\"app\":\"mail\",\"eventId\":\"m\",\"subject\":\"01234567890\"}");
        QTest::newRow("app trailing newline") << QByteArray("{\"account\":\"a\",\"app\":\"mail\\n\",\"eventId\":\"m\"}");
        QTest::newRow("event id trailing newline") << QByteArray("{\"account\":\"a\",\"app\":\"mail\",\"eventId\":\"m\\n\"}");
        QTest::newRow("NUL") << QByteArray("{\"account\":\"a\\u0000\",\"app\":\"mail\",\"eventId\":\"m\"}");
        QTest::newRow("astral counts two") << QByteArray("{\"account\":\"a\",\"app\":\"mail\",\"eventId\":\"m\",\"subject\":\"0123456789\xf0\x9f\x98\x80\"}");
    }
    void fieldsReadTheSameEitherWay()
    {
        QFETCH(QByteArray, body);
        FlatJsonObject flat;
        QVERIFY(flat.parse(body)); // so the first reading below is the fast path
        const QString fast = readEvent(JsonFields::fromRequest(request(body)));
        const QString slow = readEvent(JsonFields(QJsonDocument::fromJson(body).object(), QString()));
        QCOMPARE(fast, slow);
        QCOMPARE(JsonFields::fromRequest(request(body)).object(), QJsonDocument::fromJson(body).object());
    }

    void trailingNewlineIsAnInvalidFormat()
    {
        // A regular expression's "$" matches before a final newline too; these checks do not.
        QCOMPARE(readEvent(JsonFields::fromRequest(request("{\"account\":\"a\",\"app\":\"mail\\n\",\"eventId\":\"m\"}"))),
                 QStringLiteral("invalid_value app has an invalid format"));
        QCOMPARE(readEvent(JsonFields::fromRequest(request("{\"account\":\"a\",\"app\":\"mail\",\"eventId\":\"m\\n\"}"))),
                 QStringLiteral("invalid_value eventId has an invalid format"));
        QVERIFY(!protocol::isAppName(QStringLiteral("mail\n")));
    }

    void objectFieldsOfAFlatBody()
    {
        // The other readers see a flat body's members as QJsonObject would.
        JsonFields fields = JsonFields::fromRequest(request("{\"device\":\"x\",\"apps\":null,\"extra\":null}"));
        QVERIFY(fields.ok());
        QVERIFY(fields.stringArray(QStringLiteral("apps"), 4, &protocol::isAppName).isEmpty());
        QVERIFY(!fields.optionalObject(QStringLiteral("extra"), 100));
        QVERIFY(fields.ok());
        fields.requiredObject(QStringLiteral("device"));
        QVERIFY(!fields.ok());
        QCOMPARE(fields.error().message, QStringLiteral("device must be an object"));
        JsonFields missing = JsonFields::fromRequest(request("{}"));
        missing.requiredObject(QStringLiteral("device"));
        QCOMPARE(missing.error().message, QStringLiteral("device is required"));
    }
};

QTEST_GUILESS_MAIN(tst_FlatJson)
#include "tst_flatjson.moc"
