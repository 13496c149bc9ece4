#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QNetworkAccessManager>
#include <QSslCertificate>

namespace herald::test {

// Blocking HTTPS requests for tests, trusting only the given CA (the server's self-signed cert).
class HttpsClient
{
public:
    struct Reply
    {
        int status = 0; // 0: no HTTP answer (connection failure)
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> headers;
        QString networkError;
        QJsonDocument json() const { return QJsonDocument::fromJson(body); }
        QString errorCode() const;
        QByteArray header(const QByteArray &name) const;
    };

    HttpsClient(const QString &baseUrl, const QList<QSslCertificate> &ca);
    // How long request() waits for an answer (default 15 s).
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    Reply request(const QByteArray &method, const QString &path, const QByteArray &body = {},
                  const QString &bearer = {}, const QByteArray &contentType = "application/json");
    Reply get(const QString &path, const QString &bearer = {}) { return request("GET", path, {}, bearer); }
    Reply post(const QString &path, const QJsonObject &body, const QString &bearer = {});

    // Sends raw bytes over TLS and returns everything the server sent back until it closed the
    // connection or `timeoutMs` passed: for malformed HTTP that QNetworkAccessManager cannot produce.
    // pieceBytes > 0 sends it that many bytes at a time, each flushed and given a moment to arrive,
    // so the server sees heads and bodies cut at every kind of boundary.
    QByteArray raw(const QByteArray &bytes, int timeoutMs = 5000, int pieceBytes = 0);

private:
    QString m_baseUrl;
    QList<QSslCertificate> m_ca;
    QNetworkAccessManager m_nam;
    int m_timeoutMs = 15000;
};

} // namespace herald::test
