// HttpResponse::deferred: a handler that answers later (POST /v1/login waiting for monitors, any
// terminal request waiting for its bearer token's read). The connection reads no further request
// until the answer exists, pipelined requests are answered after it and in order, the answer may
// wait again or take the connection over, and a client that leaves meanwhile is no error.
#include "http/HttpServer.h"
#include "http/TlsSocket.h"

#include "InProcessTls.h"

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
    QList<std::function<void(HttpResponse)>> m_pending; // answers the test gives when it wants
    int m_served = 0;
    std::unique_ptr<TlsSocket> m_takenOver;
    QString m_takenPath;
    QByteArray m_takenPending;

    std::unique_ptr<QSslSocket> connectClient(QByteArray *received)
    {
        return herald::test::connectInProcess(m_server->serverPort(), received);
    }
    static QByteArray get(const QByteArray &path) { return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"; }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_server = herald::test::makeInProcessServer(m_dir.path(), HttpLimits(), &error);
        QVERIFY2(m_server, qPrintable(error));
        m_server->router().add("GET", QStringLiteral("/later"), [this](const HttpRequest &) {
            HttpResponse response;
            response.deferred = [this](std::function<void(HttpResponse)> answer) { m_pending.append(std::move(answer)); };
            return response;
        });
        m_server->router().add("GET", QStringLiteral("/now/{n}"), [this](const HttpRequest &r) {
            ++m_served;
            return HttpResponse::json(200, QJsonObject{{QStringLiteral("n"), r.pathParams.value(QStringLiteral("n"))}});
        });
        // A read off the event loop, then another wait (a password check), then the answer.
        m_server->router().add("GET", QStringLiteral("/twice"), [this](const HttpRequest &) {
            HttpResponse response;
            response.deferred = [this](std::function<void(HttpResponse)> answer) {
                m_pending.append([this, answer](HttpResponse) {
                    HttpResponse again;
                    again.deferred = [this](std::function<void(HttpResponse)> second) { m_pending.append(std::move(second)); };
                    answer(again);
                });
            };
            return response;
        });
        // A session upgrade whose bearer token is looked up first: the later answer takes the socket.
        m_server->router().add("GET", QStringLiteral("/upgrade"), [this](const HttpRequest &) {
            HttpResponse response;
            response.deferred = [this](std::function<void(HttpResponse)> answer) {
                m_pending.append([this, answer](HttpResponse) {
                    HttpResponse takeOver;
                    takeOver.takeOver = [this](TlsSocket *socket, const HttpRequest &request, const QByteArray &pending) {
                        m_takenOver.reset(socket);
                        m_takenPath = request.path;
                        m_takenPending = pending;
                        socket->write("taken\n");
                    };
                    answer(takeOver);
                });
            };
            return response;
        });
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    }

    void aDeferredAnswerMayWaitAgain()
    {
        QByteArray received;
        auto client = connectClient(&received);
        QVERIFY(client);
        client->write(get("/twice") + get("/now/5"));
        QTRY_COMPARE(m_pending.size(), 1);
        m_pending.takeFirst()(HttpResponse());
        QTRY_COMPARE(m_pending.size(), 1); // the second wait
        QVERIFY(received.isEmpty());
        m_pending.takeFirst()(HttpResponse::json(201, QJsonObject{{QStringLiteral("n"), QStringLiteral("twice")}}));
        QTRY_VERIFY(received.contains("\"5\""));
        QVERIFY(received.startsWith("HTTP/1.1 201"));
        QVERIFY(received.indexOf("\"twice\"") < received.indexOf("\"5\""));
    }

    void aDeferredAnswerMayTakeTheConnectionOver()
    {
        QByteArray received;
        auto client = connectClient(&received);
        QVERIFY(client);
        // The client's first frame follows its upgrade at once; it must reach whoever takes over.
        client->write(get("/upgrade") + "first-frame");
        QTRY_COMPARE(m_pending.size(), 1);
        m_pending.takeFirst()(HttpResponse());
        QTRY_VERIFY(m_takenOver);
        QCOMPARE(m_takenPath, QStringLiteral("/upgrade"));
        QCOMPARE(m_takenPending, QByteArray("first-frame"));
        QTRY_COMPARE(received, QByteArray("taken\n")); // no HTTP answer: the socket is not the server's now
        m_takenOver.reset();
    }

    void pipelinedRequestsWaitTheirTurn()
    {
        QByteArray received;
        auto client = connectClient(&received);
        QVERIFY(client);
        m_served = 0;
        client->write(get("/later") + get("/now/1") + get("/now/2"));
        QTRY_COMPARE(m_pending.size(), 1);
        // Nothing is answered, and the requests behind it (sent in the same write) are not even run,
        // until the answer exists.
        QVERIFY(received.isEmpty());
        QCOMPARE(m_served, 0);

        m_pending.takeFirst()(HttpResponse::json(200, QJsonObject{{QStringLiteral("n"), QStringLiteral("later")}}));
        QTRY_VERIFY(received.count("HTTP/1.1 200") == 3);
        const qsizetype later = received.indexOf("\"later\""), one = received.indexOf("\"1\""), two = received.indexOf("\"2\"");
        QVERIFY(later >= 0 && later < one && one < two);
        QCOMPARE(m_served, 2);

        // The connection stays usable.
        received.clear();
        client->write(get("/now/3"));
        QTRY_VERIFY(received.contains("\"3\""));
    }

    void clientLeavesWhileWaiting()
    {
        QByteArray received;
        auto client = connectClient(&received);
        QVERIFY(client);
        client->write(get("/later"));
        QTRY_COMPARE(m_pending.size(), 1);
        client->abort();
        client.reset();
        m_pending.takeFirst()(HttpResponse::json(200, QJsonObject{})); // goes nowhere, harms nothing
        QByteArray again;
        auto other = connectClient(&again);
        QVERIFY(other);
        other->write(get("/now/4"));
        QTRY_VERIFY(again.contains("\"4\""));
    }
};

QTEST_GUILESS_MAIN(tst_DeferredAnswer)
#include "tst_deferredanswer.moc"
