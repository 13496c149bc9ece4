#pragma once

#include <QByteArray>
#include <QSslSocket>
#include <QString>

#include "http/HttpLimits.h"

#include <functional>
#include <memory>

class QObject;

namespace herald {
class HttpServer;
}

namespace herald::test {

// An HttpServer with a self-signed certificate made in `dir`, not yet listening; null with *error
// when the certificate cannot be made or taken.
std::unique_ptr<HttpServer> makeInProcessServer(const QString &dir, const HttpLimits &limits, QString *error);

// A TLS client of a server that runs on the test's own thread: it connects without
// waitForEncrypted(), which would block the event loop the server needs to answer, and trusts
// any certificate (the test's throw-away one). With `received`, everything the server sends is
// appended there as it arrives. Null when the handshake did not finish within 10 s.
std::unique_ptr<QSslSocket> connectInProcess(quint16 port, QByteArray *received = nullptr);

// Runs `test` on EpollEventDispatcher, the server's main-thread dispatcher on Linux, so that every
// wait of the test (QTRY, QSignalSpy) runs on it too: the QCoreApplication is made here, after
// the dispatcher is installed. Returns QTest::qExec's result, or 1 if epoll is not available.
int execOnEpollDispatcher(int argc, char **argv, const std::function<QObject *()> &makeTest);

} // namespace herald::test
