// HttpConnection's answers pass the server's ResponseGate: nothing is written before the gate lets
// it, pipelined answers keep their order, and a failed commit becomes a 500 and a closed connection.
// Also the server's own wiring: SqliteStorage::whenDurable under group commit as the gate.
#include "http/HttpServer.h"
#include "http/TlsIdentity.h"
#include "storage/SqliteStorage.h"

#include <QJsonObject>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

using namespace herald;

class tst_ResponseGate : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    TlsIdentity m_tls;
    std::unique_ptr<HttpServer> m_server;
    QList<std::function<void(bool)>> m_held;
    bool m_holding = true;
    int m_served = 0;

    std::unique_ptr<QSslSocket> connectClient(QByteArray *received, quint16 port = 0)
    {
        auto socket = std::make_unique<QSslSocket>();
        socket->setPeerVerifyMode(QSslSocket::VerifyNone); // the test's own throw-away certificate
        connect(socket.get(), &QSslSocket::readyRead, socket.get(),
                [s = socket.get(), received] { *received += s->readAll(); });
        socket->connectToHostEncrypted(QStringLiteral("127.0.0.1"), port ? port : m_server->serverPort());
        // Not waitForEncrypted(): the server runs on this thread and needs the event loop.
        QTest::qWaitFor([s = socket.get()] { return s->isEncrypted(); }, 10000);
        return socket->isEncrypted() ? std::move(socket) : nullptr;
    }

    // Lets the event loop poll every socket of this thread a few times over: a byte goes through a
    // loopback pair of its own and comes back. Whatever the server wrote before this began has
    // reached the client's socket and been read by the time the echo is back.
    static bool eventLoopRoundTrip()
    {
        QTcpServer echo;
        if (!echo.listen(QHostAddress::LocalHost, 0))
            return false;
        QObject::connect(&echo, &QTcpServer::newConnection, &echo, [&echo] {
            QTcpSocket *peer = echo.nextPendingConnection();
            QObject::connect(peer, &QTcpSocket::readyRead, peer, [peer] { peer->write(peer->readAll()); });
        });
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, echo.serverPort());
        QSignalSpy back(&socket, &QTcpSocket::readyRead);
        QObject::connect(&socket, &QTcpSocket::connected, &socket, [&socket] { socket.write("x"); });
        return back.wait(5000) || !back.isEmpty();
    }

    static QByteArray get(const QByteArray &path)
    {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    static QByteArray post(const QByteArray &path)
    {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
    }

    // A second, independent reader: sees only what is committed.
    static bool committed(const QString &path, const QString &account)
    {
        SqliteStorage reader(path);
        QString error;
        return reader.open(&error) && reader.accountByName(account).has_value();
    }

    void release(bool durable)
    {
        const auto held = std::exchange(m_held, {});
        for (const auto &write : held)
            write(durable);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_tls.loadOrCreateSelfSigned(m_dir.path(), &error), qPrintable(error));
        m_server = std::make_unique<HttpServer>(HttpLimits());
        QVERIFY2(m_server->setTlsCredentials(m_tls.chain(), m_tls.key(), &error), qPrintable(error));
        m_server->router().add("GET", QStringLiteral("/n/{n}"), [this](const HttpRequest &r) {
            ++m_served;
            return HttpResponse::json(200, QJsonObject{{QStringLiteral("n"), r.path.section(QLatin1Char('/'), -1)}});
        });
        m_server->setResponseGate([this](std::function<void(bool)> write) {
            if (m_holding)
                m_held.append(std::move(write));
            else
                write(true);
        });
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    }

    void answersWaitForTheGateAndKeepTheirOrder()
    {
        m_holding = true;
        m_served = 0;
        QByteArray received;
        auto client = connectClient(&received);
        QVERIFY(client);
        client->write(get("/n/1") + get("/n/2") + get("/n/3"));
        QTRY_COMPARE(m_served, 3); // all three handled ...
        QTRY_COMPARE(m_held.size(), 3);
        QVERIFY(eventLoopRoundTrip());
        QVERIFY(received.isEmpty()); // ... and none answered yet
        release(true);
        QTRY_COMPARE(received.count("HTTP/1.1 200"), 3);
        const int one = received.indexOf("\"n\":\"1\""), two = received.indexOf("\"n\":\"2\""),
                  three = received.indexOf("\"n\":\"3\"");
        QVERIFY(one > 0 && one < two && two < three);
        QCOMPARE(client->state(), QAbstractSocket::ConnectedState); // keep-alive
    }

    void failedCommitAnswers500AndCloses()
    {
        m_holding = true;
        QByteArray received;
        auto client = connectClient(&received);
        QVERIFY(client);
        client->write(get("/n/7"));
        QTRY_COMPARE(m_held.size(), 1);
        release(false);
        QTRY_VERIFY(received.contains("HTTP/1.1 500"));
        QVERIFY(!received.contains("\"n\":\"7\"")); // never the answer that promised success
        QVERIFY(received.contains("\"error\":\"internal_error\""));
        QTRY_COMPARE(client->state(), QAbstractSocket::UnconnectedState);
    }

    void errorsBeforeAHandlerPassTheGateToo()
    {
        // A malformed request queued behind a held answer must not overtake it.
        m_holding = true;
        QByteArray received;
        auto client = connectClient(&received);
        QVERIFY(client);
        client->write(get("/n/8") + "NONSENSE\r\n\r\n");
        QTRY_COMPARE(m_held.size(), 2);
        QVERIFY(received.isEmpty());
        release(true);
        QTRY_VERIFY(received.contains("HTTP/1.1 400"));
        QVERIFY(received.indexOf("HTTP/1.1 200") >= 0 && received.indexOf("HTTP/1.1 200") < received.indexOf("HTTP/1.1 400"));
        QTRY_COMPARE(client->state(), QAbstractSocket::UnconnectedState);
    }

    void clientGoneBeforeTheCommit()
    {
        m_holding = true;
        QByteArray received;
        auto client = connectClient(&received);
        QVERIFY(client);
        client->write(get("/n/9"));
        QTRY_COMPARE(m_held.size(), 1);
        QTRY_COMPARE(m_server->connectionCount(), 1); // earlier tests' connections are gone
        client->abort();
        QTRY_COMPARE(m_server->connectionCount(), 0); // the server noticed and dropped the connection
        release(true);     // must not touch what is gone
        m_holding = false;
        QByteArray again;
        auto next = connectClient(&again);
        QVERIFY(next);
        next->write(get("/n/10"));
        QTRY_VERIFY(again.contains("\"n\":\"10\""));
    }

    void nothingFollowsAFailedAnswer()
    {
        // The first answer's commit held, the second's failed: 200, then 500 and the close; the
        // third answer is never written, whatever its own outcome.
        m_holding = true;
        QByteArray received;
        auto client = connectClient(&received);
        QVERIFY(client);
        client->write(get("/n/11") + get("/n/12") + get("/n/13"));
        QTRY_COMPARE(m_held.size(), 3);
        const auto held = std::exchange(m_held, {});
        held.at(0)(true);
        held.at(1)(false);
        held.at(2)(true);
        QTRY_VERIFY(received.contains("HTTP/1.1 500"));
        QTRY_COMPARE(client->state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(received.count("HTTP/1.1 "), 2);
        QVERIFY(received.startsWith("HTTP/1.1 200"));
        QVERIFY(received.indexOf("\"n\":\"11\"") < received.indexOf("HTTP/1.1 500"));
        QVERIFY(!received.contains("\"n\":\"12\""));
        QVERIFY(!received.contains("\"n\":\"13\""));
    }

    void tooLargeBodyAnswerWaitsForTheGate()
    {
        // The 413 goes out while the rest of the body is read and dropped; the close after that
        // drain passes the gate as well, so it cannot overtake the held answer.
        m_holding = true;
        const int served = m_served;
        QByteArray received;
        auto client = connectClient(&received);
        QVERIFY(client);
        const qint64 size = HttpLimits().maxBodyBytes + 1000;
        client->write("POST /n/14 HTTP/1.1\r\nHost: x\r\nContent-Length: " + QByteArray::number(size) + "\r\n\r\n");
        QTRY_COMPARE(m_held.size(), 1); // the answer, decided on the head alone
        client->write(QByteArray(size, 'x'));
        QTRY_COMPARE(m_held.size(), 2); // the close, once the body is drained
        QVERIFY(eventLoopRoundTrip());
        QVERIFY(received.isEmpty());
        QCOMPARE(client->state(), QAbstractSocket::ConnectedState);
        release(true);
        QTRY_VERIFY(received.contains("\r\n\r\n"));
        QTRY_COMPARE(client->state(), QAbstractSocket::UnconnectedState);
        QVERIFY2(received.startsWith("HTTP/1.1 413"), received.left(40).constData());
        QCOMPARE(m_served, served); // no handler ran
    }

    void storageGateAnswersAfterItsCommit()
    {
        // The server's wiring: whenDurable of a group-committing SqliteStorage is the gate.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("gate.sqlite"));
        SqliteStorage storage(path);
        QString error;
        QVERIFY2(storage.open(&error), qPrintable(error));
        storage.setGroupCommit(true);

        HttpServer server{HttpLimits()};
        QVERIFY2(server.setTlsCredentials(m_tls.chain(), m_tls.key(), &error), qPrintable(error));
        auto create = [&storage](const QString &name) {
            if (!storage.createAccount(name, QStringLiteral("h")))
                return HttpResponse::error(protocol::ApiError{409, QStringLiteral("exists"), name});
            return HttpResponse::json(201, QJsonObject{{QStringLiteral("name"), name}});
        };
        server.router().add("POST", QStringLiteral("/accounts/{name}"),
                            [create](const HttpRequest &r) { return create(r.pathParams.value(QStringLiteral("name"))); });
        server.router().add("POST", QStringLiteral("/doomed/{name}"), [&, create](const HttpRequest &r) {
            // Writes the account, then a delivery of no notification with the check deferred: the
            // handler succeeds, the COMMIT of its batch fails.
            const HttpResponse response = create(r.pathParams.value(QStringLiteral("name")));
            sqlite3_exec(storage.nativeHandle(), "PRAGMA defer_foreign_keys = ON", nullptr, nullptr, nullptr);
            DeliveryRecord orphan;
            orphan.id = QStringLiteral("d-orphan");
            orphan.notificationId = QStringLiteral("no-such-notification");
            orphan.deviceId = 4242;
            storage.insertDelivery(orphan);
            return response;
        });
        server.setResponseGate([&storage](std::function<void(bool)> write) { storage.whenDurable(std::move(write)); });
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));

        QByteArray received;
        auto client = connectClient(&received, server.serverPort());
        QVERIFY(client);
        client->write(post("/accounts/ann") + post("/accounts/ben") + post("/accounts/ann"));
        QTRY_COMPARE(received.count("HTTP/1.1 "), 3);
        const int ann = received.indexOf("HTTP/1.1 201"), ben = received.indexOf("\"name\":\"ben\""),
                  again = received.indexOf("HTTP/1.1 409");
        QVERIFY(ann == 0 && ann < ben && ben < again);
        QVERIFY(committed(path, QStringLiteral("ann")));
        QVERIFY(committed(path, QStringLiteral("ben")));
        QCOMPARE(client->state(), QAbstractSocket::ConnectedState);

        // A failed COMMIT: the handler said 201, the client hears 500 and the connection ends.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("COMMIT failed")));
        QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(QStringLiteral("group commit failed")));
        received.clear();
        client->write(post("/doomed/cy"));
        QTRY_VERIFY(received.contains("HTTP/1.1 500"));
        QVERIFY(!received.contains("HTTP/1.1 201"));
        QVERIFY(received.contains("\"error\":\"internal_error\""));
        QTRY_COMPARE(client->state(), QAbstractSocket::UnconnectedState);
        QVERIFY(!committed(path, QStringLiteral("cy")));

        // The next batch commits and answers as usual.
        QByteArray more;
        auto next = connectClient(&more, server.serverPort());
        QVERIFY(next);
        next->write(post("/accounts/cy"));
        QTRY_VERIFY(more.contains("HTTP/1.1 201"));
        QVERIFY(committed(path, QStringLiteral("cy")));
    }
};

QTEST_GUILESS_MAIN(tst_ResponseGate)
#include "tst_responsegate.moc"
