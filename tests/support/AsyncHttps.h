#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonDocument>
#include <QObject>
#include <QSslCertificate>
#include <QSslSocket>

namespace herald::test {

// One HTTPS request that does not block, sent from a chosen loopback source address (127.0.0.2,
// .3, …), so a test can play many clients at once, tell them apart by address as the server does,
// and see in which order the answers come. `Connection: close`; the answer is read to the end.
class AsyncHttps : public QObject
{
    Q_OBJECT
public:
    AsyncHttps(quint16 port, const QList<QSslCertificate> &ca, const QHostAddress &from = QHostAddress::LocalHost,
               QObject *parent = nullptr);

    void send(const QByteArray &method, const QString &path, const QByteArray &body = {}, const QString &bearer = {});

    bool isDone() const { return m_done; }
    int status() const { return m_status; } // 0: no HTTP answer
    QByteArray body() const { return m_body; }
    QJsonDocument json() const { return QJsonDocument::fromJson(m_body); }
    QString errorCode() const;
    QByteArray header(const QByteArray &lowerName) const { return m_headers.value(lowerName); }

signals:
    void finished();

private:
    void parse();

    quint16 m_port;
    QHostAddress m_from;
    QSslSocket m_socket;
    QByteArray m_request;
    QByteArray m_received;
    bool m_done = false;
    int m_status = 0;
    QByteArray m_body;
    QHash<QByteArray, QByteArray> m_headers;
};

} // namespace herald::test
