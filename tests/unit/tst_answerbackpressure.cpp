// A client that does not take its answers cannot make the server hold them without bound:
// pipelined requests stop being read (TlsSocket::setReadPaused, so TCP makes the client wait)
// once answers back up, and resume when the client reads, every answer arriving in order; a
// client that never reads, or never takes the last answer before the close, is dropped after
// HttpLimits::sendTimeoutMs.
#include "http/HttpServer.h"
#include "http/TlsSocket.h"

#include "InProcessTls.h"

#include <QSslSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace herald;

class tst_AnswerBackpressure : public QObject
{
    Q_OBJECT

private:
    static constexpr int AnswerBytes = 64 * 1024;
    QTemporaryDir m_dir;
    std::unique_ptr<HttpServer> m_server;
    int m_served = 0;

    std::unique_ptr<QSslSocket> connectClient()
    {
        auto socket = herald::test::connectInProcess(m_server->serverPort());
        if (socket)
            socket->setReadBufferSize(16 * 1024); // the client takes at most this off the wire until it reads
        return socket;
    }
    TlsSocket *onlyServerSocket()
    {
        const QList<TlsSocket *> sockets = m_server->findChildren<TlsSocket *>();
        return sockets.size() == 1 ? sockets.constFirst() : nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        HttpLimits limits;
        limits.sendTimeoutMs = 500;
        m_server = herald::test::makeInProcessServer(m_dir.path(), limits, &error);
        QVERIFY2(m_server, qPrintable(error));
        m_server->router().add("GET", QStringLiteral("/big/{n}"), [this](const HttpRequest &r) {
            ++m_served;
            // Each answer names its request, so the order can be checked.
            return HttpResponse::text(200, r.pathParams.value(QStringLiteral("n")).toUtf8().leftJustified(AnswerBytes, '.'),
                                      "application/octet-stream");
        });
        // Larger than what the kernel's buffers on both ends of a loopback connection hold.
        m_server->router().add("GET", QStringLiteral("/huge"), [](const HttpRequest &) {
            return HttpResponse::text(200, QByteArray(32 * 1024 * 1024, 'h'), "application/octet-stream");
        });
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    }

    void pipelinedRequestsWaitForTheClientToRead()
    {
        auto client = connectClient();
        QVERIFY(client);
        constexpr int Requests = 300; // ~19 MB of answers, far past what the kernel buffers
        QByteArray requests;
        for (int i = 0; i < Requests; ++i)
            requests += "GET /big/" + QByteArray::number(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
        m_served = 0;
        client->write(requests);

        QTRY_VERIFY_WITH_TIMEOUT(onlyServerSocket() && onlyServerSocket()->isReadPaused(), 10000);
        TlsSocket *server = onlyServerSocket();
        QVERIFY(m_served < Requests);
        // What waits on the server: under the mark plus the answers of one read's requests.
        QVERIFY2(server->bytesToWrite() <= 256 * 1024 + 32 * (AnswerBytes + 512),
                 qPrintable(QString::number(server->bytesToWrite())));

        // The client reads: everything arrives, in order, and nothing was dropped.
        client->setReadBufferSize(0);
        QByteArray received;
        connect(client.get(), &QSslSocket::readyRead, this, [&] { received += client->readAll(); });
        received += client->readAll();
        QTRY_VERIFY_WITH_TIMEOUT(received.size() >= qsizetype(Requests) * AnswerBytes, 20000);
        QCOMPARE(received.count("HTTP/1.1 200"), Requests);
        qsizetype at = 0;
        for (int i = 0; i < Requests; ++i) {
            at = received.indexOf("\r\n\r\n" + QByteArray::number(i) + ".", at);
            QVERIFY2(at >= 0, qPrintable(QStringLiteral("answer %1 missing or out of order").arg(i)));
        }
        QCOMPARE(m_served, Requests);
        QVERIFY(!server->isReadPaused());
        client->disconnectFromHost();
        QTRY_COMPARE(m_server->connectionCount(), 0);
    }

    void aClientThatNeverReadsIsDropped()
    {
        auto client = connectClient();
        QVERIFY(client);
        QByteArray requests;
        for (int i = 0; i < 300; ++i)
            requests += "GET /big/" + QByteArray::number(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
        client->write(requests);
        QTRY_VERIFY_WITH_TIMEOUT(onlyServerSocket() && onlyServerSocket()->isReadPaused(), 10000);
        // 500 ms after it stopped taking answers, the server lets go of it.
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 0, 10000);
    }

    void theLastAnswerBeforeACloseIsNotKeptForever()
    {
        auto client = connectClient();
        QVERIFY(client);
        // One answer, then the close: it cannot all go out while the client does not read.
        client->write("GET /huge HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(onlyServerSocket() && onlyServerSocket()->state() == TlsSocket::State::Closing, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 0, 10000);
    }

    void hostileInputStillGetsItsAnswer()
    {
        // The pause never swallows an error answer: garbage behind good requests is answered 400.
        auto client = connectClient();
        QVERIFY(client);
        client->setReadBufferSize(0);
        QByteArray received;
        connect(client.get(), &QSslSocket::readyRead, this, [&] { received += client->readAll(); });
        client->write("GET /big/1 HTTP/1.1\r\nHost: x\r\n\r\nNOT HTTP\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(received.contains("HTTP/1.1 400"), 10000);
        QVERIFY(received.startsWith("HTTP/1.1 200"));
        QTRY_COMPARE(m_server->connectionCount(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_AnswerBackpressure)
#include "tst_answerbackpressure.moc"
