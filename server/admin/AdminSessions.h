#pragma once

#include "http/Router.h"
#include "protocol/ApiError.h"

#include <QDateTime>
#include <QHash>
#include <QSet>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace herald {

class Storage;
struct HttpRequest;
struct OperatorRecord;

// Console sessions: a login issues a random 256-bit bearer token; only its SHA-256 is kept, in
// the console_sessions table (schema 18) and in this process's memory, with an expiry. The table
// is what makes a token good on every node of a cluster and across a restart.
//
// Each request's session is checked in memory, not read from storage: the event loop does not
// wait for the database. So that this holds for a session another node issued, the router holds a
// request with an unknown token until its row is read (lookupFor). What changes elsewhere — a
// logout or a disabled operator on another node, or `herald-server operator` — is read again in the
// background every RefreshMs while sessions exist: the operators table and which sessions remain.
class AdminSessions
{
public:
    struct Session
    {
        qint64 operatorId = 0;
        QString operatorName;
        QString role; // "admin" | "helpdesk"
        QDateTime expiresAt;
        quint64 seenAt = 0; // the refresh generation when this process learnt of it
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
    static constexpr int MaxSessions = 10000;  // in the table, and in memory
    static constexpr int MaxLookups = 256;     // unknown tokens read at once; more wait for a 401
    static constexpr int MaxKnownMisses = 4096; // tokens known to have no row (a miss stays a miss)

    // The operators table, read at once (at start, before the event loop serves anyone).
    bool loadOperators();
    // One operator as just written or read: its role and whether it is enabled count from now on.
    void noteOperator(const OperatorRecord &op);
    // Reads the operators and the remaining sessions again off the event loop (one read at a
    // time), if any session needs it.
    void refresh();

    // Stores a session for `op` and calls `done` once it is committed, so that every node finds it
    // before the console has the token; nothing when the write failed.
    void issue(const OperatorRecord &op, std::function<void(std::optional<Issued>)> done);
    // Ends the session of the request's token, here at once and in storage; `done(ok)` after the commit.
    void revoke(const HttpRequest &request, std::function<void(bool ok)> done);
    // For Router::holdUnder: nothing when the request's token is known here, absent or malformed;
    // else the read of its row, after which authenticate() knows the answer.
    Router::Wait lookupFor(const HttpRequest &request);
    // Resolves the bearer token; `adminOnly` refuses helpdesk sessions with 403. `allowQuery` also
    // takes ?access_token= (the live feed: browsers cannot set headers on a WebSocket). A token
    // whose row could not be read (the database is away) gets 503 unavailable: it may be good.
    Result authenticate(const HttpRequest &request, bool adminOnly, bool allowQuery = false);
    // The session of a token (by its SHA-256) if it is still good: not expired, not ended, and its
    // operator still enabled. For connections that outlive the request that opened them.
    std::optional<Session> current(const QByteArray &tokenHash);
    // Forgets every session of the operator here (its rows are deleted by the change that
    // disabled it or reset its password, in the same transaction).
    void endSessionsOf(qint64 operatorId);

private:
    void purgeExpired();
    void remember(const QByteArray &hash, Session session);
    void setOperators(const QList<OperatorRecord> &operators); // the whole table, as read
    // The session's operator as known now, or false when it is gone or disabled (the session ends).
    bool stillValid(Session &session) const;
    void lookUp(const QByteArray &hash, std::function<void()> resume);

    struct Operator
    {
        QString name;
        QString role;
        bool disabled = false;
    };
    QHash<qint64, Operator> m_operators; // by id
    bool m_refreshing = false;
    quint64 m_generation = 0; // refreshes begun
    std::shared_ptr<int> m_alive = std::make_shared<int>(0); // a read answered after this is gone does nothing
    quint64 m_noted = 0; // noteOperator() calls: a refresh read before the last one must not undo it

    Storage &m_storage;
    qint64 m_lifetimeSeconds;
    QHash<QByteArray, Session> m_sessions;                          // SHA-256 of the token -> session
    QHash<QByteArray, QList<std::function<void()>>> m_lookups;      // reads under way, and who waits
    QSet<QByteArray> m_misses;                                      // hashes without a row
    QSet<QByteArray> m_unread; // hashes whose read just failed: their request is told 503, not 401
};

} // namespace herald
