// SqlStorage: login state (the login trigger) and the leases that place each login's monitor on
// one server run. Why leases exist, and the rules, are in Storage.h; this file runs the statements.
#include "storage/SqlStorage.h"

#include "storage/SqlValues.h"

#include <QDateTime>

namespace herald {
namespace {
using namespace sqlvalues;

QVariant blobOrNull(const QByteArray &bytes)
{
    return bytes.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>()) : QVariant(bytes);
}

} // namespace

bool SqlStorage::upsertLogin(qint64 accountId, const QString &app, const QByteArray &credentials)
{
    // The run that stores a login watches it: it starts the monitor once this commits. A run
    // watching an earlier login of the same app sees at its next lease pass that it is not its own.
    QueryLease q(*this);
    return run(q, QStringLiteral("upsert_login"),
               {{QStringLiteral("account_id"), accountId},
                {QStringLiteral("app"), app},
                {QStringLiteral("credentials"), blobOrNull(credentials)},
                {QStringLiteral("now"), QDateTime::currentMSecsSinceEpoch()},
                {QStringLiteral("claimer"), m_claimer}});
}

bool SqlStorage::deleteLogin(qint64 accountId, const QString &app)
{
    QueryLease q(*this);
    return run(q, QStringLiteral("delete_login"), {{QStringLiteral("account_id"), accountId}, {QStringLiteral("app"), app}});
}

bool SqlStorage::deleteLoginsOfAccount(qint64 accountId)
{
    QueryLease q(*this);
    return run(q, QStringLiteral("delete_logins_of_account"), {{QStringLiteral("account_id"), accountId}});
}

std::optional<QList<LoginRecord>> SqlStorage::loginRows(const QString &queryName, const SqlParams &values)
{
    QueryLease q(*this);
    if (!run(q, queryName, values))
        return std::nullopt;
    QList<LoginRecord> rows;
    while (q.next()) {
        rows.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toByteArray(), fromMs(q.value(3)),
                     q.value(4).toByteArray(), q.value(5).toString(), q.value(6).toString(), q.value(7).toString()});
    }
    return rows;
}

std::optional<QList<LoginRecord>> SqlStorage::logins()
{
    return loginRows(QStringLiteral("select_logins"), {});
}

std::optional<QList<LoginRecord>> SqlStorage::loginsOfAccount(qint64 accountId)
{
    return loginRows(QStringLiteral("select_logins_of_account"), {{QStringLiteral("account_id"), accountId}});
}

bool SqlStorage::setLoginCheckpoint(qint64 accountId, const QString &app, const QByteArray &checkpoint)
{
    // Only while this run holds the lease: a run that lost it (taken for stopped, or the login
    // was stored again elsewhere) must not move the new holder's checkpoint back.
    QueryLease q(*this);
    return run(q, QStringLiteral("update_login_checkpoint"),
               {{QStringLiteral("account_id"), accountId},
                {QStringLiteral("app"), app},
                {QStringLiteral("checkpoint"), checkpoint},
                {QStringLiteral("claimer"), m_claimer}});
}

bool SqlStorage::setLoginMonitorState(qint64 accountId, const QString &app, const QString &state,
                                         const QString &error)
{
    QueryLease q(*this);
    return run(q, QStringLiteral("update_login_monitor_state"),
               {{QStringLiteral("account_id"), accountId},
                {QStringLiteral("app"), app},
                {QStringLiteral("monitor_state"), text(state)},
                {QStringLiteral("monitor_error"), text(error)},
                {QStringLiteral("claimer"), m_claimer}});
}

std::optional<Storage::LoginShare> SqlStorage::loginShare()
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_login_share"), {{QStringLiteral("claimer"), m_claimer}}) || !q.next())
        return std::nullopt;
    return LoginShare{q.value(0).toInt(), q.value(1).toInt()};
}

std::optional<QList<LoginRecord>> SqlStorage::claimLogins(qint64 aliveSinceMs, int limit)
{
    // Like the outbox's claim (SqlNodes.cpp): REPEATABLE READ on PostgreSQL, so that a login
    // another run claimed after this snapshot fails the claim instead of being taken twice.
    std::optional<QList<LoginRecord>> rows;
    const bool ok = runClaim([&](bool *conflicted) {
        rows.reset();
        QueryLease q(*this);
        if (!run(q, QStringLiteral("claim_logins"),
                 {{QStringLiteral("claimer"), m_claimer},
                  {QStringLiteral("alive_since"), aliveSinceMs},
                  {QStringLiteral("limit"), limit}})) {
            *conflicted = q.conflicted();
            return false;
        }
        rows.emplace();
        while (q.next()) {
            rows->append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toByteArray(), fromMs(q.value(3)),
                          q.value(4).toByteArray(), q.value(5).toString(), q.value(6).toString(),
                          q.value(7).toString()});
        }
        return true;
    });
    return ok ? rows : std::nullopt;
}

std::optional<QList<Storage::LoginKey>> SqlStorage::claimedLogins()
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_claimed_logins"), {{QStringLiteral("claimer"), m_claimer}}))
        return std::nullopt;
    QList<LoginKey> keys;
    while (q.next())
        keys.append({q.value(0).toLongLong(), q.value(1).toString()});
    return keys;
}

bool SqlStorage::releaseLogin(qint64 accountId, const QString &app)
{
    QueryLease q(*this);
    return run(q, QStringLiteral("release_login"),
               {{QStringLiteral("account_id"), accountId}, {QStringLiteral("app"), app}, {QStringLiteral("claimer"), m_claimer}});
}

} // namespace herald
