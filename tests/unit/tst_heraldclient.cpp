#include "HeraldClient.h"
#include "SessionChannel.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace herald;
using namespace herald::protocol;

namespace {

// A one-request-per-connection HTTPS peer with a canned answer; records what it was sent.
class FakeHttps : public QObject
{
    Q_OBJECT

public:
    struct Request
    {
        QByteArray method;
        QByteArray target;
        QMap<QByteArray, QByteArray> headers; // lower-case names
        QByteArray body;
    };

    FakeHttps(const QSslConfiguration &tls)
    {
        m_server.setSslConfiguration(tls);
        connect(&m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (m_server.hasPendingConnections()) {
                auto *socket = static_cast<QSslSocket *>(m_server.nextPendingConnection());
                connect(socket, &QIODevice::readyRead, this, [this, socket] { onData(socket); });
                connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        m_server.listen(QHostAddress::LocalHost);
    }

    quint16 port() const { return m_server.serverPort(); }
    QList<Request> requests;
    int status = 200;
    QByteArray answer = "{}";

private:
    void onData(QSslSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        Request request;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        const QList<QByteArray> first = lines.first().trimmed().split(' ');
        request.method = first.value(0);
        request.target = first.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                request.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                       lines[i].mid(colon + 1).trimmed());
        }
        const int length = request.headers.value("content-length", "0").toInt();
        if (buffer.size() < end + 4 + length)
            return;
        request.body = buffer.mid(end + 4, length);
        requests.append(request);
        m_buffers.remove(socket);
        QByteArray response = "HTTP/1.1 " + QByteArray::number(status) +
                              " X\r\nContent-Type: application/json\r\n"
                              "Connection: close\r\nContent-Length: " +
                              QByteArray::number(status == 204 ? 0 : answer.size()) + "\r\n\r\n";
        if (status != 204)
            response += answer;
        socket->write(response);
        socket->disconnectFromHost();
    }

    QSslServer m_server;
    QHash<QSslSocket *, QByteArray> m_buffers;
};

QJsonObject parse(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

} // namespace

class tst_HeraldClient : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QSslConfiguration m_serverTls;
    QSslCertificate m_cert;
    QString m_certFile;

    QUrl base(quint16 port) const { return QUrl(QStringLiteral("https://127.0.0.1:%1").arg(port)); }
    TlsTrust pinned() const
    {
        TlsTrust trust;
        QString error;
        trust.setPinnedSha256(TlsTrust::formatFingerprint(TlsTrust::fingerprint(m_cert)), &error);
        return trust;
    }
    // Waits while the event loop runs, so that the in-process peers can answer the child process.
    static bool finished(QProcess &process, int timeoutMs)
    {
        if (process.state() == QProcess::NotRunning)
            return true;
        QSignalSpy spy(&process, &QProcess::finished);
        return spy.wait(timeoutMs);
    }
    static bool wait(HeraldReply *reply)
    {
        QSignalSpy spy(reply, &HeraldReply::finished);
        return reply->isFinished() || spy.wait(10000);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_certFile = m_dir.filePath("cert.pem");
        const QString keyFile = m_dir.filePath("key.pem");
        QProcess openssl;
        openssl.start("openssl", {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                  "-nodes", "-keyout", keyFile, "-out", m_certFile, "-days", "2", "-subj",
                                  "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"});
        if (!openssl.waitForFinished(20000) || openssl.exitCode() != 0)
            QSKIP("openssl could not make a test certificate");
        QFile certIn(m_certFile), keyIn(keyFile);
        QVERIFY(certIn.open(QIODevice::ReadOnly) && keyIn.open(QIODevice::ReadOnly));
        m_cert = QSslCertificate(&certIn, QSsl::Pem);
        const QSslKey key(&keyIn, QSsl::Ec, QSsl::Pem);
        QVERIFY(!m_cert.isNull() && !key.isNull());
        m_serverTls = QSslConfiguration::defaultConfiguration();
        m_serverTls.setLocalCertificate(m_cert);
        m_serverTls.setPrivateKey(key);
        m_serverTls.setPeerVerifyMode(QSslSocket::VerifyNone);
    }

    void registerWithPin()
    {
        FakeHttps server(m_serverTls);
        server.status = 201;
        server.answer = R"({"deviceToken":"tok-1","deviceId":"dev-1"})";
        HeraldClient client;
        client.setBaseUrl(base(server.port()));
        client.setTlsTrust(pinned());
        RegisterRequest request{"bob", "secret", {"d1", "ios", "push", "", "zh_CN", ""}, {"mail"}};
        HeraldReply *reply = client.registerDevice(request);
        QVERIFY(wait(reply));
        QVERIFY2(reply->isOk(), qPrintable(reply->error().message));
        QCOMPARE(reply->httpStatus(), 201);
        QCOMPARE(reply->registerResponse().deviceToken, QStringLiteral("tok-1"));
        QCOMPARE(client.deviceToken(), QStringLiteral("tok-1"));
        QCOMPARE(server.requests.size(), 1);
        QCOMPARE(server.requests[0].method, QByteArray("POST"));
        QCOMPARE(server.requests[0].target, QByteArray("/v1/register"));
        QVERIFY(!server.requests[0].headers.contains("authorization"));
        const QJsonObject body = QJsonDocument::fromJson(server.requests[0].body).object();
        QCOMPARE(body.value("username").toString(), QStringLiteral("bob"));
        QCOMPARE(body.value("device").toObject().value("locale").toString(), QStringLiteral("zh_CN"));
        QVERIFY(!body.value("device").toObject().contains("pushTopic"));
        QCOMPARE(body.value("apps").toArray().first().toString(), QStringLiteral("mail"));
    }

    void trustModes()
    {
        FakeHttps server(m_serverTls);
        server.answer = "[]";
        const auto call = [&](const TlsTrust &trust) {
            HeraldClient client;
            client.setBaseUrl(base(server.port()));
            client.setTlsTrust(trust);
            client.setDeviceToken("t");
            HeraldReply *reply = client.notifications();
            wait(reply);
            return reply->error().code;
        };
        QCOMPARE(call(pinned()), QString());
        TlsTrust ca;
        QString error;
        QVERIFY(ca.loadCaFile(m_certFile, &error));
        QCOMPARE(call(ca), QString());
        TlsTrust both = pinned();
        both.setCaCertificates(ca.caCertificates());
        QCOMPARE(call(both), QString());
        const int served = server.requests.size();
        QCOMPARE(served, 3);

        QCOMPARE(call(TlsTrust()), QStringLiteral("tls_error")); // self-signed, no trust given
        TlsTrust wrong;
        QVERIFY(wrong.setPinnedSha256(QString(64, 'a'), &error));
        QCOMPARE(call(wrong), QStringLiteral("tls_error"));
        // A refused handshake never carries the request (and its bearer token) to the peer.
        QCOMPARE(server.requests.size(), served);
    }

    void apiCalls()
    {
        FakeHttps server(m_serverTls);
        HeraldClient client;
        client.setBaseUrl(base(server.port()));
        client.setTlsTrust(pinned());
        client.setDeviceToken("tok");

        server.answer =
            R"([{"id":"n1","app":"mail","createdAt":"2026-01-01T00:00:00Z","state":"unread","x":1}])";
        HeraldReply *list = client.notifications("unread");
        QVERIFY(wait(list));
        QVERIFY2(list->isOk(), qPrintable(list->error().message));
        QCOMPARE(list->notificationList().size(), 1);
        QCOMPARE(list->notificationList().first().raw.value("x").toInt(), 1);
        QCOMPARE(server.requests.last().target, QByteArray("/v1/notifications?state=unread"));
        QCOMPARE(server.requests.last().headers.value("authorization"), QByteArray("Bearer tok"));

        server.answer =
            R"({"notification":{"id":"a/b","title":"t"},"launch":{"app":"mail","uri":"herald://x"}})";
        HeraldReply *open = client.open("a/b");
        QVERIFY(wait(open));
        QVERIFY2(open->isOk(), qPrintable(open->error().message));
        QCOMPARE(open->openResponse().launch.uri, QStringLiteral("herald://x"));
        QCOMPARE(server.requests.last().target, QByteArray("/v1/notifications/a%2Fb/open"));

        server.answer = R"({"apps":[{"app":"mail"}]})";
        HeraldReply *login = client.login({{"mail", QJsonObject{{"user", "bob"}}, true}, {"im", {}, false}});
        QVERIFY(wait(login));
        QVERIFY(login->isOk());
        const QJsonObject loginBody = QJsonDocument::fromJson(server.requests.last().body).object();
        QCOMPARE(
            loginBody.value("apps").toArray().at(0).toObject().value("credentials").toObject().value("user"),
            QJsonValue("bob"));
        QVERIFY(!loginBody.value("apps").toArray().at(1).toObject().contains("credentials"));

        // App names the server would refuse never leave the client (the rule is protocol::isAppName).
        const int sentBefore = server.requests.size();
        for (HeraldReply *refused : {client.login({{"Mail", {}, false}}), client.logout({"mail", "IM"})}) {
            QVERIFY(wait(refused));
            QCOMPARE(refused->error().code, QStringLiteral("bad_argument"));
            QVERIFY2(refused->error().message.contains("lower case"), qPrintable(refused->error().message));
        }
        protocol::RegisterRequest upper;
        upper.username = "bob";
        upper.device = {"d1", "ios", "tok", {}, {}, {}};
        upper.apps = {"mail", "Chat"};
        HeraldReply *badRegister = client.registerDevice(upper);
        QVERIFY(wait(badRegister));
        QCOMPARE(badRegister->error().code, QStringLiteral("bad_argument"));
        QCOMPARE(server.requests.size(), sentBefore);

        HeraldReply *logout = client.logout();
        QVERIFY(wait(logout));
        QCOMPARE(QJsonDocument::fromJson(server.requests.last().body).object(), QJsonObject());

        server.status = 404;
        server.answer = R"({"error":"not_found","message":"no such notification"})";
        HeraldReply *missing = client.open("zzz");
        QVERIFY(wait(missing));
        QCOMPARE(missing->error().status, 404);
        QCOMPARE(missing->error().code, QStringLiteral("not_found"));
        QCOMPARE(missing->error().message, QStringLiteral("no such notification"));

        server.status = 502;
        server.answer = "<html>bad gateway</html>";
        HeraldReply *proxy = client.notifications();
        QVERIFY(wait(proxy));
        QCOMPARE(proxy->error().code, QStringLiteral("http_502"));

        server.status = 200;
        server.answer = R"({"not":"a list"})";
        HeraldReply *shape = client.notifications();
        QVERIFY(wait(shape));
        QCOMPARE(shape->error().code, QStringLiteral("bad_response"));

        server.status = 204;
        HeraldReply *gone = client.unregisterDevice();
        QVERIFY(wait(gone));
        QVERIFY(gone->isOk());
        QCOMPARE(server.requests.last().method, QByteArray("DELETE"));
        QVERIFY(client.deviceToken().isEmpty());

        const int before = server.requests.size();
        HeraldReply *unregistered = client.notifications();
        QVERIFY(wait(unregistered));
        QCOMPARE(unregistered->error().code, QStringLiteral("not_registered"));
        QCOMPARE(server.requests.size(), before);
    }

    void sessionChannel()
    {
        QWebSocketServer server("fake", QWebSocketServer::SecureMode);
        server.setSslConfiguration(m_serverTls);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        QList<QWebSocket *> peers;
        QStringList received; // frames the fake server got, as text
        QByteArray authorization;
        connect(&server, &QWebSocketServer::newConnection, this, [&] {
            QWebSocket *peer = server.nextPendingConnection();
            authorization = peer->request().rawHeader("Authorization");
            peers.append(peer);
            connect(peer, &QWebSocket::textMessageReceived, this, [&, peer](const QString &text) {
                received.append(text);
                const QString type = parse(text).value("type").toString();
                if (type == "hello")
                    peer->sendTextMessage(
                        R"({"type":"welcome","protocol":1,"features":["ack","clear"],"heartbeat":2})");
                else if (type == "ping")
                    peer->sendTextMessage(R"({"type":"pong"})");
            });
        });

        SessionChannel channel;
        channel.setServerUrl(QUrl(QStringLiteral("https://127.0.0.1:%1").arg(server.serverPort())));
        channel.setTlsTrust(pinned());
        channel.setDeviceToken("tok-s");
        channel.setAutoReconnect(true, 50, 200);
        QVERIFY(channel.setState("mail", UiState::Foreground));
        QString error;
        QVERIFY(!channel.setState("bad app", UiState::Foreground, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!channel.setState("Mail", UiState::Foreground, &error));
        QVERIFY2(error.contains("use \"mail\""), qPrintable(error));

        QSignalSpy connected(&channel, &SessionChannel::connected);
        QSignalSpy delivered(&channel, &SessionChannel::delivered);
        QSignalSpy cleared(&channel, &SessionChannel::cleared);
        QSignalSpy errors(&channel, &SessionChannel::errorFrame);
        QSignalSpy invalid(&channel, &SessionChannel::protocolError);
        channel.open();
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, 10000);
        QCOMPARE(authorization, QByteArray("Bearer tok-s"));
        QCOMPARE(channel.heartbeatSeconds(), 2);
        QTRY_COMPARE(received.size(), 2);
        QCOMPARE(parse(received[0]).value("type").toString(), QStringLiteral("hello"));
        QCOMPARE(parse(received[0]).value("features").toArray().size(), 2);
        QCOMPARE(parse(received[1]), (QJsonObject{{"type", "state"}, {"app", "mail"}, {"ui", "foreground"}}));

        QVERIFY(channel.setState("im", UiState::Background));
        QTRY_VERIFY(received.contains(R"({"app":"im","type":"state","ui":"background"})"));

        QWebSocket *peer = peers.last();
        peer->sendTextMessage(R"({"type":"deliver","id":"n-7","app":"mail","title":"Hi","body":"b",)"
                              R"("createdAt":"2026-01-01T00:00:00Z"})");
        QTRY_COMPARE(delivered.size(), 1);
        QCOMPARE(delivered.first().first().value<DeliverFrame>().id, QStringLiteral("n-7"));
        QTRY_VERIFY(received.contains(R"({"id":"n-7","type":"ack"})"));

        peer->sendTextMessage(R"({"type":"clear","ids":["n-7","n-8"]})");
        QTRY_COMPARE(cleared.size(), 1);
        QCOMPARE(cleared.first().first().toStringList(), QStringList({"n-7", "n-8"}));
        peer->sendTextMessage(R"({"type":"error","error":"bad_value","message":"nope"})");
        QTRY_COMPARE(errors.size(), 1);
        QCOMPARE(errors.first().at(0).toString(), QStringLiteral("bad_value"));
        peer->sendTextMessage(R"({"type":"deliver","id":""})");
        QTRY_COMPARE(invalid.size(), 1);

        // Heartbeat 2 s: a ping within about a second.
        QTRY_VERIFY_WITH_TIMEOUT(received.contains(R"({"type":"ping"})"), 3000);

        // Without auto-ack a deliver stays unacknowledged (the server's fallback path).
        channel.setAutoAck(false);
        received.clear();
        peer->sendTextMessage(R"({"type":"deliver","id":"n-9","app":"mail","title":"","body":"",)"
                              R"("createdAt":"2026-01-01T00:00:00Z"})");
        QTRY_COMPARE(delivered.size(), 2);
        // An ack would have gone out when the deliver was handled, before this state frame.
        QVERIFY(channel.setState("calendar", UiState::Closed));
        QTRY_VERIFY(received.contains(R"({"app":"calendar","type":"state","ui":"closed"})"));
        QVERIFY(!received.contains(R"({"id":"n-9","type":"ack"})"));
        channel.setAutoAck(true);

        // A lost connection comes back by itself and replays the app states.
        received.clear();
        peer->abort();
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 2, 10000);
        QTRY_VERIFY(received.contains(R"({"app":"mail","type":"state","ui":"foreground"})"));
        QTRY_VERIFY(received.contains(R"({"app":"im","type":"state","ui":"background"})"));
        QCOMPARE(parse(received.first()).value("type").toString(), QStringLiteral("hello"));

        QSignalSpy down(&channel, &SessionChannel::disconnected);
        QSignalSpy reconnects(&channel, &SessionChannel::reconnectScheduled);
        channel.close();
        QTRY_COMPARE(down.size(), 1);
        // A reconnect is scheduled (or not) as the disconnect is handled: closed on purpose, none is.
        QCOMPARE(reconnects.size(), 0);
        QCOMPARE(channel.state(), SessionChannel::State::Disconnected);
        QCOMPARE(connected.size(), 2);
    }

    void sessionRefusesWrongPin()
    {
        QWebSocketServer server("fake", QWebSocketServer::SecureMode);
        server.setSslConfiguration(m_serverTls);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        bool upgraded = false;
        connect(&server, &QWebSocketServer::newConnection, this, [&] { upgraded = true; });
        SessionChannel channel;
        channel.setServerUrl(QUrl(QStringLiteral("https://127.0.0.1:%1").arg(server.serverPort())));
        TlsTrust wrong;
        QString error;
        QVERIFY(wrong.setPinnedSha256(QString(64, 'b'), &error));
        channel.setTlsTrust(wrong);
        channel.setDeviceToken("tok");
        QSignalSpy failed(&channel, &SessionChannel::connectionError);
        channel.open();
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
        QCOMPARE(failed.first().first().value<ApiError>().code, QStringLiteral("tls_error"));
        QVERIFY(!upgraded);
        QCOMPARE(channel.state(), SessionChannel::State::Disconnected);
    }
    // ---- herald-term, the command-line terminal, end to end against the same peers ----

    void termUsageErrors()
    {
        QProcess term;
        term.start(HERALD_TERM_PATH, {"login"});
        QVERIFY(finished(term, 10000));
        QCOMPARE(term.exitCode(), 2);
        QVERIFY(term.readAllStandardError().contains("login needs at least one APP"));
        term.start(HERALD_TERM_PATH, {"login", "Mail"});
        QVERIFY(finished(term, 10000));
        QCOMPARE(term.exitCode(), 2);
        QVERIFY(term.readAllStandardError().contains("invalid app name \"Mail\": app names are lower case: use \"mail\""));
        term.start(HERALD_TERM_PATH, {"--cacert", m_dir.filePath("missing.pem"), "logout"});
        QVERIFY(finished(term, 10000));
        QCOMPARE(term.exitCode(), 2);
        QVERIFY(term.readAllStandardError().contains("--cacert"));
    }

    void termShowsPushes()
    {
        // `herald-term push` reads a push from stdin as the platform would hand it over.
        const QString state = m_dir.filePath("push-state.json");
        auto run = [&](const QByteArray &push, QByteArray *out, QByteArray *err) {
            QProcess term;
            term.start(HERALD_TERM_PATH, {"--state", state, "push"});
            term.write(push);
            term.closeWriteChannel();
            if (!finished(term, 10000))
                return -1;
            *out = term.readAllStandardOutput();
            *err = term.readAllStandardError();
            return term.exitCode();
        };
        QByteArray out, err;
        QCOMPARE(run("{\"aps\":{\"content-available\":1,\"badge\":2},\"clear\":[\"n-9\",\"n-1\"]}", &out, &err), 0);
        QCOMPARE(QJsonDocument::fromJson(out).object(),
                 (QJsonObject{{"type", "clear"}, {"ids", QJsonArray{"n-9", "n-1"}}, {"badge", 2}}));
        QCOMPARE(run("{\"message\":{\"notification\":{\"body\":\"New mail from Bob\"},"
                     "\"data\":{\"nid\":\"n-3\",\"uri\":\"herald://open/mail/n-3\",\"badge\":\"1\"}}}", &out, &err), 0);
        const QJsonObject shown = QJsonDocument::fromJson(out).object();
        QCOMPARE(shown.value("type").toString(), QStringLiteral("notification"));
        QCOMPARE(shown.value("nid").toString(), QStringLiteral("n-3"));
        QCOMPARE(shown.value("body").toString(), QStringLiteral("New mail from Bob"));
        QCOMPARE(shown.value("badge").toInt(), 1);
        QCOMPARE(run("{\"clear\":\"\"}", &out, &err), 1);
        QVERIFY2(err.contains("bad_push"), err.constData());
        QCOMPARE(run("not json", &out, &err), 1);
        QVERIFY(err.contains("not a JSON object"));
    }

    void termCommands()
    {
        FakeHttps server(m_serverTls);
        server.status = 201;
        server.answer = R"({"deviceToken":"tok-term","deviceId":"d9"})";
        const QString stateFile = m_dir.filePath("term-state.json");
        const QString pin = TlsTrust::formatFingerprint(TlsTrust::fingerprint(m_cert));
        const QStringList global{"--server", base(server.port()).toString(), "--pin-sha256", pin, "--state",
                                 stateFile};
        QProcess term;
        term.start(HERALD_TERM_PATH, QStringList(global) << "register"
                                                         << "bob"
                                                         << "--device-id"
                                                         << "d9"
                                                         << "--platform"
                                                         << "android"
                                                         << "--push-token"
                                                         << "fcm"
                                                         << "--apps"
                                                         << "mail");
        term.write("s3cret\n");
        term.closeWriteChannel();
        QVERIFY(finished(term, 15000));
        QCOMPARE(term.exitCode(), 0);
        QCOMPARE(QJsonDocument::fromJson(server.requests.last().body).object().value("password").toString(),
                 QStringLiteral("s3cret"));
        QFile state(stateFile);
        QVERIFY(state.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(state.readAll()).object().value("deviceToken").toString(),
                 QStringLiteral("tok-term"));
        QCOMPARE(QFileInfo(stateFile).permissions() & (QFile::ReadGroup | QFile::ReadOther),
                 QFile::Permissions());

        server.status = 200;
        server.answer = R"([{"id":"n1","app":"mail","createdAt":"2026-01-01T00:00:00Z","state":"unread"}])";
        term.start(HERALD_TERM_PATH, QStringList(global) << "notifications"
                                                         << "--state"
                                                         << "unread");
        QVERIFY(finished(term, 15000));
        QCOMPARE(term.exitCode(), 0);
        QCOMPARE(QJsonDocument::fromJson(term.readAllStandardOutput()).array().size(), 1);
        QCOMPARE(server.requests.last().headers.value("authorization"), QByteArray("Bearer tok-term"));

        server.status = 404;
        server.answer = R"({"error":"not_found","message":"no such notification"})";
        term.start(HERALD_TERM_PATH, QStringList(global) << "open"
                                                         << "n2");
        QVERIFY(finished(term, 15000));
        QCOMPARE(term.exitCode(), 1);
        QCOMPARE(term.readAllStandardError().trimmed(), QByteArray("error: not_found: no such notification"));
    }

    void termSession()
    {
        QWebSocketServer server("fake", QWebSocketServer::SecureMode);
        server.setSslConfiguration(m_serverTls);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        QWebSocket *peer = nullptr;
        QStringList received;
        connect(&server, &QWebSocketServer::newConnection, this, [&] {
            peer = server.nextPendingConnection();
            connect(peer, &QWebSocket::textMessageReceived, this, [&](const QString &text) {
                received.append(text);
                if (parse(text).value("type").toString() == "hello")
                    peer->sendTextMessage(
                        R"({"type":"welcome","protocol":1,"features":["ack"],"heartbeat":30})");
            });
        });
        const QString stateFile = m_dir.filePath("session-state.json");
        QFile state(stateFile);
        QVERIFY(state.open(QIODevice::WriteOnly));
        const QJsonObject saved{{"server", QStringLiteral("https://127.0.0.1:%1").arg(server.serverPort())},
                                {"deviceToken", "tok"},
                                {"deviceId", "d"}};
        state.write(QJsonDocument(saved).toJson());
        state.close();
        const QString pin = TlsTrust::formatFingerprint(TlsTrust::fingerprint(m_cert));

        for (const bool ack : {true, false}) {
            received.clear();
            QProcess term;
            QStringList arguments{"--state", stateFile,      "--pin-sha256", pin,
                                  "session", "--foreground", "mail"};
            if (!ack)
                arguments << "--no-ack";
            term.start(HERALD_TERM_PATH, arguments);
            QVERIFY(term.waitForStarted());
            QTRY_VERIFY_WITH_TIMEOUT(term.canReadLine(), 10000);
            QCOMPARE(parse(QString::fromUtf8(term.readLine())).value("type").toString(),
                     QStringLiteral("welcome"));
            QTRY_VERIFY(received.contains(R"({"app":"mail","type":"state","ui":"foreground"})"));

            peer->sendTextMessage(R"({"type":"deliver","id":"n-1","app":"mail","title":"T","body":"B",)"
                                  R"("createdAt":"2026-01-01T00:00:00Z"})");
            QTRY_VERIFY_WITH_TIMEOUT(term.canReadLine(), 10000);
            const QJsonObject line = parse(QString::fromUtf8(term.readLine()));
            QCOMPARE(line.value("type").toString(), QStringLiteral("deliver"));
            QCOMPARE(line.value("title").toString(), QStringLiteral("T"));
            if (ack)
                QTRY_VERIFY(received.contains(R"({"id":"n-1","type":"ack"})"));

            term.write("state im background\nbogus command\n");
            QTRY_VERIFY(received.contains(R"({"app":"im","type":"state","ui":"background"})"));
            // Without --no-ack the ack went out when the deliver was handled, before this state frame.
            QCOMPARE(received.contains(R"({"id":"n-1","type":"ack"})"), ack);
            QByteArray errors;
            QTRY_VERIFY((errors += term.readAllStandardError()).contains("error: bad_command"));
            if (ack) {
                term.write("quit\n");
                QVERIFY(finished(term, 10000));
                QCOMPARE(term.exitCode(), 0);
            } else {
                // The server ending the session is an error for a terminal that did not ask for it.
                peer->close();
                QVERIFY(finished(term, 10000));
                QCOMPARE(term.exitCode(), 1);
            }
        }
    }
};

QTEST_GUILESS_MAIN(tst_HeraldClient)
#include "tst_heraldclient.moc"
