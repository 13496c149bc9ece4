#include "admin/AdminSessions.h"

#include "admin/AdminLog.h"
#include "http/HttpRequest.h"
#include "registry/DeviceToken.h"
#include "storage/Storage.h"

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
    // The operator may have been disabled or changed role since the login; storage decides.
    const auto op = m_storage.operatorByName(it->operatorName);
    if (!op || op->id != it->operatorId || op->disabled) {
        qCInfo(lcAdmin) << "ending the session of operator" << it->operatorName << "(disabled or removed)";
        m_sessions.erase(it);
        return {std::nullopt, invalid};
    }
    it->role = op->role;
    if (adminOnly && op->role != QLatin1String("admin"))
        return {std::nullopt, protocol::ApiError::forbidden(QStringLiteral("this needs the admin role"))};
    return {*it, {}};
}

std::optional<AdminSessions::Session> AdminSessions::current(const QByteArray &tokenHash)
{
    auto it = m_sessions.find(tokenHash);
    if (it == m_sessions.end() || it->expiresAt <= QDateTime::currentDateTimeUtc())
        return std::nullopt;
    const auto op = m_storage.operatorByName(it->operatorName);
    if (!op || op->id != it->operatorId || op->disabled)
        return std::nullopt;
    it->role = op->role;
    return *it;
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
