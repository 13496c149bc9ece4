// HttpHeadParser: the request-head rules of the HTTP layer without a socket — what is accepted,
// which error each malformed or oversized head gets, pipelined heads, and heads that arrive in
// pieces. The integration tests (tst_registration) check the same answers on the wire.
#include "http/HttpHeadParser.h"

#include <QTest>

using namespace herald;
using Status = HttpHeadParser::Status;

class TestHttpHeadParser : public QObject
{
    Q_OBJECT

private slots:
    void acceptsAndFillsTheRequest()
    {
        const QByteArray head = "POST /v1/events?x=1&y=%C3%A9 HTTP/1.1\r\nHost: a\r\nX-Twice: 1\r\nx-twice: 2\r\n"
                                "Content-Length: 12\r\n\r\n{\"a\":\"bcd\"}";
        HttpRequest request;
        const auto r = HttpHeadParser::parse(head, HttpLimits{}, &request);
        QCOMPARE(r.status, Status::Complete);
        QCOMPARE(r.consumed, head.indexOf("\r\n\r\n") + 4);
        QCOMPARE(r.contentLength, 12);
        QVERIFY(r.keepAlive);
        QCOMPARE(request.method, QByteArray("POST"));
        QCOMPARE(request.path, QStringLiteral("/v1/events"));
        QCOMPARE(request.query.queryItemValue(QStringLiteral("y"), QUrl::FullyDecoded), QStringLiteral("é"));
        QCOMPARE(request.header("x-twice"), QByteArray("1, 2"));
        QCOMPARE(request.header("host"), QByteArray("a"));
    }

    void keepAlive_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<bool>("keepAlive");
        QTest::newRow("1.1") << QByteArray("GET / HTTP/1.1\r\n\r\n") << true;
        QTest::newRow("1.1 close") << QByteArray("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n") << false;
        QTest::newRow("1.0") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false;
        QTest::newRow("1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") << true;
    }
    void keepAlive()
    {
        QFETCH(QByteArray, head);
        HttpRequest request;
        const auto r = HttpHeadParser::parse(head, HttpLimits{}, &request);
        QCOMPARE(r.status, Status::Complete);
        QTEST(r.keepAlive, "keepAlive");
    }

    void needsMoreUntilTheBlankLine()
    {
        const QByteArray head = "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n";
        for (int cut = 0; cut < head.size(); ++cut) {
            HttpRequest request;
            QCOMPARE(HttpHeadParser::parse(QByteArrayView(head).first(cut), HttpLimits{}, &request).status,
                     Status::NeedMore);
        }
    }

    void refuses_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        const QByteArray longLine = "GET /" + QByteArray(9000, 'a') + " HTTP/1.1\r\n\r\n";
        QByteArray manyHeaders = "GET / HTTP/1.1\r\n";
        for (int i = 0; i < 101; ++i)
            manyHeaders += "X-" + QByteArray::number(i) + ": v\r\n";
        manyHeaders += "\r\n";
        const QByteArray bigHeaders = "GET / HTTP/1.1\r\nX: " + QByteArray(33 * 1024, 'v') + "\r\n\r\n";
        QTest::newRow("no target") << QByteArray("GET\r\n\r\n") << 400 << "bad_request";
        QTest::newRow("three spaces") << QByteArray("GET / x HTTP/1.1\r\n\r\n") << 400 << "bad_request";
        QTest::newRow("relative target") << QByteArray("GET x HTTP/1.1\r\n\r\n") << 400 << "bad_request";
        QTest::newRow("method not a token") << QByteArray("G(T / HTTP/1.1\r\n\r\n") << 400 << "bad_request";
        QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505 << "http_version_not_supported";
        QTest::newRow("NUL in path") << QByteArray("GET /a%00b HTTP/1.1\r\n\r\n") << 400 << "bad_request";
        QTest::newRow("folded header") << QByteArray("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n") << 400 << "bad_request";
        QTest::newRow("space in name") << QByteArray("GET / HTTP/1.1\r\nX Y: a\r\n\r\n") << 400 << "bad_request";
        QTest::newRow("no colon") << QByteArray("GET / HTTP/1.1\r\nXY\r\n\r\n") << 400 << "bad_request";
        QTest::newRow("two lengths") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
                                     << 400 << "bad_request";
        QTest::newRow("negative length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 400
                                         << "bad_request";
        QTest::newRow("huge length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 9999999999999999999\r\n\r\n")
                                     << 400 << "bad_request";
        QTest::newRow("chunked") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") << 411
                                 << "length_required";
        QTest::newRow("body over limit") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 65537\r\n\r\n") << 413
                                         << "payload_too_large";
        QTest::newRow("long request line") << longLine << 414 << "request_line_too_long";
        QTest::newRow("long line, no end yet") << QByteArray(9000, 'a') << 414 << "request_line_too_long";
        QTest::newRow("too many headers") << manyHeaders << 431 << "headers_too_large";
        QTest::newRow("headers too large") << bigHeaders << 431 << "headers_too_large";
    }
    void refuses()
    {
        QFETCH(QByteArray, head);
        HttpRequest request;
        const auto r = HttpHeadParser::parse(head, HttpLimits{}, &request);
        QCOMPARE(r.status, Status::Error);
        QTEST(r.errorStatus, "status");
        QTEST(r.errorCode, "code");
        QVERIFY(!r.errorMessage.isEmpty());
    }

    void tooLargeBodySaysHowMuchIsComing()
    {
        // The connection reads (and drops) what a client is still uploading before it closes.
        const QByteArray head = "POST / HTTP/1.1\r\nContent-Length: 70000\r\n\r\n";
        HttpRequest request;
        const auto r = HttpHeadParser::parse(head + "abc", HttpLimits{}, &request);
        QCOMPARE(r.errorStatus, 413);
        QCOMPARE(r.consumed, head.size());
        QCOMPARE(r.contentLength, 70000);
    }

    void pipelinedHeadsOneAfterAnother()
    {
        const QByteArray stream = "GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\nhiGET /c HTTP/1.1\r\n\r\n";
        QByteArrayView rest(stream);
        QStringList paths;
        while (!rest.isEmpty()) {
            HttpRequest request;
            const auto r = HttpHeadParser::parse(rest, HttpLimits{}, &request);
            QCOMPARE(r.status, Status::Complete);
            paths << request.path;
            rest = rest.sliced(r.consumed + r.contentLength);
        }
        QCOMPARE(paths, QStringList({"/a", "/b", "/c"}));
    }
};

QTEST_GUILESS_MAIN(TestHttpHeadParser)
#include "tst_httpheadparser.moc"
