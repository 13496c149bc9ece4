// POST/DELETE /v1/register and /healthz against a real herald-server process over TLS:
// the happy paths, and every kind of bad request answered in the documented error shape
// without changing anything.
#include "HttpsClient.h"
#include "TestDatabase.h"
#include "ServerProcess.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

using namespace herald;
using namespace herald::test;

namespace {

const QString ApnsToken = QString(QStringLiteral("0a")).repeated(32);
// RFC 8291 Appendix A's receiver key, a valid device.pushKey.
const QByteArray PushKeyP256dh("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4");
const QByteArray PushKeyAuth("BTBZMqHH6r4Tts7J_aSIgg");

QJsonObject registerBody(const QString &deviceId = QStringLiteral("phone-1"), const QString &password = QStringLiteral("alice-secret"))
{
    return QJsonObject{{QStringLiteral("username"), QStringLiteral("alice")},
                       {QStringLiteral("password"), password},
                       {QStringLiteral("device"),
                        QJsonObject{{QStringLiteral("id"), deviceId},
                                    {QStringLiteral("platform"), QStringLiteral("ios")},
                                    {QStringLiteral("pushToken"), ApnsToken},
                                    {QStringLiteral("pushTopic"), QStringLiteral("com.example.remote")},
                                    {QStringLiteral("locale"), QStringLiteral("zh_CN")},
                                    {QStringLiteral("name"), QStringLiteral("Alice's phone")}}},
                       {QStringLiteral("apps"), QJsonArray{QStringLiteral("mail"), QStringLiteral("im")}}};
}

// Replaces the value at a dotted path ("device.platform"); an invalid QJsonValue removes it.
QJsonObject with(QJsonObject body, const QString &path, const QJsonValue &value)
{
    const QStringList parts = path.split(QLatin1Char('.'));
    if (parts.size() == 1) {
        if (value.isUndefined())
            body.remove(path);
        else
            body.insert(path, value);
        return body;
    }
    body.insert(parts.first(), with(body.value(parts.first()).toObject(), parts.mid(1).join(QLatin1Char('.')), value));
    return body;
}

bool isErrorShape(const HttpsClient::Reply &reply)
{
    const QJsonObject o = reply.json().object();
    return o.value(QStringLiteral("error")).isString() && o.value(QStringLiteral("message")).isString() &&
           !o.value(QStringLiteral("message")).toString().isEmpty();
}

} // namespace

class tst_Registration : public QObject
{
    Q_OBJECT

private:
    ServerProcess m_server;
    std::unique_ptr<HttpsClient> m_client;

    // What the database holds, for "changed nothing" checks; read through a second connection.
    QStringList snapshot()
    {
        QString error;
        const auto storage = TestDatabase::open(m_server.dataDir(), &error);
        if (!storage)
            return {error};
        QStringList rows;
        const QList<AccountRecord> accounts = storage->accounts().value_or(QList<AccountRecord>());
        for (const AccountRecord &a : accounts) {
            rows << a.name + QString::number(a.disabled);
            const QList<DeviceRecord> devices = storage->devicesOfAccount(a.id).value_or(QList<DeviceRecord>());
            for (const DeviceRecord &d : devices)
                rows << d.deviceId + d.pushToken + QString::fromLatin1(d.tokenHash.toHex()) + d.apps.join(QLatin1Char(','));
        }
        return rows;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_server.start());
        QVERIFY(m_server.addUser(QStringLiteral("alice"), QStringLiteral("alice-secret")));
        QVERIFY(m_server.addUser(QStringLiteral("mallory"), QStringLiteral("mallory-secret")));
        QCOMPARE(m_server.runCommand({QStringLiteral("user"), QStringLiteral("disable"), QStringLiteral("mallory")}).exitCode, 0);
        m_client = std::make_unique<HttpsClient>(m_server.baseUrl(), m_server.caCertificates());
    }

    void healthz()
    {
        const auto reply = m_client->get(QStringLiteral("/healthz"));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().object(), QJsonObject({{QStringLiteral("status"), QStringLiteral("ok")}}));
    }

    void registerReregisterUnregister()
    {
        const auto first = m_client->post(QStringLiteral("/v1/register"), registerBody());
        QCOMPARE(first.status, 201);
        const QString token1 = first.json().object().value(QStringLiteral("deviceToken")).toString();
        QCOMPARE(first.json().object().value(QStringLiteral("deviceId")).toString(), QStringLiteral("phone-1"));
        QVERIFY(token1.size() >= 40);
        // The token is stored only as a hash.
        const QByteArray dbBytes = TestDatabase::contents(m_server.dataDir());
        QVERIFY(!dbBytes.isEmpty());
        QVERIFY(!dbBytes.contains(token1.toLatin1()));

        // Re-registering the same device id updates its push token and apps and issues a new token.
        QJsonObject again = with(registerBody(), QStringLiteral("device.pushToken"), QString(QStringLiteral("0b")).repeated(32));
        again.insert(QStringLiteral("apps"), QJsonArray{QStringLiteral("mail")});
        const auto second = m_client->post(QStringLiteral("/v1/register"), again);
        QCOMPARE(second.status, 201);
        const QString token2 = second.json().object().value(QStringLiteral("deviceToken")).toString();
        QVERIFY(token2 != token1);
        {
            QString error;
            const auto storage = TestDatabase::open(m_server.dataDir(), &error);
            QVERIFY2(storage, qPrintable(error));
            const auto device = storage->deviceByDeviceId(QStringLiteral("phone-1"));
            QVERIFY(device);
            QCOMPARE(device->pushToken, QString(QStringLiteral("0b")).repeated(32));
            QCOMPARE(device->apps, QStringList{QStringLiteral("mail")});
            QCOMPARE(device->locale, QStringLiteral("zh_CN"));
            QCOMPARE(device->pushTopic, QStringLiteral("com.example.remote"));
            QCOMPARE(storage->devicesOfAccount(device->accountId)->size(), 1);
        }

        // The replaced token is dead; the new one unregisters.
        const auto stale = m_client->request("DELETE", QStringLiteral("/v1/register"), {}, token1);
        QCOMPARE(stale.status, 401);
        QCOMPARE(stale.errorCode(), QStringLiteral("invalid_token"));
        const auto gone = m_client->request("DELETE", QStringLiteral("/v1/register"), {}, token2);
        QCOMPARE(gone.status, 204);
        QVERIFY(gone.body.isEmpty());
        const auto twice = m_client->request("DELETE", QStringLiteral("/v1/register"), {}, token2);
        QCOMPARE(twice.status, 401);
        QVERIFY(!snapshot().join(QLatin1Char(' ')).contains(QStringLiteral("phone-1")));
    }

    void badRequests_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        auto json = [](const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); };
        const QByteArray ct = "application/json";

        QTest::newRow("unknown path") << QByteArray("GET") << "/v1/nothing" << QByteArray() << ct << 404 << "not_found";
        QTest::newRow("wrong method") << QByteArray("GET") << "/v1/register" << QByteArray() << ct << 405 << "method_not_allowed";
        QTest::newRow("put") << QByteArray("PUT") << "/v1/register" << json(registerBody()) << ct << 405 << "method_not_allowed";
        QTest::newRow("post healthz") << QByteArray("POST") << "/healthz" << QByteArray("{}") << ct << 405 << "method_not_allowed";
        QTest::newRow("empty body") << QByteArray("POST") << "/v1/register" << QByteArray() << ct << 400 << "malformed_json";
        QTest::newRow("broken json") << QByteArray("POST") << "/v1/register" << QByteArray("{\"username\":") << ct << 400 << "malformed_json";
        QTest::newRow("json array") << QByteArray("POST") << "/v1/register" << QByteArray("[1,2]") << ct << 400 << "malformed_json";
        QTest::newRow("json string") << QByteArray("POST") << "/v1/register" << QByteArray("\"hi\"") << ct << 400 << "malformed_json";
        QTest::newRow("not json type") << QByteArray("POST") << "/v1/register" << json(registerBody()) << QByteArray("text/plain") << 415 << "unsupported_media_type";
        QTest::newRow("missing username") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "username", QJsonValue::Undefined)) << ct << 400 << "missing_field";
        QTest::newRow("missing device") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "device", QJsonValue::Undefined)) << ct << 400 << "missing_field";
        QTest::newRow("missing device id") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "device.id", QJsonValue::Undefined)) << ct << 400 << "missing_field";
        QTest::newRow("missing push token") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "device.pushToken", QJsonValue::Undefined)) << ct << 400 << "missing_field";
        QTest::newRow("username number") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "username", 42)) << ct << 400 << "wrong_type";
        QTest::newRow("password null") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "password", QJsonValue::Null)) << ct << 400 << "wrong_type";
        QTest::newRow("device string") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "device", "phone")) << ct << 400 << "wrong_type";
        QTest::newRow("apps not array") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "apps", "mail")) << ct << 400 << "wrong_type";
        QTest::newRow("apps numbers") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "apps", QJsonArray{1, 2})) << ct << 400 << "wrong_type";
        QTest::newRow("app name hostile") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "apps", QJsonArray{"../etc"})) << ct << 400 << "invalid_value";
        QTest::newRow("platform unknown") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "device.platform", "symbian")) << ct << 400 << "invalid_value";
        QTest::newRow("apns token not hex") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "device.pushToken", "not-a-token")) << ct << 400 << "invalid_value";
        QTest::newRow("device id too long") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "device.id", QString(129, 'x'))) << ct << 400 << "invalid_value";
        QTest::newRow("device id control chars") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "device.id", "a\nb")) << ct << 400 << "invalid_value";
        // A pattern's "$" also matches before a final newline; the checks anchor with \z instead.
        QTest::newRow("device id trailing newline") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "device.id", "phone\n")) << ct << 400 << "invalid_value";
        QTest::newRow("apns token trailing newline") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "device.pushToken", QString(64, 'a') + "\n")) << ct << 400 << "invalid_value";
        QTest::newRow("app trailing newline") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "apps", QJsonArray{"mail\n"})) << ct << 400 << "invalid_value";
        QTest::newRow("locale hostile") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "device.locale", "<script>")) << ct << 400 << "invalid_value";
        QTest::newRow("empty username") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "username", "")) << ct << 400 << "invalid_value";
        QTest::newRow("too many apps") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "apps", QJsonArray::fromStringList(QString("a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,aa,bb,cc,dd,ee,ff,gg").split(',')))) << ct << 400 << "invalid_value";
        QTest::newRow("huge password") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "password", QString(5000, 'p'))) << ct << 400 << "invalid_value";
        QTest::newRow("oversized body") << QByteArray("POST") << "/v1/register" << json(with(registerBody(), "device.name", QString(70000, 'n'))) << ct << 413 << "payload_too_large";
        QTest::newRow("wrong password") << QByteArray("POST") << "/v1/register" << json(registerBody(QStringLiteral("phone-x"), QStringLiteral("guess"))) << ct << 401 << "invalid_credentials";
        QTest::newRow("unknown user") << QByteArray("POST") << "/v1/register" << json(with(registerBody(QStringLiteral("phone-x")), "username", "nobody")) << ct << 401 << "invalid_credentials";
        QTest::newRow("disabled account") << QByteArray("POST") << "/v1/register" << json(with(with(registerBody(QStringLiteral("phone-x")), "username", "mallory"), "password", "mallory-secret")) << ct << 403 << "account_disabled";
        QTest::newRow("unregister without token") << QByteArray("DELETE") << "/v1/register" << QByteArray() << ct << 401 << "unauthorized";
    }

    void badRequests()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(int, status);
        QFETCH(QString, code);
        const QStringList before = snapshot();
        const auto reply = m_client->request(method, path, body, {}, contentType);
        QCOMPARE(reply.status, status);
        QVERIFY2(isErrorShape(reply), reply.body.constData());
        QCOMPARE(reply.errorCode(), code);
        QCOMPARE(snapshot(), before);
    }

    void unknownAndMalformedTokens_data()
    {
        QTest::addColumn<QString>("token");
        QTest::newRow("unknown") << DeviceTokenLike();
        QTest::newRow("short") << QStringLiteral("abc");
        QTest::newRow("sql") << QStringLiteral("x' OR '1'='1' -- padding padding");
        QTest::newRow("huge") << QString(10000, QLatin1Char('A'));
    }
    static QString DeviceTokenLike() { return QString(43, QLatin1Char('Q')); }

    void unknownAndMalformedTokens()
    {
        QFETCH(QString, token);
        const auto reply = m_client->request("DELETE", QStringLiteral("/v1/register"), {}, token);
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.errorCode(), QStringLiteral("invalid_token"));
    }

    void malformedHttp_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QByteArray>("statusLine");
        QTest::newRow("garbage") << QByteArray("\x16\x03hello\r\n\r\n") << QByteArray("HTTP/1.1 400");
        QTest::newRow("http2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << QByteArray("HTTP/1.1 400");
        QTest::newRow("http/0.9") << QByteArray("GET /healthz HTTP/3.0\r\n\r\n") << QByteArray("HTTP/1.1 505");
        QTest::newRow("two spaces in request line") << QByteArray("GET  /healthz HTTP/1.1\r\n\r\n") << QByteArray("HTTP/1.1 400");
        QTest::newRow("four words in request line") << QByteArray("GET /healthz HTTP/1.1 x\r\n\r\n") << QByteArray("HTTP/1.1 400");
        QTest::newRow("relative target") << QByteArray("GET healthz HTTP/1.1\r\n\r\n") << QByteArray("HTTP/1.1 400");
        QTest::newRow("NUL in path") << QByteArray("GET /health%00z HTTP/1.1\r\n\r\n") << QByteArray("HTTP/1.1 400");
        QTest::newRow("empty header name") << QByteArray("GET /healthz HTTP/1.1\r\n: v\r\n\r\n") << QByteArray("HTTP/1.1 400");
        QTest::newRow("space in header name") << QByteArray("GET /healthz HTTP/1.1\r\nX A: 1\r\n\r\n") << QByteArray("HTTP/1.1 400");
        QTest::newRow("control byte in header name") << QByteArray("GET /healthz HTTP/1.1\r\nX\x01A: 1\r\n\r\n") << QByteArray("HTTP/1.1 400");
        QTest::newRow("8-bit byte in method") << QByteArray("G\xC9T /healthz HTTP/1.1\r\n\r\n") << QByteArray("HTTP/1.1 400");
        QTest::newRow("header without colon") << QByteArray("GET /healthz HTTP/1.1\r\nHost localhost\r\n\r\n") << QByteArray("HTTP/1.1 400");
        QTest::newRow("folded header") << QByteArray("GET /healthz HTTP/1.1\r\nX-A: 1\r\n  continued\r\n\r\n") << QByteArray("HTTP/1.1 400");
        QTest::newRow("bad content-length") << QByteArray("POST /v1/register HTTP/1.1\r\nContent-Length: -5\r\n\r\n") << QByteArray("HTTP/1.1 400");
        QTest::newRow("conflicting content-length") << QByteArray("POST /v1/register HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n") << QByteArray("HTTP/1.1 400");
        QTest::newRow("chunked") << QByteArray("POST /v1/register HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n") << QByteArray("HTTP/1.1 411");
        QTest::newRow("declared huge body") << QByteArray("POST /v1/register HTTP/1.1\r\nContent-Length: 999999999999\r\n\r\n") << QByteArray("HTTP/1.1 413");
        QTest::newRow("long request line") << QByteArray("GET /") + QByteArray(20000, 'a') + QByteArray(" HTTP/1.1\r\n\r\n") << QByteArray("HTTP/1.1 414");
        QByteArray manyHeaders("GET /healthz HTTP/1.1\r\n");
        for (int i = 0; i < 200; ++i)
            manyHeaders += "X-H" + QByteArray::number(i) + ": v\r\n";
        QTest::newRow("too many headers") << manyHeaders + "\r\n" << QByteArray("HTTP/1.1 431");
        QTest::newRow("huge header") << QByteArray("GET /healthz HTTP/1.1\r\nX-Big: ") + QByteArray(40000, 'b') + QByteArray("\r\n\r\n") << QByteArray("HTTP/1.1 431");
    }

    void malformedHttp()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QByteArray, statusLine);
        const QByteArray answer = m_client->raw(raw);
        QVERIFY2(answer.startsWith(statusLine), answer.left(200).constData());
        const int bodyStart = answer.indexOf("\r\n\r\n");
        const QJsonObject error = QJsonDocument::fromJson(answer.mid(bodyStart + 4)).object();
        QVERIFY2(error.value(QStringLiteral("error")).isString(), answer.constData());
        QVERIFY(answer.contains("Connection: close"));
        // The server is still fine afterwards.
        QCOMPARE(m_client->get(QStringLiteral("/healthz")).status, 200);
    }

    void keepAliveServesSeveralRequests()
    {
        const QByteArray two = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        const QByteArray answer = m_client->raw(two);
        QCOMPARE(answer.count("HTTP/1.1 200 OK"), 2);
    }

    void pipelinedRequestsInPiecesAreAnsweredInOrder()
    {
        // A body and the next head in one read, heads cut mid-line, a percent-encoded path: each
        // request is parsed where it lies in the buffer and answered in turn.
        const QByteArray body = R"({"username":"alice","password":"wrong","device":{}})";
        const QByteArray three = "POST /v1/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                 "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body +
                                 "GET /health%7A HTTP/1.1\r\nHost: x\r\n\r\n"
                                 "GET /healthz?probe=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        for (const int piece : {0, 1, 7, 64}) {
            const QByteArray answer = m_client->raw(three, 10000, piece);
            const qsizetype first = answer.indexOf("HTTP/1.1 4");
            const qsizetype second = answer.indexOf("HTTP/1.1 200 OK");
            const qsizetype third = answer.indexOf("HTTP/1.1 200 OK", second + 1);
            QVERIFY2(first >= 0 && second > first && third > second, answer.constData());
            QCOMPARE(answer.count("HTTP/1.1 "), 3);
        }
    }

    void slowRequestsAreCutOffAfterTheRequestTimeout()
    {
        // A head that never ends (slowloris) gets 408 and the connection closed, after
        // [limits] request_timeout_secs; a whole request on the same server is still served.
        ServerProcess quick;
        QVERIFY(quick.start({QStringLiteral("--request-timeout-secs"), QStringLiteral("1")}));
        HttpsClient client(quick.baseUrl(), quick.caCertificates());
        QElapsedTimer clock;
        clock.start();
        const QByteArray answer = client.raw("GET /healthz HTTP/1.1\r\nHost: x\r\n", 8000);
        QVERIFY2(answer.startsWith("HTTP/1.1 408"), answer.constData());
        QVERIFY2(clock.elapsed() >= 900, qPrintable(QString::number(clock.elapsed()))); // the timeout, not a refusal
        QCOMPARE(client.get(QStringLiteral("/healthz")).status, 200);
        QCOMPARE(quick.stop(), 0);
    }

    void plainHttpOnTlsPortIsRefused()
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server.port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write("GET /healthz HTTP/1.1\r\n\r\n");
        socket.waitForDisconnected(5000);
        QVERIFY(!socket.readAll().contains("\"status\":\"ok\""));
        QCOMPARE(m_client->get(QStringLiteral("/healthz")).status, 200);
    }

    // device.pushKey (privacy level `encrypted`): the RFC 8291 receiver key, as Web Push carries it.
    void pushKeyIsValidatedStrictly_data()
    {
        QTest::addColumn<QJsonValue>("pushKey");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        const QString p256dh = QString::fromLatin1(PushKeyP256dh);
        const QString auth = QString::fromLatin1(PushKeyAuth);
        QString offCurve = p256dh;
        offCurve[40] = offCurve[40] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
        auto key = [](const QString &p, const QString &a) {
            return QJsonObject{{QStringLiteral("p256dh"), p}, {QStringLiteral("auth"), a}};
        };
        QTest::newRow("string") << QJsonValue(p256dh) << "wrong_type" << "device.pushKey must be an object";
        QTest::newRow("no p256dh") << QJsonValue(QJsonObject{{QStringLiteral("auth"), auth}}) << "missing_field"
                                   << "device.pushKey.p256dh is required";
        QTest::newRow("no auth") << QJsonValue(QJsonObject{{QStringLiteral("p256dh"), p256dh}}) << "missing_field"
                                 << "device.pushKey.auth is required";
        QTest::newRow("p256dh number") << QJsonValue(QJsonObject{{QStringLiteral("p256dh"), 4}, {QStringLiteral("auth"), auth}})
                                       << "wrong_type" << "device.pushKey.p256dh must be a string";
        QTest::newRow("p256dh not base64url") << QJsonValue(key(QStringLiteral("a+b/c"), auth)) << "invalid_value"
                                              << "device.pushKey.p256dh must be base64url";
        QTest::newRow("p256dh short") << QJsonValue(key(p256dh.left(80), auth)) << "invalid_value"
                                      << "device.pushKey.p256dh must be a 65-byte uncompressed P-256 point, not 60 bytes";
        QTest::newRow("p256dh compressed") << QJsonValue(key(QStringLiteral("AyVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcx"), auth))
                                           << "invalid_value" << "device.pushKey.p256dh must be a 65-byte uncompressed P-256 point, not 33 bytes";
        QTest::newRow("p256dh off the curve") << QJsonValue(key(offCurve, auth)) << "invalid_value"
                                              << "device.pushKey.p256dh is not a point on the P-256 curve";
        QTest::newRow("auth short") << QJsonValue(key(p256dh, auth.left(20))) << "invalid_value"
                                    << "device.pushKey.auth must be 16 bytes, not 15";
        QTest::newRow("auth padded wrong") << QJsonValue(key(p256dh, auth + QStringLiteral("=x"))) << "invalid_value"
                                           << "device.pushKey.auth must be base64url";
        QTest::newRow("extra member") << QJsonValue(QJsonObject{{QStringLiteral("p256dh"), p256dh}, {QStringLiteral("auth"), auth},
                                                                {QStringLiteral("private"), auth}})
                                      << "invalid_value" << "device.pushKey.private is not a known member (p256dh, auth)";
        QTest::newRow("huge") << QJsonValue(key(QString(2000, QLatin1Char('A')), auth)) << "invalid_value"
                              << "device.pushKey is larger than 1024 bytes";
    }

    void pushKeyIsValidatedStrictly()
    {
        QFETCH(QJsonValue, pushKey);
        QFETCH(QString, code);
        QFETCH(QString, message);
        const QStringList before = snapshot();
        const auto reply = m_client->post(QStringLiteral("/v1/register"),
                                          with(registerBody(QStringLiteral("phone-key")), "device.pushKey", pushKey));
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.errorCode(), code);
        QCOMPARE(reply.json().object().value(QStringLiteral("message")).toString(), message);
        QCOMPARE(snapshot(), before);
    }

    void pushKeyIsStoredAndReplaced()
    {
        auto stored = [this] {
            QString error;
            const auto storage = TestDatabase::open(m_server.dataDir(), &error);
            return storage ? storage->deviceByDeviceId(QStringLiteral("phone-key")) : std::nullopt;
        };
        const QJsonObject key{{QStringLiteral("p256dh"), QString::fromLatin1(PushKeyP256dh)},
                              {QStringLiteral("auth"), QString::fromLatin1(PushKeyAuth) + QStringLiteral("==")}};
        auto reply = m_client->post(QStringLiteral("/v1/register"),
                                    with(registerBody(QStringLiteral("phone-key")), "device.pushKey", key));
        QCOMPARE(reply.status, 201);
        auto device = stored();
        QVERIFY(device);
        QCOMPARE(device->pushKeyP256dh, QByteArray::fromBase64(PushKeyP256dh, QByteArray::Base64UrlEncoding));
        QCOMPARE(device->pushKeyAuth.size(), 16);
        // null means none, like leaving it out: registering again without a key forgets it.
        reply = m_client->post(QStringLiteral("/v1/register"),
                               with(registerBody(QStringLiteral("phone-key")), "device.pushKey", QJsonValue::Null));
        QCOMPARE(reply.status, 201);
        device = stored();
        QVERIFY(device);
        QVERIFY(!device->hasPushKey());
        QVERIFY(device->pushKeyP256dh.isNull() && device->pushKeyAuth.isNull());
    }

    void cleanupTestCase()
    {
        QCOMPARE(m_server.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_Registration)
#include "tst_registration.moc"
