#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QQueue>
#include <QSslCertificate>
#include <QSslSocket>

// One keep-alive HTTPS/1.1 connection that keeps up to `depth` requests in flight (pipelining) and
// reads the answers in order. A load generator for bench/push, not a general HTTP client: it knows
// only Content-Length bodies, which is all herald-server sends.
class PipelinedHttpsConnection : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        quint64 tag = 0;
        QByteArray method, path, bearer, body;
    };

    PipelinedHttpsConnection(const QString &host, quint16 port, const QList<QSslCertificate> &ca, int depth,
                             QObject *parent = nullptr);

    void connectToServer();
    void enqueue(const Request &request);
    int inFlight() const { return int(m_awaiting.size()); }
    int queued() const { return int(m_queue.size()); }
    bool idle() const { return m_awaiting.isEmpty() && m_queue.isEmpty(); }

Q_SIGNALS:
    // status 0: the connection failed before the answer (error says why).
    void answered(quint64 tag, int status, const QByteArray &body);
    void failed(const QString &error);

private:
    void pump();
    void onReadyRead();
    bool takeOneResponse();
    void failAll(const QString &error);

    QString m_host;
    QByteArray m_hostLatin1;
    quint16 m_port;
    int m_depth;
    QSslSocket m_socket;
    bool m_ready = false;
    QQueue<Request> m_queue;
    QQueue<quint64> m_awaiting;
    QByteArray m_buffer;
    qsizetype m_readPos = 0; // answers before it are taken; cut off after each read
};
