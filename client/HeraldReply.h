#pragma once

#include "protocol/ApiError.h"
#include "protocol/TerminalApi.h"

#include <QJsonValue>
#include <QObject>
#include <QPointer>
#include <QSslError>
#include <QTimer>

#include <variant>

class QNetworkReply;

namespace herald {

class TlsTrust;

// One Terminal API call in flight. Emits finished() exactly once, always from the event loop (never
// from inside the call that created it), then holds either the decoded answer or an ApiError.
// Transport failures use status 0 and codes of their own: network_error, tls_error, timeout,
// bad_response, response_too_large, not_registered, bad_argument.
class HeraldReply : public QObject
{
    Q_OBJECT

public:
    enum class Expect
    {
        Nothing,
        AnyJson,
        Register,
        NotificationList,
        Open
    };

    bool isFinished() const { return m_finished; }
    bool isOk() const { return m_finished && m_error.code.isEmpty(); }
    const protocol::ApiError &error() const { return m_error; }
    int httpStatus() const { return m_httpStatus; }
    QJsonValue json() const { return m_json; }

    // Valid only when isOk() and the call was of that kind.
    protocol::RegisterResponse registerResponse() const;
    QList<protocol::NotificationSummary> notificationList() const;
    protocol::OpenResponse openResponse() const;

    void abort();

signals:
    void finished();

private:
    friend class HeraldClient;
    HeraldReply(QNetworkReply *reply, Expect expect, const TlsTrust &trust, int timeoutMs,
                qint64 maxBodyBytes, QObject *parent);
    // A call refused before it reached the network (missing token, bad argument).
    HeraldReply(const protocol::ApiError &error, QObject *parent);

    void onSslErrors(const QList<QSslError> &errors);
    void onFinished();
    void failTransport(const QString &code, const QString &message);
    void decodeSuccess(const QByteArray &body);
    void decodeFailure(const QByteArray &body);
    void complete();

    QPointer<QNetworkReply> m_reply;
    Expect m_expect = Expect::Nothing;
    const TlsTrust *m_trust = nullptr;
    QTimer m_timeout;
    qint64 m_maxBodyBytes = 0;
    bool m_finished = false;
    protocol::ApiError m_abortReason; // why we aborted the network reply ourselves
    protocol::ApiError m_error;
    int m_httpStatus = 0;
    QJsonValue m_json;
    std::variant<std::monostate, protocol::RegisterResponse, QList<protocol::NotificationSummary>,
                 protocol::OpenResponse>
        m_decoded;
};

} // namespace herald
