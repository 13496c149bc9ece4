#pragma once

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>

#include "H2Server.h"
#include "JwtVerifier.h"

namespace herald::standin {

// A local FCM HTTP v1 endpoint plus Google's OAuth2 token endpoint on the same HTTP/2 listener:
// verifies the RS256 service-account assertion, issues access tokens, checks them on
// messages:send, validates the message (string-only data) and answers with FCM's error JSON.
class FcmStandin : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QByteArray certPem, keyPem;
        QByteArray serviceAccountPublicKeyPem;
        QString clientEmail = QStringLiteral("herald@test-project.iam.gserviceaccount.com");
        QString projectId = QStringLiteral("test-project");
        QByteArray tokenPath = "/token";
        int latencyMs = 0;
    };
    struct Behaviour
    {
        int status = 200;
        QString errorCode; // FcmError errorCode: UNREGISTERED, INVALID_ARGUMENT, QUOTA_EXCEEDED, …
        int retryAfterSecs = -1;
        int times = -1;
    };
    struct Record
    {
        QString token;
        QJsonObject message;
        QByteArray body; // the request body as it came, for tests that scan every byte
        int status = 0;
        QString errorCode;
    };

    explicit FcmStandin(const Options &options, QObject *parent = nullptr);
    bool listen(quint16 port = 0);
    quint16 port() const { return m_server.serverPort(); }
    QString tokenUri() const;

    void setBehaviour(const QString &registrationToken, const Behaviour &b)
    {
        m_behaviours.insert(registrationToken, b);
    }
    void revokeAccessTokens() { m_accessTokens.clear(); } // next send gets 401 UNAUTHENTICATED

    int accessTokensIssued() const { return m_issued; }
    int assertionsRejected() const { return m_assertionsRejected; }
    const QList<Record> &records() const { return m_records; }
    int deliveredTotal() const { return m_delivered; }

    // Builds a service account JSON file's content pointing at this stand-in.
    QByteArray serviceAccountJson(const QByteArray &privateKeyPem) const;

private:
    void onRequest(H2ServerConnection *c, const StandinRequest &request);
    StandinResponse token(const StandinRequest &request);
    StandinResponse send(const StandinRequest &request, Record *record);

    Options m_options;
    H2Server m_server;
    JwtVerifier m_verifier;
    QSet<QByteArray> m_accessTokens;
    QHash<QString, Behaviour> m_behaviours;
    QList<Record> m_records;
    int m_issued = 0;
    int m_assertionsRejected = 0;
    int m_delivered = 0;
};

} // namespace herald::standin
