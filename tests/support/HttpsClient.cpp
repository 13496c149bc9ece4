#include "HttpsClient.h"

#include <QEventLoop>
#include <QJsonObject>
#include <QNetworkReply>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTimer>
#include <QUrl>

namespace herald::test {

QString HttpsClient::Reply::errorCode() const
{
    return json().object().value(QStringLiteral("error")).toString();
}

QByteArray HttpsClient::Reply::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

HttpsClient::HttpsClient(const QString &baseUrl, const QList<QSslCertificate> &ca)
    : m_baseUrl(baseUrl)
    , m_ca(ca)
{
}

HttpsClient::Reply HttpsClient::request(const QByteArray &method, const QString &path, const QByteArray &body,
                                        const QString &bearer, const QByteArray &contentType)
{
    QNetworkRequest request(QUrl(m_baseUrl + path));
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(m_ca);
    request.setSslConfiguration(tls);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    if (!body.isEmpty() && !contentType.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    if (!bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearer.toLatin1());
    QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(m_timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    Reply result;
    if (!reply->isFinished()) {
        reply->abort();
        result.networkError = QStringLiteral("timeout");
    }
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    if (reply->error() != QNetworkReply::NoError && result.status == 0)
        result.networkError = reply->errorString();
    reply->deleteLater();
    return result;
}

HttpsClient::Reply HttpsClient::post(const QString &path, const QJsonObject &body, const QString &bearer)
{
    return request("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact), bearer);
}

QByteArray HttpsClient::raw(const QByteArray &bytes, int timeoutMs, int pieceBytes)
{
    const QUrl url(m_baseUrl);
    QSslSocket socket;
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(m_ca);
    socket.setSslConfiguration(tls);
    socket.connectToHostEncrypted(url.host(), quint16(url.port()), QStringLiteral("localhost"));
    if (!socket.waitForEncrypted(timeoutMs))
        return {};
    QByteArray received;
    if (pieceBytes <= 0) {
        socket.write(bytes);
    } else {
        for (qsizetype at = 0; at < bytes.size(); at += pieceBytes) {
            socket.write(bytes.mid(at, pieceBytes));
            socket.flush();
            QEventLoop pause;
            QTimer::singleShot(2, &pause, &QEventLoop::quit);
            pause.exec();
            received += socket.readAll();
        }
    }
    QEventLoop loop;
    QObject::connect(&socket, &QSslSocket::readyRead, &loop, [&] { received += socket.readAll(); });
    QObject::connect(&socket, &QSslSocket::disconnected, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    received += socket.readAll();
    return received;
}

} // namespace herald::test
