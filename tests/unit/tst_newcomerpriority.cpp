// A new client waits behind established ones (TlsSocket::setDeferrable) until it has had its
// first answer, on the server's own dispatcher (EpollEventDispatcher, installed in main() below):
// during the handshake and the first request it is deferrable; after its first answer, or once
// its connection is taken over as a session, it is served as everyone else; a client that only
// connects, or sends garbage, never leaves the deferrable class.
#include "http/HttpServer.h"
#include "http/TlsSocket.h"
#include "timing/EpollEventDispatcher.h"

#include "InProcessTls.h"

#include <QJsonObject>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace herald;

class tst_NewcomerPriority : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<HttpServer> m_server;
    QList<std::function<void(HttpResponse)>> m_pending;
    std::unique_ptr<TlsSocket> m_takenOver;

    std::unique_ptr<QSslSocket> connectClient(QByteArray *received)
    {
        return herald::test::connectInProcess(m_server->serverPort(), received);
    }
    // The server's one open connection (the earlier tests' are closed by then).
    TlsSocket *onlyServerSocket()
    {
        const QList<TlsSocket *> sockets = m_server->findChildren<TlsSocket *>();
        QList<TlsSocket *> open;
        for (TlsSocket *socket : sockets)
            if (socket->isOpen())
                open.append(socket);
        return open.size() == 1 ? open.constFirst() : nullptr;
    }
    static QByteArray get(const QByteArray &path) { return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"; }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance()));
        QString error;
        m_server = herald::test::makeInProcessServer(m_dir.path(), HttpLimits(), &error);
        QVERIFY2(m_server, qPrintable(error));
        m_server->router().add("GET", QStringLiteral("/later"), [this](const HttpRequest &) {
            HttpResponse response;
            response.deferred = [this](std::function<void(HttpResponse)> answer) { m_pending.append(std::move(answer)); };
            return response;
        });
        m_server->router().add("GET", QStringLiteral("/upgrade"), [this](const HttpRequest &) {
            HttpResponse response;
            response.takeOver = [this](TlsSocket *socket, const HttpRequest &, const QByteArray &) {
                m_takenOver.reset(socket);
            };
            return response;
        });
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    }

    void aNewClientWaitsUntilItsFirstAnswer()
    {
        QByteArray received;
        auto client = connectClient(&received);
        QVERIFY(client);
        client->write(get("/later"));
        QTRY_COMPARE(m_pending.size(), 1);
        TlsSocket *socket = onlyServerSocket();
        QVERIFY(socket);
        QVERIFY(socket->isDeferrable()); // handshake done, request read, no answer yet

        m_pending.takeFirst()(HttpResponse::json(200, QJsonObject{}));
        QTRY_VERIFY(received.startsWith("HTTP/1.1 200"));
        QVERIFY(!socket->isDeferrable());

        // Its later requests are an established client's too.
        client->write(get("/later"));
        QTRY_COMPARE(m_pending.size(), 1);
        QVERIFY(!socket->isDeferrable());
        m_pending.takeFirst()(HttpResponse::json(200, QJsonObject{}));
        QTRY_COMPARE(received.count("HTTP/1.1 200"), 2);
        client->disconnectFromHost();
        QTRY_VERIFY(!onlyServerSocket());
    }

    void anUpgradedSessionIsEstablished()
    {
        QByteArray received;
        auto client = connectClient(&received);
        QVERIFY(client);
        client->write(get("/upgrade"));
        QTRY_VERIFY(m_takenOver);
        QVERIFY(!m_takenOver->isDeferrable());
        m_takenOver.reset();
    }

    void aClientThatOnlyConnectsStaysDeferrable()
    {
        QByteArray received;
        auto client = connectClient(&received);
        QVERIFY(client);
        TlsSocket *socket = nullptr;
        QTRY_VERIFY((socket = onlyServerSocket()) != nullptr);
        QVERIFY(socket->isDeferrable());
        client->abort();
        QTRY_VERIFY(!onlyServerSocket());
    }

    void garbageNeverEarnsPriority()
    {
        // Not TLS at all: the handshake fails while the socket is still deferrable.
        QTcpSocket raw;
        raw.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
        QTRY_VERIFY(raw.state() == QAbstractSocket::ConnectedState);
        TlsSocket *socket = nullptr;
        QTRY_VERIFY((socket = onlyServerSocket()) != nullptr);
        QVERIFY(socket->isDeferrable());
        raw.write(QByteArray(4096, '\x16'));
        QTRY_VERIFY_WITH_TIMEOUT(raw.state() == QAbstractSocket::UnconnectedState, 10000);

        // A TLS client whose request is malformed gets its 400 and the close, never priority.
        QByteArray received;
        auto client = connectClient(&received);
        QVERIFY(client);
        QTRY_VERIFY((socket = onlyServerSocket()) != nullptr);
        QPointer<TlsSocket> guard(socket);
        client->write("NOT HTTP AT ALL\r\n\r\n");
        QTRY_VERIFY(received.startsWith("HTTP/1.1 400"));
        QVERIFY(!guard || guard->isDeferrable());
    }
};

int main(int argc, char **argv)
{
    return herald::test::execOnEpollDispatcher(argc, argv, [] { return new tst_NewcomerPriority; });
}

#include "tst_newcomerpriority.moc"
