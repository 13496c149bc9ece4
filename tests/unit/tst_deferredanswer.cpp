// HttpResponse::later: a handler answers when it knows (an operator's test push waits for a
// provider's verdict) without blocking the event loop. The connection reads nothing more while it
// waits, so a pipelined request is handled and answered after it, in order; other connections are
// served meanwhile; an answer for a client that went away is dropped quietly.
#include "http/HttpServer.h"
#include "http/TlsIdentity.h"

#include <QJsonObject>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace herald;

class tst_DeferredAnswer : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<HttpServer> m_server;
    QList<std::function<void(const HttpResponse &)>> m_waiting;
    QStringList m_handled;

    std::unique_ptr<QSslSocket> connectClient(QByteArray *received)
    {
        auto socket = std::make_unique<QSslSocket>();
        socket->setPeerVerifyMode(QSslSocket::VerifyNone); // the test's own throw-away certificate
        connect(socket.get(), &QSslSocket::readyRead, socket.get(),
                [s = socket.get(), received] { *received += s->readAll(); });
        socket->connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server->serverPort());
        QDeadlineTimer deadline(10000);
        while (!socket->isEncrypted() && !deadline.hasExpired())
            QTest::qWait(10);
        return socket->isEncrypted() ? std::move(socket) : nullptr;
    }

    static QByteArray get(const QByteArray &path) { return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"; }
    static HttpResponse named(const QString &n) { return HttpResponse::json(200, QJsonObject{{QStringLiteral("n"), n}}); }

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
        m_server->router().add("GET", QStringLiteral("/later/{n}"), [this](const HttpRequest &r) {
            m_handled << r.pathParams.value(QStringLiteral("n"));
            HttpResponse response;
            response.later = [this](std::function<void(const HttpResponse &)> answer) { m_waiting << answer; };
            return response;
        });
        m_server->router().add("GET", QStringLiteral("/at-once/{n}"), [this](const HttpRequest &r) {
            const QString n = r.pathParams.value(QStringLiteral("n"));
            m_handled << n;
            HttpResponse response;
            // Answering inside the call is allowed too.
            response.later = [n](std::function<void(const HttpResponse &)> answer) { answer(named(n)); };
            return response;
        });
        m_server->router().add("GET", QStringLiteral("/now/{n}"), [this](const HttpRequest &r) {
            m_handled << r.pathParams.value(QStringLiteral("n"));
            return named(r.pathParams.value(QStringLiteral("n")));
        });
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    }

    void init()
    {
        m_waiting.clear();
        m_handled.clear();
    }

    void pipelinedRequestsWaitTheirTurn()
    {
        QByteArray received;
        auto client = connectClient(&received);
        QVERIFY(client);
        client->write(get("/later/1") + get("/now/2"));
        QTRY_COMPARE(m_waiting.size(), 1);
        // Another connection is served while the first waits: nothing blocks.
        QByteArray other;
        auto second = connectClient(&other);
        QVERIFY(second);
        second->write(get("/now/9"));
        QTRY_VERIFY(other.contains("\"n\":\"9\""));
        QCOMPARE(m_handled, (QStringList{QStringLiteral("1"), QStringLiteral("9")})); // /now/2 not even read yet
        QVERIFY(received.isEmpty());
        m_waiting.takeFirst()(named(QStringLiteral("1")));
        QTRY_VERIFY(received.contains("\"n\":\"2\""));
        QVERIFY(received.indexOf("\"n\":\"1\"") > 0);
        QVERIFY(received.indexOf("\"n\":\"1\"") < received.indexOf("\"n\":\"2\""));
        QCOMPARE(received.count("HTTP/1.1 200"), 2);
        QCOMPARE(client->state(), QAbstractSocket::ConnectedState); // keep-alive goes on
        // And the connection keeps working for the next deferred answer.
        client->write(get("/at-once/3"));
        QTRY_VERIFY(received.contains("\"n\":\"3\""));
    }

    void answerTwiceOrAfterTheClientLeftIsHarmless()
    {
        QByteArray received;
        auto client = connectClient(&received);
        QVERIFY(client);
        client->write(get("/later/4"));
        QTRY_COMPARE(m_waiting.size(), 1);
        const auto answer = m_waiting.takeFirst();
        answer(named(QStringLiteral("4")));
        answer(named(QStringLiteral("4-again")));
        // Answers keep their order, so a second one would arrive before the next request's.
        client->write(get("/now/7"));
        QTRY_VERIFY(received.contains("\"n\":\"7\""));
        QVERIFY(received.contains("\"n\":\"4\""));
        QVERIFY(!received.contains("4-again"));

        client->write(get("/later/5"));
        QTRY_COMPARE(m_waiting.size(), 1);
        client->abort();
        client.reset();
        // Whether or not the server has noticed the close yet, the answer goes nowhere.
        m_waiting.takeFirst()(named(QStringLiteral("5")));
        // Still serving.
        QByteArray more;
        auto again = connectClient(&more);
        QVERIFY(again);
        again->write(get("/now/6"));
        QTRY_VERIFY(more.contains("\"n\":\"6\""));
    }
};

QTEST_MAIN(tst_DeferredAnswer)
#include "tst_deferredanswer.moc"
