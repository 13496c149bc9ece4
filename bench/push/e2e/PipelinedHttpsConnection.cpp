#include "PipelinedHttpsConnection.h"

#include <QSslConfiguration>

PipelinedHttpsConnection::PipelinedHttpsConnection(const QString &host, quint16 port,
                                                   const QList<QSslCertificate> &ca, int depth, QObject *parent)
    : QObject(parent), m_host(host), m_port(port), m_depth(qMax(1, depth))
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
    QByteArray out;
    while (!m_queue.isEmpty() && m_awaiting.size() < m_depth) {
        const Request r = m_queue.dequeue();
        out += r.method + ' ' + r.path + " HTTP/1.1\r\nHost: " + m_host.toLatin1() + "\r\n";
        if (!r.bearer.isEmpty())
            out += "Authorization: Bearer " + r.bearer + "\r\n";
        if (!r.body.isEmpty())
            out += "Content-Type: application/json\r\n";
        out += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\n\r\n" + r.body;
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
    pump();
}

bool PipelinedHttpsConnection::takeOneResponse()
{
    const int headEnd = m_buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return false;
    const QByteArray head = m_buffer.left(headEnd);
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    const int status = statusLine.value(1).toInt();
    qint64 length = 0;
    for (const QByteArray &line : lines) {
        if (line.toLower().startsWith("content-length:"))
            length = line.mid(15).trimmed().toLongLong();
    }
    if (m_buffer.size() < headEnd + 4 + length)
        return false;
    const QByteArray body = m_buffer.mid(headEnd + 4, int(length));
    m_buffer.remove(0, int(headEnd + 4 + length));
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
