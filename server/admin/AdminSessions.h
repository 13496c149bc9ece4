#pragma once

#include "protocol/ApiError.h"

#include <QDateTime>
#include <QHash>
#include <QString>

#include <memory>
#include <optional>

namespace herald {

class Storage;
struct HttpRequest;
struct OperatorRecord;

// Console sessions: a login issues a random 256-bit bearer token; only its SHA-256 is kept, in
// memory, with an expiry. A restart therefore logs every console out, which is acceptable for an
// admin tool and means no session secret ever reaches the disk.
//
// Each request's session is checked against the operators as this process last knew them (a table
// in memory), not read from storage: the event loop does not wait for the database. The table is
// read at start, takes every change this process commits at once (noteOperator, endSessionsOf),
// and is read again in the background every RefreshMs while sessions exist, for changes made
// elsewhere (another node of a cluster).
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

    static constexpr int RefreshMs = 1000;
    // The operators table, read at once (at start, before the event loop serves anyone).
    bool loadOperators();
    // One operator as just written or read: its role and whether it is enabled count from now on.
    void noteOperator(const OperatorRecord &op);
    // Reads the operators table again off the event loop (one read at a time), if any session needs it.
    void refreshOperators();

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
    void setOperators(const QList<OperatorRecord> &operators); // the whole table, as read
    // The session's operator as known now, or false when it is gone or disabled (the session ends).
    bool stillValid(Session &session) const;

    struct Operator
    {
        QString name;
        QString role;
        bool disabled = false;
    };
    QHash<qint64, Operator> m_operators; // by id
    bool m_refreshing = false;
    std::shared_ptr<int> m_alive = std::make_shared<int>(0); // a refresh answered after this is gone does nothing
    quint64 m_noted = 0; // noteOperator() calls: a refresh read before the last one must not undo it

    Storage &m_storage;
    qint64 m_lifetimeSeconds;
    QHash<QByteArray, Session> m_sessions; // SHA-256 of the token -> session
};

} // namespace herald
