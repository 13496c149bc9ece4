#include "push/Http2Client.h"

#include <QLoggingCategory>
#include <QVarLengthArray>

Q_DECLARE_LOGGING_CATEGORY(lcHttp2)

namespace herald {

Http2Client::Http2Client(const Options &options, QObject *parent) : QObject(parent), m_options(options)
{
    m_options.connections = qMax(1, m_options.connections);
    m_authority = m_options.host.toUtf8();
    if (m_options.port != 443)
        m_authority += ':' + QByteArray::number(m_options.port);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &Http2Client::pump);
}

Http2Client::~Http2Client()
{
    for (Http2Connection *c : std::as_const(m_connections)) {
        c->disconnect(this);
        c->close();
        delete c;
    }
}

int Http2Client::liveConnections() const
{
    int n = 0;
    for (const Http2Connection *c : m_connections)
        n += (!c->isDraining() && !c->isClosed()) ? 1 : 0;
    return n;
}

void Http2Client::setStreamHeader(const QByteArray &name, const QByteArray &value)
{
    for (auto &h : m_streamHeaders) {
        if (h.first == name) {
            h.second = value;
            return;
        }
    }
    m_streamHeaders.append({name, value});
}

quint64 Http2Client::submit(const Http2Request &request)
{
    const quint64 id = m_nextId++;
    m_queue.push_back({id, request, 0});
    if (!canAccept())
        m_wasFull = true;
    schedulePump();
    return id;
}

void Http2Client::schedulePump()
{
    // Coalesce: a burst of submit() calls becomes one pass that fills every free stream.
    if (m_pumpScheduled)
        return;
    m_pumpScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_pumpScheduled = false;
            pump();
        },
        Qt::QueuedConnection);
}

void Http2Client::pump()
{
    while (!m_queue.empty()) {
        Http2Connection *best = nullptr;
        for (Http2Connection *c : std::as_const(m_connections)) {
            if (c->canStartStream() && (!best || c->activeStreams() < best->activeStreams()))
                best = c;
        }
        if (!best)
            break;
        Pending &front = m_queue.front();
        if (!best->start(front.id, front.request, m_authority, m_streamHeaders))
            break;
        ++m_inFlight;
        const quint64 id = front.id;
        m_sent.emplace(id, std::move(front));
        m_queue.pop_front();
    }
    // Open connections up to the configured number while there is work, unless we are backing
    // off after failed connects (Apple treats rapid reconnects as abuse).
    if (!m_queue.empty() && !m_reconnectTimer.isActive()) {
        int connecting = 0;
        for (const Http2Connection *c : std::as_const(m_connections))
            connecting += (!c->isReady() && !c->isDraining() && !c->isClosed()) ? 1 : 0;
        const bool allBusy = connecting == 0;
        if (liveConnections() < m_options.connections && (allBusy || liveConnections() == 0))
            addConnection();
    }
}

void Http2Client::addConnection()
{
    auto *c = new Http2Connection(m_options.host, m_options.port, m_options.tls, m_options.limits, this);
    m_connections.append(c);
    connect(c, &Http2Connection::ready, this, [this] {
        m_connectFailures = 0;
        pump();
    });
    connect(c, &Http2Connection::capacityChanged, this, &Http2Client::pump);
    connect(c, &Http2Connection::responseReceived, this, [this](quint64 id, const Http2Response &response) {
        if (!m_sent.contains(id))
            return;
        finishOne(id);
        emit responseReceived(id, response);
    });
    connect(c, &Http2Connection::requestFailed, this, [this](quint64 id, const QString &error) {
        if (!m_sent.contains(id))
            return;
        finishOne(id);
        emit requestFailed(id, error);
    });
    connect(c, &Http2Connection::requestUnprocessed, this, [this](quint64 id) {
        auto it = m_sent.find(id);
        if (it == m_sent.end())
            return;
        Pending p = std::move(*it);
        m_sent.erase(it);
        --m_inFlight;
        if (++p.resends > m_options.maxResends) {
            emit requestFailed(id, QStringLiteral("refused by the server %1 times").arg(p.resends));
            return;
        }
        m_queue.push_front(std::move(p)); // keeps its place ahead of newer work
        schedulePump();
    });
    connect(c, &Http2Connection::closed, this,
            [this, c](const QString &reason, bool everReady) { onConnectionClosed(c, reason, everReady); });
    c->open();
}

void Http2Client::finishOne(quint64 id)
{
    m_sent.remove(id);
    --m_inFlight;
    // One posted notification at a time: under a full window every answer frees a slot, and a
    // posted event per answer (each an eventfd write) cost more than the HTTP/2 work itself.
    if (m_wasFull && canAccept() && !m_readyPosted) {
        m_readyPosted = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_readyPosted = false;
                if (m_wasFull && canAccept()) {
                    m_wasFull = false;
                    emit readyForMore();
                }
            },
            Qt::QueuedConnection);
    }
}

void Http2Client::onConnectionClosed(Http2Connection *connection, const QString &reason, bool everReady)
{
    m_connections.removeOne(connection);
    connection->deleteLater();
    if (!everReady) {
        ++m_connectFailures;
        qCWarning(lcHttp2) << "connect to" << m_options.host << m_options.port << "failed:" << reason;
        // Nothing can go out: fail what waits so the caller's retry policy takes over, instead of
        // holding it for an unknown time.
        if (liveConnections() == 0)
            failQueued(QStringLiteral("cannot connect: ") + reason);
        const int delayMs = qMin(30000, 500 * (1 << qMin(m_connectFailures - 1, 6)));
        m_reconnectTimer.start(delayMs);
    } else {
        qCInfo(lcHttp2) << "connection to" << m_options.host << "closed:" << reason;
        emit connectionLost(reason);
    }
    schedulePump();
}

void Http2Client::failQueued(const QString &reason)
{
    std::deque<Pending> queue;
    queue.swap(m_queue);
    for (const Pending &p : queue)
        emit requestFailed(p.id, reason);
    if (m_wasFull && canAccept()) {
        m_wasFull = false;
        emit readyForMore();
    }
}

} // namespace herald
