#include "TcpGate.h"

namespace herald::test {

TcpGate::TcpGate(const QString &upstreamHost, quint16 upstreamPort, QObject *parent)
    : QObject(parent)
    , m_host(upstreamHost)
    , m_port(upstreamPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *client = m_server.nextPendingConnection()) {
            client->setParent(this);
            Pair pair{client, nullptr};
            if (m_open) {
                relay(pair);
            } else {
                ++m_held; // its bytes wait in the socket until open()
                m_pairs.append(pair);
            }
        }
    });
}

TcpGate::~TcpGate()
{
    for (const Pair &p : std::as_const(m_pairs)) {
        if (p.client)
            p.client->abort();
        if (p.upstream)
            p.upstream->abort();
    }
}

bool TcpGate::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

void TcpGate::open()
{
    m_open = true;
    const QList<Pair> held = std::exchange(m_pairs, {});
    m_held = 0;
    for (const Pair &p : held)
        relay(p);
}

void TcpGate::relay(Pair pair)
{
    QTcpSocket *client = pair.client;
    if (!client)
        return;
    auto *upstream = new QTcpSocket(this);
    pair.upstream = upstream;
    m_pairs.append(pair);
    connect(upstream, &QTcpSocket::connected, client, [client, upstream] {
        upstream->write(client->readAll());
        connect(client, &QTcpSocket::readyRead, upstream, [client, upstream] { upstream->write(client->readAll()); });
    });
    connect(upstream, &QTcpSocket::readyRead, client, [client, upstream] { client->write(upstream->readAll()); });
    connect(upstream, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
    connect(upstream, &QTcpSocket::errorOccurred, client, [client] { client->disconnectFromHost(); });
    connect(client, &QTcpSocket::disconnected, upstream, [upstream] { upstream->disconnectFromHost(); });
    upstream->connectToHost(m_host, m_port);
}

} // namespace herald::test
