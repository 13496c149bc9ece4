// TlsSocket and TlsContext, the listener's own TLS: a real handshake with Qt's client on loopback,
// data both ways, ALPN, writes that outrun the peer (the WANT_WRITE path) and still all arrive
// before the close, and hostile peers: plain HTTP, random bytes, a handshake cut off, an old TLS
// version. Every wait is for a signal; nothing sleeps.
#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include "http/TlsContext.h"
#include "http/TlsIdentity.h"
#include "http/TlsSocket.h"

#include <memory>

using namespace herald;

namespace {

// Accepts connections and hands each to a TlsSocket made from one shared context.
class Listener : public QTcpServer
{
    Q_OBJECT
public:
    explicit Listener(const TlsContext &context) : m_context(context) {}
    QList<TlsSocket *> sockets;

signals:
    void accepted(herald::TlsSocket *socket);

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new TlsSocket(descriptor, m_context.newConnection(), this);
        sockets.append(socket);
        Q_EMIT accepted(socket);
    }

private:
    const TlsContext &m_context;
};

QSslConfiguration clientConfig(const QList<QByteArray> &alpn = {QByteArrayLiteral("http/1.1")})
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    config.setAllowedNextProtocols(alpn);
    return config;
}

} // namespace

class tst_TlsSocket : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    TlsIdentity m_identity;
    std::unique_ptr<TlsContext> m_context;
    std::unique_ptr<Listener> m_listener;

    // A connected, encrypted pair: Qt's client and the server's TlsSocket.
    TlsSocket *connectClient(QSslSocket &client, const QSslConfiguration &config = clientConfig())
    {
        QSignalSpy accepted(m_listener.get(), &Listener::accepted);
        client.setSslConfiguration(config);
        QSignalSpy encrypted(&client, &QSslSocket::encrypted);
        // Never waitFor*(): the server runs on this thread's event loop.
        client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_listener->serverPort());
        if (!encrypted.wait(10000))
            return nullptr;
        if (accepted.isEmpty() && !accepted.wait(5000))
            return nullptr;
        auto *server = accepted.first().first().value<TlsSocket *>();
        if (server->state() == TlsSocket::State::Handshaking && !QTest::qWaitFor([server] {
                return server->state() != TlsSocket::State::Handshaking;
            }))
            return nullptr;
        return server;
    }

    // A plain TCP client that sends bytes which are not a whole TLS handshake (and then, with
    // hangUp, goes away); the server must end the connection once, with the reason.
    void expectRefused(const QByteArray &bytes, const QString &expected, bool hangUp = false)
    {
        QSignalSpy accepted(m_listener.get(), &Listener::accepted);
        QTcpSocket raw;
        raw.connectToHost(QHostAddress::LocalHost, m_listener->serverPort());
        QVERIFY(raw.waitForConnected(5000));
        QVERIFY(accepted.wait(5000));
        auto *server = accepted.first().first().value<TlsSocket *>();
        QSignalSpy gone(server, &TlsSocket::disconnected);
        raw.write(bytes);
        if (hangUp)
            raw.disconnectFromHost(); // after what is written has gone out
        QVERIFY(gone.wait(5000));
        QCOMPARE(gone.size(), 1);
        QCOMPARE(server->state(), TlsSocket::State::Closed);
        QVERIFY2(server->errorString().contains(expected), qPrintable(server->errorString()));
        QCOMPARE(server->write("late"), qint64(-1));
        QTRY_COMPARE_WITH_TIMEOUT(raw.state(), QAbstractSocket::UnconnectedState, 5000);
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<herald::TlsSocket *>();
        QString error;
        const QString cert = m_dir.filePath(QStringLiteral("c.pem"));
        const QString key = m_dir.filePath(QStringLiteral("k.pem"));
        QVERIFY2(TlsIdentity::generateSelfSigned(cert, key, &error), qPrintable(error));
        QVERIFY2(m_identity.loadFiles(cert, key, &error), qPrintable(error));
        m_context = TlsContext::create(m_identity.chain(), m_identity.key(), &error);
        QVERIFY2(m_context, qPrintable(error));
    }

    void init()
    {
        m_listener = std::make_unique<Listener>(*m_context);
        QVERIFY(m_listener->listen(QHostAddress::LocalHost, 0));
    }

    void cleanup() { m_listener.reset(); }

    void refusesCredentialsThatDoNotFit()
    {
        QString error;
        QVERIFY(!TlsContext::create({}, m_identity.key(), &error));
        QVERIFY2(error.contains(QStringLiteral("certificate and its private key")), qPrintable(error));

        TlsIdentity other;
        const QString cert = m_dir.filePath(QStringLiteral("c2.pem"));
        const QString key = m_dir.filePath(QStringLiteral("k2.pem"));
        QVERIFY(TlsIdentity::generateSelfSigned(cert, key, &error));
        QVERIFY(other.loadFiles(cert, key, &error));
        error.clear();
        QVERIFY(!TlsContext::create(m_identity.chain(), other.key(), &error));
        QVERIFY2(error.contains(QStringLiteral("does not match")), qPrintable(error));
    }

    void exchangesDataBothWays()
    {
        QSslSocket client;
        TlsSocket *server = connectClient(client);
        QVERIFY(server);
        QCOMPARE(server->peerAddress(), QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(client.sslConfiguration().nextNegotiatedProtocol(), QByteArrayLiteral("http/1.1"));
        QCOMPARE(client.sessionProtocol() >= QSsl::TlsV1_2, true);

        QSignalSpy readable(server, &TlsSocket::readyRead);
        client.write("hello from the terminal");
        QVERIFY(QTest::qWaitFor([&] { return server->bytesAvailable() >= 23; }, 5000));
        QCOMPARE(server->readAll(), QByteArrayLiteral("hello from the terminal"));
        QCOMPARE(server->bytesAvailable(), qint64(0));
        QVERIFY(!readable.isEmpty());

        QSignalSpy written(server, &TlsSocket::bytesWritten);
        QCOMPARE(server->write("and back"), qint64(8));
        QCOMPARE(written.size(), 0); // never from inside write()
        QVERIFY(QTest::qWaitFor([&] { return client.bytesAvailable() >= 8; }, 5000));
        QCOMPARE(client.readAll(), QByteArrayLiteral("and back"));
        QCOMPARE(written.size(), 1);
        QCOMPARE(written.first().first().toLongLong(), qint64(8));
        QCOMPARE(server->bytesToWrite(), qint64(0));
    }

    void offersOnlyHttp11()
    {
        QSslSocket client;
        TlsSocket *server = connectClient(client, clientConfig({QByteArrayLiteral("h2")}));
        QVERIFY(server); // no common protocol: no ALPN answer, the connection still works
        QVERIFY(client.sslConfiguration().nextNegotiatedProtocol().isEmpty());
        server->write("ok");
        QVERIFY(QTest::qWaitFor([&] { return client.bytesAvailable() >= 2; }, 5000));
    }

    void queuedWritesAllArriveBeforeTheClose()
    {
        QSslSocket client;
        client.setReadBufferSize(16 * 1024); // the client stops reading: the server's writes back up
        TlsSocket *server = connectClient(client);
        QVERIFY(server);
        QVERIFY(server->setSendBufferSize(8 * 1024));

        QByteArray sent;
        for (int i = 0; i < 32; ++i) { // 2 MiB, far more than the kernel buffers between them
            QByteArray chunk(64 * 1024, Qt::Uninitialized);
            for (char &c : chunk)
                c = char(QRandomGenerator::global()->bounded(256));
            sent += chunk;
            QCOMPARE(server->write(chunk), qint64(chunk.size()));
        }
        qint64 written = 0;
        connect(server, &TlsSocket::bytesWritten, this, [&](qint64 n) { written += n; });
        QSignalSpy serverGone(server, &TlsSocket::disconnected);
        server->disconnectFromHost();
        QCOMPARE(server->state(), TlsSocket::State::Closing);
        QCOMPARE(server->write("too late"), qint64(-1));
        // With the client not reading, the kernel fills and the rest waits in the socket.
        QVERIFY(QTest::qWaitFor([&] { return written > 0; }, 5000));
        QVERIFY(server->bytesToWrite() > 0);
        QCOMPARE(serverGone.size(), 0);

        // Read as it comes (signal-driven: polling with qWaitFor's sleeps would take seconds).
        QByteArray received;
        connect(&client, &QSslSocket::readyRead, this, [&] { received += client.readAll(); });
        client.setReadBufferSize(0);
        received += client.readAll();
        QVERIFY(serverGone.wait(20000));
        QTRY_COMPARE_WITH_TIMEOUT(received.size(), sent.size(), 5000);
        QCOMPARE(QCryptographicHash::hash(received, QCryptographicHash::Sha256),
                 QCryptographicHash::hash(sent, QCryptographicHash::Sha256));
        QCOMPARE(serverGone.size(), 1);
        QCOMPARE(written, qint64(sent.size()));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::UnconnectedState, 5000);
    }

    void peerCloseEndsItOnce()
    {
        QSslSocket client;
        TlsSocket *server = connectClient(client);
        QVERIFY(server);
        QSignalSpy gone(server, &TlsSocket::disconnected);
        QByteArray got;
        connect(server, &TlsSocket::readyRead, this, [&] { got += server->readAll(); });
        client.write("last words");
        client.disconnectFromHost();
        QVERIFY(gone.wait(5000));
        QCOMPARE(got, QByteArrayLiteral("last words")); // read before the end was reported
        QCOMPARE(gone.size(), 1);
        QCOMPARE(server->state(), TlsSocket::State::Closed);
        server->disconnectFromHost(); // harmless afterwards
        server->abort();
        QCOMPARE(gone.size(), 1);
    }

    void abortClosesWithoutASignal()
    {
        QSslSocket client;
        TlsSocket *server = connectClient(client);
        QVERIFY(server);
        QSignalSpy gone(server, &TlsSocket::disconnected);
        server->write("dropped");
        server->abort();
        QCOMPARE(server->state(), TlsSocket::State::Closed);
        QCOMPARE(server->bytesToWrite(), qint64(0));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::UnconnectedState, 5000);
        QCOMPARE(gone.size(), 0);
    }

    void deletedFromItsOwnSignal()
    {
        // Owners delete sockets from readyRead (HttpConnection on a bad request); nothing may
        // touch the socket after that.
        QSslSocket client;
        TlsSocket *server = connectClient(client);
        QVERIFY(server);
        QPointer<TlsSocket> watch(server);
        connect(server, &TlsSocket::readyRead, this, [server] { delete server; });
        m_listener->sockets.removeAll(server);
        client.write("bye");
        client.disconnectFromHost(); // the end arrives in the same read pass
        QVERIFY(QTest::qWaitFor([&] { return watch.isNull(); }, 5000));
    }

    void plainHttpIsRefused() { expectRefused("GET / HTTP/1.1\r\nHost: x\r\n\r\n", QStringLiteral("handshake failed")); }

    void randomBytesAreRefused()
    {
        QByteArray junk(100 * 1024, Qt::Uninitialized);
        for (char &c : junk)
            c = char(QRandomGenerator::global()->bounded(256));
        junk[0] = char(0x16); // looks like a handshake record, so OpenSSL reads on before giving up
        expectRefused(junk, QStringLiteral("handshake failed"));
    }

    void handshakeCutOffIsRefused()
    {
        // The first bytes of a ClientHello record, then the client goes away.
        expectRefused(QByteArray::fromHex("160301020001"), QStringLiteral("handshake failed"), true);
    }

    void oldTlsIsRefused()
    {
        // TLS 1.1, which OpenSSL 3 sends only at security level 0.
        QSslConfiguration config = clientConfig();
        QT_WARNING_PUSH
        QT_WARNING_DISABLE_DEPRECATED // the point: a version the server must refuse
        config.setProtocol(QSsl::TlsV1_1);
        QT_WARNING_POP
        config.setBackendConfigurationOption(QByteArrayLiteral("CipherString"), QByteArrayLiteral("DEFAULT:@SECLEVEL=0"));
        QSignalSpy accepted(m_listener.get(), &Listener::accepted);
        QSslSocket client;
        client.setSslConfiguration(config);
        client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_listener->serverPort());
        QVERIFY(accepted.size() == 1 || accepted.wait(5000));
        auto *server = accepted.first().first().value<TlsSocket *>();
        QVERIFY(QTest::qWaitFor([server] { return server->state() == TlsSocket::State::Closed; }, 5000));
        QVERIFY2(server->errorString().contains(QStringLiteral("unsupported protocol")), qPrintable(server->errorString()));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::UnconnectedState, 5000);
        QVERIFY(!client.isEncrypted());
    }
};

QTEST_GUILESS_MAIN(tst_TlsSocket)
#include "tst_tlssocket.moc"
