#include "InProcessTls.h"

#include "http/HttpServer.h"
#include "http/TlsIdentity.h"
#include "timing/EpollEventDispatcher.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTest>

namespace herald::test {

std::unique_ptr<HttpServer> makeInProcessServer(const QString &dir, const HttpLimits &limits, QString *error)
{
    TlsIdentity identity;
    if (!identity.loadOrCreateSelfSigned(dir, error))
        return nullptr;
    auto server = std::make_unique<HttpServer>(limits);
    if (!server->setTlsCredentials(identity.chain(), identity.key(), error))
        return nullptr;
    return server;
}

std::unique_ptr<QSslSocket> connectInProcess(quint16 port, QByteArray *received)
{
    auto socket = std::make_unique<QSslSocket>();
    socket->setPeerVerifyMode(QSslSocket::VerifyNone);
    if (received)
        QObject::connect(socket.get(), &QSslSocket::readyRead, socket.get(),
                         [s = socket.get(), received] { *received += s->readAll(); });
    socket->connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    QDeadlineTimer deadline(10000);
    while (!socket->isEncrypted() && !deadline.hasExpired()) {
        QSignalSpy encrypted(socket.get(), &QSslSocket::encrypted);
        encrypted.wait(int(qMax<qint64>(1, deadline.remainingTime())));
    }
    return socket->isEncrypted() ? std::move(socket) : nullptr;
}

int execOnEpollDispatcher(int argc, char **argv, const std::function<QObject *()> &makeTest)
{
    auto *dispatcher = new EpollEventDispatcher;
    if (!dispatcher->isValid()) {
        delete dispatcher;
        return 1;
    }
    QCoreApplication::setEventDispatcher(dispatcher);
    QCoreApplication app(argc, argv);
    std::unique_ptr<QObject> test(makeTest());
    return QTest::qExec(test.get(), argc, argv);
}

} // namespace herald::test
