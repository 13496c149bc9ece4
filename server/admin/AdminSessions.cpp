#include "admin/AdminSessions.h"

#include "admin/AdminLog.h"
#include "http/HttpRequest.h"
#include "registry/DeviceToken.h"
#include "storage/Storage.h"

#include <memory>
#include <optional>

namespace herald {

AdminSessions::AdminSessions(Storage &storage, qint64 lifetimeSeconds)
    : m_storage(storage)
    , m_lifetimeSeconds(lifetimeSeconds)
{
}

void AdminSessions::issue(const OperatorRecord &op, std::function<void(std::optional<Issued>)> done)
{
    // Same shape and strength as a device token: 256 random bits, stored only as SHA-256.
    const QString token = DeviceToken::generate();
    const QByteArray hash = DeviceToken::hash(token);
    const QDateTime expiresAt = QDateTime::currentDateTimeUtc().addSecs(m_lifetimeSeconds);
    const Session session{op.id, op.name, op.role, expiresAt, 0};
    m_storage.writeInBackground(
        [hash, operatorId = op.id, expiresAt](Storage &storage) {
            // Someone with valid credentials logging in in a loop: the sessions closest to their
            // end make room, so the table stays bounded.
            return storage.insertConsoleSession(hash, operatorId, expiresAt, MaxSessions);
        },
        [this, alive = std::weak_ptr<int>(m_alive), hash, session, token, done = std::move(done)](bool ok) {
            if (alive.expired())
                return;
            if (!ok) {
                qCWarning(lcAdmin) << "cannot store a console session for operator" << session.operatorName;
                done(std::nullopt);
                return;
            }
            remember(hash, session);
            done(Issued{token, session.expiresAt});
        });
}

void AdminSessions::remember(const QByteArray &hash, Session session)
{
    purgeExpired();
    if (m_sessions.size() >= MaxSessions && !m_sessions.contains(hash)) {
        // The oldest-expiring one goes from memory; if its row remains, the next request reads it again.
        auto oldest = m_sessions.begin();
        for (auto it = m_sessions.begin(); it != m_sessions.end(); ++it) {
            if (it->expiresAt < oldest->expiresAt)
                oldest = it;
        }
        m_sessions.erase(oldest);
    }
    session.seenAt = m_generation;
    m_sessions.insert(hash, session);
}

void AdminSessions::revoke(const HttpRequest &request, std::function<void(bool ok)> done)
{
    const QString token = request.bearerToken();
    if (!DeviceToken::looksValid(token)) {
        done(true);
        return;
    }
    const QByteArray hash = DeviceToken::hash(token);
    m_sessions.remove(hash);
    m_misses.insert(hash); // a request racing the delete must not read the row back in
    m_storage.writeInBackground([hash](Storage &storage) { return storage.deleteConsoleSession(hash); },
                                [alive = std::weak_ptr<int>(m_alive), done = std::move(done)](bool ok) {
                                    if (!alive.expired())
                                        done(ok);
                                });
}

Router::Wait AdminSessions::lookupFor(const HttpRequest &request)
{
    const QString token = request.bearerToken(true);
    if (!DeviceToken::looksValid(token))
        return {};
    const QByteArray hash = DeviceToken::hash(token);
    if (m_sessions.contains(hash) || m_misses.contains(hash))
        return {};
    if (!m_lookups.contains(hash) && m_lookups.size() >= MaxLookups)
        return {}; // a flood of made-up tokens: these are answered 401 without a read
    return [this, alive = std::weak_ptr<int>(m_alive), hash](std::function<void()> resume) {
        if (alive.expired())
            return;
        lookUp(hash, std::move(resume));
    };
}

void AdminSessions::lookUp(const QByteArray &hash, std::function<void()> resume)
{
    auto waiting = m_lookups.find(hash);
    if (waiting != m_lookups.end()) {
        waiting->append(std::move(resume)); // the same token on several connections: one read
        return;
    }
    m_lookups.insert(hash, {std::move(resume)});
    auto found = std::make_shared<std::optional<std::optional<ConsoleSessionRecord>>>();
    m_storage.readInBackground([found, hash](Storage &storage) { *found = storage.consoleSession(hash); },
                               [this, alive = std::weak_ptr<int>(m_alive), found, hash] {
                                   if (alive.expired())
                                       return;
                                   const QList<std::function<void()>> resumes = m_lookups.take(hash);
                                   if (!*found) {
                                       // Not a miss: the read failed, so the next request tries again.
                                       qCWarning(lcAdmin) << "cannot read a console session";
                                       if (m_unread.size() >= MaxKnownMisses)
                                           m_unread.clear(); // made-up tokens while the database is away
                                       m_unread.insert(hash);
                                   } else if (const auto &row = **found; row && !row->disabled) {
                                       noteOperator(OperatorRecord{row->operatorId, row->operatorName, {}, row->role, false, {}});
                                       remember(hash, Session{row->operatorId, row->operatorName, row->role,
                                                              row->expiresAt, 0});
                                   } else if (!row) {
                                       // Tokens are stored before anyone holds them, so a miss stays one.
                                       if (m_misses.size() >= MaxKnownMisses)
                                           m_misses.clear();
                                       m_misses.insert(hash);
                                   }
                                   for (const auto &resume : resumes)
                                       resume();
                               });
}

AdminSessions::Result AdminSessions::authenticate(const HttpRequest &request, bool adminOnly, bool allowQuery)
{
    const QString token = request.bearerToken(allowQuery);
    if (token.isEmpty())
        return {std::nullopt, protocol::ApiError::unauthorized(QStringLiteral("a bearer token from /admin/v1/login is required"))};
    const protocol::ApiError invalid{401, QStringLiteral("invalid_token"),
                                     QStringLiteral("the token is unknown, expired or revoked")};
    if (!DeviceToken::looksValid(token))
        return {std::nullopt, invalid};
    const QByteArray hash = DeviceToken::hash(token);
    auto it = m_sessions.find(hash);
    if (it == m_sessions.end()) {
        if (m_unread.remove(hash))
            return {std::nullopt, protocol::ApiError{503, QStringLiteral("unavailable"),
                                                     QStringLiteral("the session cannot be checked now (the database is "
                                                                    "unreachable); try again shortly")}};
        return {std::nullopt, invalid};
    }
    if (it->expiresAt <= QDateTime::currentDateTimeUtc()) {
        m_sessions.erase(it);
        return {std::nullopt, invalid};
    }
    // The operator may have been disabled or changed role since the login.
    if (!stillValid(*it)) {
        qCInfo(lcAdmin) << "ending the session of operator" << it->operatorName << "(disabled or removed)";
        m_sessions.erase(it);
        return {std::nullopt, invalid};
    }
    if (adminOnly && it->role != QLatin1String("admin"))
        return {std::nullopt, protocol::ApiError::forbidden(QStringLiteral("this needs the admin role"))};
    return {*it, {}};
}

std::optional<AdminSessions::Session> AdminSessions::current(const QByteArray &tokenHash)
{
    auto it = m_sessions.find(tokenHash);
    if (it == m_sessions.end() || it->expiresAt <= QDateTime::currentDateTimeUtc() || !stillValid(*it))
        return std::nullopt;
    return *it;
}

bool AdminSessions::stillValid(Session &session) const
{
    const auto op = m_operators.constFind(session.operatorId);
    if (op == m_operators.cend() || op->name != session.operatorName || op->disabled)
        return false;
    session.role = op->role;
    return true;
}

bool AdminSessions::loadOperators()
{
    const auto operators = m_storage.operators();
    if (!operators)
        return false;
    setOperators(*operators);
    return true;
}

void AdminSessions::setOperators(const QList<OperatorRecord> &operators)
{
    m_operators.clear();
    for (const OperatorRecord &op : operators)
        m_operators.insert(op.id, {op.name, op.role, op.disabled});
}

void AdminSessions::noteOperator(const OperatorRecord &op)
{
    ++m_noted;
    m_operators.insert(op.id, {op.name, op.role, op.disabled});
}

void AdminSessions::refresh()
{
    if (m_refreshing || m_sessions.isEmpty())
        return;
    m_refreshing = true;
    const quint64 started = ++m_generation;
    struct Found
    {
        std::optional<QList<OperatorRecord>> operators;
        std::optional<QSet<QByteArray>> sessions;
    };
    auto found = std::make_shared<Found>();
    m_storage.readInBackground(
        [found](Storage &storage) {
            found->operators = storage.operators();
            found->sessions = storage.consoleSessionHashes();
        },
        [this, alive = std::weak_ptr<int>(m_alive), found, notedBefore = m_noted, started] {
            if (alive.expired())
                return;
            m_refreshing = false;
            if (!found->operators || !found->sessions) {
                qCWarning(lcAdmin) << "cannot read the console operators and sessions again";
                return;
            }
            // A session learnt while the read was under way may be newer than what it saw.
            for (auto it = m_sessions.begin(); it != m_sessions.end();) {
                if (it->seenAt < started && !found->sessions->contains(it.key()))
                    it = m_sessions.erase(it); // logged out or ended on another node
                else
                    ++it;
            }
            if (m_noted == notedBefore)
                setOperators(*found->operators); // else this process changed one meanwhile: the next read has it
        });
}

void AdminSessions::endSessionsOf(qint64 operatorId)
{
    for (auto it = m_sessions.begin(); it != m_sessions.end();) {
        if (it->operatorId == operatorId)
            it = m_sessions.erase(it);
        else
            ++it;
    }
}

void AdminSessions::purgeExpired()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (auto it = m_sessions.begin(); it != m_sessions.end();) {
        if (it->expiresAt <= now)
            it = m_sessions.erase(it);
        else
            ++it;
    }
}

} // namespace herald
