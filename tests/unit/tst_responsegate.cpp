// HttpConnection's answers pass the server's ResponseGate: nothing is written before the gate lets
// it, pipelined answers keep their order, and a failed commit becomes a 500 and a closed connection.
// Also RandomToken::timeOrderedUuid, whose ids the outbox rows are keyed by.
#include "http/HttpServer.h"
#include "http/TlsIdentity.h"
#include "util/RandomToken.h"

#include <QJsonObject>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

using namespace herald;

class tst_ResponseGate : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<HttpServer> m_server;
    QList<std::function<void(bool)>> m_held;
    bool m_holding = true;
    int m_served = 0;

    std::unique_ptr<QSslSocket> connectClient(QByteArray *received)
    {
        auto socket = std::make_unique<QSslSocket>();
        socket->setPeerVerifyMode(QSslSocket::VerifyNone); // the test's own throw-away certificate
        connect(socket.get(), &QSslSocket::readyRead, socket.get(),
                [s = socket.get(), received] { *received += s->readAll(); });
        socket->connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server->serverPort());
        // Not waitForEncrypted(): the server runs on this thread and needs the event loop.
        QDeadlineTimer deadline(10000);
        while (!socket->isEncrypted() && !deadline.hasExpired())
            QTest::qWait(10);
        return socket->isEncrypted() ? std::move(socket) : nullptr;
    }

    static QByteArray get(const QByteArray &path)
    {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
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
        TlsIdentity identity;
        QString error;
        QVERIFY2(identity.loadOrCreateSelfSigned(m_dir.path(), &error), qPrintable(error));
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificateChain(identity.chain());
        tls.setPrivateKey(identity.key());
        m_server = std::make_unique<HttpServer>(tls, HttpLimits());
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
        QTest::qWait(100);
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
        client->abort();
        QTest::qWait(200); // the server notices and drops the connection
        release(true);     // must not touch what is gone
        m_holding = false;
        QByteArray again;
        auto next = connectClient(&again);
        QVERIFY(next);
        next->write(get("/n/10"));
        QTRY_VERIFY(again.contains("\"n\":\"10\""));
    }

    void timeOrderedUuids()
    {
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        QSet<QString> seen;
        QString previous;
        for (int i = 0; i < 10000; ++i) {
            const QString id = RandomToken::timeOrderedUuid();
            QCOMPARE(id.size(), 36);
            const QUuid uuid = QUuid::fromString(id);
            QVERIFY(!uuid.isNull());
            QCOMPARE(id.at(14), QLatin1Char('7')); // version 7 (Qt 6.4's QUuid::version() stops at 5)
            QVERIFY(QStringLiteral("89ab").contains(id.at(19))); // RFC 4122 / 9562 variant bits 10
            const qint64 ms = QStringView(id).left(8).toLongLong(nullptr, 16) << 16 | QStringView(id).mid(9, 4).toLongLong(nullptr, 16);
            QVERIFY(ms >= before && ms <= QDateTime::currentMSecsSinceEpoch());
            seen.insert(id);
            if (!previous.isEmpty() && previous.left(13) != id.left(13))
                QVERIFY(previous < id); // a later millisecond sorts later
            previous = id;
        }
        QCOMPARE(seen.size(), 10000);
    }
};

QTEST_GUILESS_MAIN(tst_ResponseGate)
#include "tst_responsegate.moc"
