#include "PipelinedHttpsConnection.h"

#include <QSslConfiguration>

PipelinedHttpsConnection::PipelinedHttpsConnection(const QString &host, quint16 port,
                                                   const QList<QSslCertificate> &ca, int depth, QObject *parent)
    : QObject(parent), m_host(host), m_hostLatin1(host.toLatin1()), m_port(port), m_depth(qMax(1, depth))
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(ca);
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    m_socket.setSslConfiguration(tls);
    connect(&m_socket, &QSslSocket::encrypted, this, [this] {
        m_ready = true;
        pump();
    });
    connect(&m_socket, &QSslSocket::readyRead, this, &PipelinedHttpsConnection::onReadyRead);
    connect(&m_socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        failAll(QStringLiteral("TLS: ") + errors.value(0).errorString());
    });
    connect(&m_socket, &QAbstractSocket::errorOccurred, this,
            [this] { failAll(m_socket.errorString()); });
}

void PipelinedHttpsConnection::connectToServer()
{
    m_socket.connectToHostEncrypted(m_host, m_port);
}

void PipelinedHttpsConnection::enqueue(const Request &request)
{
    m_queue.enqueue(request);
    pump();
}

void PipelinedHttpsConnection::pump()
{
    if (!m_ready)
        return;
    // Appended piece by piece into one buffer: the generator shares the machine with the server it
    // measures, so every microsecond it spends is one the server does not get.
    QByteArray out;
    while (!m_queue.isEmpty() && m_awaiting.size() < m_depth) {
        const Request r = m_queue.dequeue();
        out.append(r.method).append(' ').append(r.path).append(" HTTP/1.1\r\nHost: ").append(m_hostLatin1).append("\r\n");
        if (!r.bearer.isEmpty())
            out.append("Authorization: Bearer ").append(r.bearer).append("\r\n");
        if (!r.body.isEmpty())
            out.append("Content-Type: application/json\r\n");
        out.append("Content-Length: ").append(QByteArray::number(r.body.size())).append("\r\n\r\n").append(r.body);
        m_awaiting.enqueue(r.tag);
    }
    if (!out.isEmpty())
        m_socket.write(out);
}

void PipelinedHttpsConnection::onReadyRead()
{
    m_buffer += m_socket.readAll();
    while (!m_awaiting.isEmpty() && takeOneResponse()) {
    }
    // The answers taken are cut off once per read, not once each (that was quadratic in the
    // number of pipelined answers a read brings).
    m_buffer.remove(0, m_readPos);
    m_readPos = 0;
    pump();
}

bool PipelinedHttpsConnection::takeOneResponse()
{
    const QByteArrayView data = QByteArrayView(m_buffer).sliced(m_readPos);
    const qsizetype headEnd = data.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return false;
    const QByteArrayView head = data.first(headEnd);
    // "HTTP/1.1 202 Accepted"
    const int status = head.size() >= 12 ? head.sliced(9, 3).toInt() : 0;
    qint64 length = 0;
    for (qsizetype lineStart = head.indexOf('\n'); lineStart >= 0; lineStart = head.indexOf('\n', lineStart + 1)) {
        const QByteArrayView line = head.sliced(lineStart + 1);
        static constexpr char name[] = "content-length:";
        if (line.size() > qsizetype(sizeof(name) - 1) && qstrnicmp(line.data(), name, sizeof(name) - 1) == 0) {
            const qsizetype end = line.indexOf('\r');
            length = line.sliced(sizeof(name) - 1, (end < 0 ? line.size() : end) - qsizetype(sizeof(name) - 1))
                         .trimmed()
                         .toLongLong();
        }
    }
    if (data.size() < headEnd + 4 + length)
        return false;
    const QByteArray body = data.sliced(headEnd + 4, length).toByteArray();
    m_readPos += headEnd + 4 + length;
    Q_EMIT answered(m_awaiting.dequeue(), status, body);
    return true;
}

void PipelinedHttpsConnection::failAll(const QString &error)
{
    m_ready = false;
    Q_EMIT failed(error);
    while (!m_awaiting.isEmpty())
        Q_EMIT answered(m_awaiting.dequeue(), 0, error.toUtf8());
    while (!m_queue.isEmpty())
        Q_EMIT answered(m_queue.dequeue().tag, 0, error.toUtf8());
}
