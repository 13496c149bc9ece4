#include "AsyncHttps.h"

#include <QJsonObject>
#include <QSslConfiguration>

namespace herald::test {

AsyncHttps::AsyncHttps(quint16 port, const QList<QSslCertificate> &ca, const QHostAddress &from, QObject *parent)
    : QObject(parent)
    , m_port(port)
    , m_from(from)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(ca);
    m_socket.setSslConfiguration(tls);
    connect(&m_socket, &QSslSocket::encrypted, this, [this] { m_socket.write(m_request); });
    connect(&m_socket, &QSslSocket::readyRead, this, [this] { m_received += m_socket.readAll(); });
    connect(&m_socket, &QSslSocket::disconnected, this, &AsyncHttps::parse);
    connect(&m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
            parse();
    });
}

void AsyncHttps::send(const QByteArray &method, const QString &path, const QByteArray &body, const QString &bearer)
{
    m_request = method + ' ' + path.toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!bearer.isEmpty())
        m_request += "Authorization: Bearer " + bearer.toLatin1() + "\r\n";
    if (!body.isEmpty() || method == "POST")
        m_request += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    m_request += "\r\n" + body;
    if (m_from != QHostAddress::LocalHost)
        m_socket.bind(m_from);
    m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_port);
}

QString AsyncHttps::errorCode() const
{
    return json().object().value(QStringLiteral("error")).toString();
}

void AsyncHttps::parse()
{
    if (m_done)
        return;
    m_received += m_socket.readAll();
    m_done = true;
    const int end = m_received.indexOf("\r\n\r\n");
    if (end > 0) {
        const QList<QByteArray> lines = m_received.left(end).split('\n');
        const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
        m_status = statusLine.size() > 1 ? statusLine.at(1).toInt() : 0;
        for (int i = 1; i < lines.size(); ++i) {
            const int colon = lines.at(i).indexOf(':');
            if (colon > 0)
                m_headers.insert(lines.at(i).left(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed());
        }
        m_body = m_received.mid(end + 4);
    }
    Q_EMIT finished();
}

} // namespace herald::test
