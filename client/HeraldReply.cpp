#include "HeraldReply.h"

#include "ClientLog.h"
#include "TlsTrust.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>

namespace herald {

using protocol::ApiError;

HeraldReply::HeraldReply(QNetworkReply *reply, Expect expect, const TlsTrust &trust, int timeoutMs,
                         qint64 maxBodyBytes, QObject *parent)
    : QObject(parent), m_reply(reply), m_expect(expect), m_trust(&trust), m_maxBodyBytes(maxBodyBytes)
{
    reply->setParent(this);
    connect(reply, &QNetworkReply::sslErrors, this, &HeraldReply::onSslErrors);
    connect(reply, &QNetworkReply::finished, this, &HeraldReply::onFinished);
    // Belt and braces for the pin: should a chain ever verify without sslErrors, the leaf is still
    // compared here, after the handshake and before any request byte is written.
    connect(reply, &QNetworkReply::encrypted, this, [this] {
        if (!m_trust->hasPin() || !m_reply)
            return;
        const QByteArray actual = TlsTrust::fingerprint(m_reply->sslConfiguration().peerCertificate());
        if (actual != m_trust->pinnedSha256()) {
            m_abortReason = {0, QStringLiteral("tls_error"),
                             QStringLiteral("server certificate SHA-256 %1 does not match the pinned %2")
                                 .arg(TlsTrust::formatFingerprint(actual),
                                      TlsTrust::formatFingerprint(m_trust->pinnedSha256()))};
            m_reply->abort();
        }
    });
    connect(reply, &QNetworkReply::downloadProgress, this, [this](qint64 received, qint64) {
        // A runaway or hostile server must not make the client buffer without bound.
        if (received > m_maxBodyBytes && m_reply) {
            m_abortReason = {0, QStringLiteral("response_too_large"),
                             QStringLiteral("response exceeds %1 bytes").arg(m_maxBodyBytes)};
            m_reply->abort();
        }
    });
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this, timeoutMs] {
        if (m_reply) {
            m_abortReason = {0, QStringLiteral("timeout"),
                             QStringLiteral("no complete answer within %1 ms").arg(timeoutMs)};
            m_reply->abort();
        }
    });
    m_timeout.start(timeoutMs);
}

HeraldReply::HeraldReply(const ApiError &error, QObject *parent) : QObject(parent), m_error(error)
{
    QTimer::singleShot(0, this, &HeraldReply::complete);
}

void HeraldReply::abort()
{
    if (m_reply && !m_finished) {
        m_abortReason = {0, QStringLiteral("aborted"), QStringLiteral("the request was aborted")};
        m_reply->abort();
    }
}

void HeraldReply::onSslErrors(const QList<QSslError> &errors)
{
    QString why;
    if (m_trust->evaluate(m_reply->sslConfiguration().peerCertificateChain(), m_reply->url().host(), &why)) {
        m_reply->ignoreSslErrors(errors);
        return;
    }
    QStringList messages;
    for (const QSslError &error : errors)
        messages << error.errorString();
    const QString message = m_trust->hasPin() ? why : messages.join(QStringLiteral("; "));
    qCWarning(lcClient) << "TLS handshake refused:" << message;
    m_abortReason = {0, QStringLiteral("tls_error"), message};
}

void HeraldReply::onFinished()
{
    m_timeout.stop();
    if (m_finished || !m_reply)
        return;
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const QByteArray body = m_reply->readAll();
    if (!m_abortReason.code.isEmpty()) {
        m_error = m_abortReason;
    } else if (status.isValid()) {
        m_httpStatus = status.toInt();
        if (m_httpStatus >= 200 && m_httpStatus < 300)
            decodeSuccess(body);
        else
            decodeFailure(body);
    } else if (m_reply->error() == QNetworkReply::SslHandshakeFailedError) {
        failTransport(QStringLiteral("tls_error"), m_reply->errorString());
    } else {
        failTransport(QStringLiteral("network_error"), m_reply->errorString());
    }
    complete();
}

void HeraldReply::failTransport(const QString &code, const QString &message)
{
    m_error = {0, code, message};
}

void HeraldReply::decodeSuccess(const QByteArray &body)
{
    if (m_expect == Expect::Nothing)
        return;
    if (body.trimmed().isEmpty() && m_expect == Expect::AnyJson)
        return;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    const auto bad = [this](const QString &why) {
        m_error = {m_httpStatus, QStringLiteral("bad_response"),
                   QStringLiteral("unexpected answer: %1").arg(why)};
    };
    if (parseError.error != QJsonParseError::NoError)
        return bad(QStringLiteral("not JSON (%1)").arg(parseError.errorString()));
    m_json = document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    QString why;
    switch (m_expect) {
    case Expect::Nothing:
    case Expect::AnyJson:
        return;
    case Expect::Register: {
        protocol::RegisterResponse response;
        if (!document.isObject() || !protocol::RegisterResponse::fromJson(document.object(), &response, &why))
            return bad(why.isEmpty() ? QStringLiteral("not an object") : why);
        m_decoded = response;
        return;
    }
    case Expect::NotificationList: {
        QList<protocol::NotificationSummary> list;
        if (!document.isArray() ||
            !protocol::NotificationSummary::listFromJson(document.array(), &list, &why))
            return bad(why.isEmpty() ? QStringLiteral("not an array") : why);
        m_decoded = list;
        return;
    }
    case Expect::Open: {
        protocol::OpenResponse response;
        if (!document.isObject() || !protocol::OpenResponse::fromJson(document.object(), &response, &why))
            return bad(why.isEmpty() ? QStringLiteral("not an object") : why);
        m_decoded = response;
        return;
    }
    }
}

void HeraldReply::decodeFailure(const QByteArray &body)
{
    ApiError error;
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (document.isObject() && ApiError::fromJson(document.object(), &error)) {
        error.status = m_httpStatus;
        m_error = error;
        return;
    }
    // A proxy or a crashed upstream answers outside the contract; keep what we know.
    const QString reason = m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    m_error = {m_httpStatus, QStringLiteral("http_%1").arg(m_httpStatus),
               QStringLiteral("HTTP %1 %2 without an error body").arg(m_httpStatus).arg(reason).trimmed()};
}

void HeraldReply::complete()
{
    if (m_finished)
        return;
    m_finished = true;
    if (!m_error.code.isEmpty())
        qCDebug(lcClient) << "request failed:" << m_error.status << m_error.code;
    emit finished();
}

protocol::RegisterResponse HeraldReply::registerResponse() const
{
    const auto *value = std::get_if<protocol::RegisterResponse>(&m_decoded);
    return value ? *value : protocol::RegisterResponse{};
}

QList<protocol::NotificationSummary> HeraldReply::notificationList() const
{
    const auto *value = std::get_if<QList<protocol::NotificationSummary>>(&m_decoded);
    return value ? *value : QList<protocol::NotificationSummary>{};
}

protocol::OpenResponse HeraldReply::openResponse() const
{
    const auto *value = std::get_if<protocol::OpenResponse>(&m_decoded);
    return value ? *value : protocol::OpenResponse{};
}

} // namespace herald
