// HttpResponse::deferred: a handler that answers later (POST /v1/login waiting for monitors). The
// connection reads no further request until the answer exists, pipelined requests are answered
// after it and in order, and a client that leaves meanwhile is no error.
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
    QList<std::function<void(HttpResponse)>> m_pending; // answers the test gives when it wants
    int m_served = 0;

    std::unique_ptr<QSslSocket> connectClient(QByteArray *received)
    {
        auto socket = std::make_unique<QSslSocket>();
        socket->setPeerVerifyMode(QSslSocket::VerifyNone); // the test's own throw-away certificate
        connect(socket.get(), &QSslSocket::readyRead, socket.get(), [s = socket.get(), received] { *received += s->readAll(); });
        socket->connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server->serverPort());
        // Not waitForEncrypted(): the server runs on this thread and needs the event loop.
        QDeadlineTimer deadline(10000);
        while (!socket->isEncrypted() && !deadline.hasExpired()) {
            QSignalSpy encrypted(socket.get(), &QSslSocket::encrypted);
            encrypted.wait(int(qMax<qint64>(1, deadline.remainingTime())));
        }
        return socket->isEncrypted() ? std::move(socket) : nullptr;
    }
    static QByteArray get(const QByteArray &path) { return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"; }

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
        m_server->router().add("GET", QStringLiteral("/later"), [this](const HttpRequest &) {
            HttpResponse response;
            response.deferred = [this](std::function<void(HttpResponse)> answer) { m_pending.append(std::move(answer)); };
            return response;
        });
        m_server->router().add("GET", QStringLiteral("/now/{n}"), [this](const HttpRequest &r) {
            ++m_served;
            return HttpResponse::json(200, QJsonObject{{QStringLiteral("n"), r.pathParams.value(QStringLiteral("n"))}});
        });
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
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
