#pragma once

#include "protocol/ApiError.h"

#include <QDateTime>
#include <QHash>
#include <QString>

#include <optional>

namespace herald {

class Storage;
struct HttpRequest;
struct OperatorRecord;

// Console sessions: a login issues a random 256-bit bearer token; only its SHA-256 is kept, in
// memory, with an expiry. A restart therefore logs every console out, which is acceptable for an
// admin tool and means no session secret ever reaches the disk.
class AdminSessions
{
public:
    struct Session
    {
        qint64 operatorId = 0;
        QString operatorName;
        QString role; // "admin" | "helpdesk"
        QDateTime expiresAt;
    };
    struct Issued
    {
        QString token;
        QDateTime expiresAt;
    };
    struct Result
    {
        std::optional<Session> session;
        protocol::ApiError error; // meaningful when session is empty
    };

    AdminSessions(Storage &storage, qint64 lifetimeSeconds);

    Issued issue(const OperatorRecord &op);
    // Ends the session of the request's token; false when there was none.
    bool revoke(const HttpRequest &request);
    // Resolves the bearer token; `adminOnly` refuses helpdesk sessions with 403. `allowQuery` also
    // takes ?access_token= (the live feed: browsers cannot set headers on a WebSocket).
    Result authenticate(const HttpRequest &request, bool adminOnly, bool allowQuery = false);
    // The session of a token (by its SHA-256) if it is still good: not expired, not ended, and its
    // operator still enabled. For connections that outlive the request that opened them.
    std::optional<Session> current(const QByteArray &tokenHash);
    // Ends every session of the operator at once (disabled by an admin).
    void endSessionsOf(qint64 operatorId);

    static constexpr int MaxSessions = 10000;

private:
    void purgeExpired();

    Storage &m_storage;
    qint64 m_lifetimeSeconds;
    QHash<QByteArray, Session> m_sessions; // SHA-256 of the token -> session
};

} // namespace herald
