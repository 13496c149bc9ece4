#pragma once

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

namespace herald::test {

// A TCP relay on a loopback port that holds every connection until open(): a test can make
// something happen while a client (the server's IMAP monitor) is known to be on its way to a peer
// but has not reached it yet. After open() bytes flow both ways unchanged.
class TcpGate : public QObject
{
    Q_OBJECT
public:
    TcpGate(const QString &upstreamHost, quint16 upstreamPort, QObject *parent = nullptr);
    ~TcpGate() override;

    bool listen(); // on 127.0.0.1, a free port
    quint16 port() const { return m_server.serverPort(); }
    int heldConnections() const { return m_held; }
    void open(); // relays what is held and everything that comes later

private:
    struct Pair
    {
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> upstream;
    };
    void relay(Pair pair);

    QString m_host;
    quint16 m_port;
    QTcpServer m_server;
    QList<Pair> m_pairs;
    bool m_open = false;
    int m_held = 0;
};

} // namespace herald::test
