#pragma once

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>

#include "H2Server.h"
#include "JwtVerifier.h"

namespace herald::standin {

// A local APNs, faithful to the rules in shared/FACTS.md: HTTP/2 over TLS, ES256 provider tokens
// (kid/iss/iat, expiry, change-rate limit), certificate auth, the one-stream start, every error
// reason, GOAWAY mid-burst, injected latency and failures, and hostile answers for robustness tests.
class ApnsStandin : public QObject
{
    Q_OBJECT
public:
    enum class Hostile
    {
        None,
        Garbage,
        HugeHeaders,
        NonJsonBody,
        DropMidStream,
        NoResponse,
        RefuseStream
    };

    struct Options
    {
        QByteArray certPem, keyPem;   // the server's TLS identity
        QByteArray tokenPublicKeyPem; // verifies provider tokens (the .p8's public half)
        QString teamId = QStringLiteral("TEAM000001");
        QString keyId = QStringLiteral("KEY0000001");
        QByteArray clientCertificatePem; // when set, a connection presenting it needs no token
        QStringList topics;              // allowed apns-topic values; empty allows any
        uint32_t initialMaxStreams = 1;  // APNs' cold start
        uint32_t raisedMaxStreams = 500; // after the first authenticated 200 on a connection
        int goawayAfterRequests = 0;     // per connection; 0 = never
        int latencyMs = 0;
        int tokenMaxAgeSecs = 3600;
        int tokenMinChangeSecs = 20 * 60;
        bool keepRecords = true; // benchmarks turn it off to keep memory flat
    };

    struct Behaviour
    {
        int status = 200;
        QString reason;
        qint64 timestamp = 0; // 410: when the token went stale (ms since epoch)
        int retryAfterSecs = -1;
        int times = -1; // how many requests it applies to; -1 = all
        Hostile hostile = Hostile::None;
    };

    struct Record
    {
        QString apnsId;
        QString deviceToken;
        QString topic;
        QString pushType;
        QString priority;
        QString expiration;
        QString collapseId;
        QByteArray payload;
        QList<QByteArray> neverIndexed; // header names sent as never-indexed HPACK literals
        int connectionId = 0;
        int status = 0;
        QString reason;
    };

    explicit ApnsStandin(const Options &options, QObject *parent = nullptr);

    bool listen(quint16 port = 0);
    quint16 port() const { return m_server.serverPort(); }

    void setBehaviour(const QString &deviceToken, const Behaviour &behaviour);
    // The next `count` requests (any token) answer status/reason with an optional Retry-After.
    void failNext(int count, int status, const QString &reason, int retryAfterSecs = -1);
    void setGoawayAfterRequests(int n) { m_options.goawayAfterRequests = n; }
    void setLatencyMs(int ms) { m_options.latencyMs = ms; }
    // While held, answers are kept back (in order) until releaseHeld(): a test can change the
    // world between a push going out and its verdict coming back.
    void setHoldAnswers(bool hold) { m_holding = hold; }
    void releaseHeld();
    int heldCount() const { return int(m_held.size()); }

    const QList<Record> &records() const { return m_records; } // every request answered
    int acceptedCount(const QString &apnsId) const;            // how often it answered 200 for this id
    int deliveredTotal() const { return m_delivered; }
    int connectionsAccepted() const { return m_server.connectionsAccepted(); }
    int maxConcurrentSeen() const { return m_maxConcurrentSeen; }
    void clearRecords();

Q_SIGNALS:
    // Every request that got a recorded answer (any status), as it is answered; apns-standin --log
    // writes these so a benchmark in another process can time its pushes end to end.
    void answered(const herald::standin::ApnsStandin::Record &record);

private:
    struct ConnectionState
    {
        QByteArray token;
        qint64 tokenSetAt = 0;
        qint64 tokenIat = 0;
        bool raised = false;
        int requests = 0;
        int inFlight = 0;
    };

    void onRequest(H2ServerConnection *c, const StandinRequest &request);
    StandinResponse evaluate(H2ServerConnection *c, const StandinRequest &request, Record *record,
                             Hostile *hostile);
    bool checkToken(ConnectionState &state, const QByteArray &authorization, QString *reason, int *status);
    void answer(QPointer<H2ServerConnection> c, int streamId, StandinResponse response, Hostile hostile);

    Options m_options;
    H2Server m_server;
    JwtVerifier m_verifier;
    QHash<QString, Behaviour> m_behaviours;
    struct Injection
    {
        int count;
        int status;
        QString reason;
        int retryAfter;
    } m_injection{0, 0, {}, -1};
    QHash<int, ConnectionState> m_connections;
    bool m_holding = false;
    QList<std::function<void()>> m_held;
    QList<Record> m_records;
    QHash<QString, int> m_acceptedById;
    int m_delivered = 0;
    int m_maxConcurrentSeen = 0;
};

} // namespace herald::standin
