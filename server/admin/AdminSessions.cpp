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

AdminSessions::Issued AdminSessions::issue(const OperatorRecord &op)
{
    purgeExpired();
    if (m_sessions.size() >= MaxSessions) {
        // Someone with valid credentials logging in in a loop; the oldest-expiring session goes.
        auto oldest = m_sessions.begin();
        for (auto it = m_sessions.begin(); it != m_sessions.end(); ++it) {
            if (it->expiresAt < oldest->expiresAt)
                oldest = it;
        }
        m_sessions.erase(oldest);
    }
    // Same shape and strength as a device token: 256 random bits, stored only as SHA-256.
    const QString token = DeviceToken::generate();
    const QDateTime expiresAt = QDateTime::currentDateTimeUtc().addSecs(m_lifetimeSeconds);
    m_sessions.insert(DeviceToken::hash(token), Session{op.id, op.name, op.role, expiresAt});
    return {token, expiresAt};
}

bool AdminSessions::revoke(const HttpRequest &request)
{
    const QString token = request.bearerToken();
    return DeviceToken::looksValid(token) && m_sessions.remove(DeviceToken::hash(token)) > 0;
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
    if (it == m_sessions.end())
        return {std::nullopt, invalid};
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

void AdminSessions::refreshOperators()
{
    if (m_refreshing || m_sessions.isEmpty())
        return;
    m_refreshing = true;
    auto found = std::make_shared<std::optional<QList<OperatorRecord>>>();
    m_storage.readInBackground([found](Storage &storage) { *found = storage.operators(); },
                               [this, alive = std::weak_ptr<int>(m_alive), found, notedBefore = m_noted] {
                                   if (alive.expired())
                                       return;
                                   m_refreshing = false;
                                   if (!*found) {
                                       qCWarning(lcAdmin) << "cannot read the console operators again";
                                       return;
                                   }
                                   if (m_noted != notedBefore)
                                       return; // this process changed one meanwhile: the next read has it
                                   setOperators(**found);
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
