// SqlStorage: what only the admin API asks for (audit pages, operator changes, console sessions,
// dashboard counts).
// Kept apart from SqlStorage.cpp so neither file grows into a god class.
#include "storage/SqlStorage.h"
#include "storage/SqlValues.h"

namespace herald {
using namespace sqlvalues;

namespace {

SqlParams auditFilterValues(const AuditFilter &filter)
{
    // NULL switches a condition off (":x IS NULL OR ..."), so an unset filter binds no value.
    auto textOrNull = [](const QString &s) { return s.isEmpty() ? QVariant() : QVariant(s); };
    auto timeOrNull = [](const QDateTime &t) { return t.isValid() ? QVariant(toMs(t)) : QVariant(); };
    return {{QStringLiteral("operator"), textOrNull(filter.operatorName)},
            {QStringLiteral("action"), textOrNull(filter.action)},
            {QStringLiteral("since"), timeOrNull(filter.since)},
            {QStringLiteral("until"), timeOrNull(filter.until)}};
}

} // namespace

std::optional<QList<AuditRecord>> SqlStorage::auditEntries(const AuditFilter &filter, int offset, int limit,
                                                              int *total)
{
    SqlParams values = auditFilterValues(filter);
    {
        QueryLease count(*this);
        if (!run(count, QStringLiteral("count_audit_filtered"), values) || !count.next())
            return std::nullopt;
        *total = count.value(0).toInt();
    }
    values.set(QStringLiteral("limit"), limit);
    values.set(QStringLiteral("offset"), offset);
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_audit_filtered"), values))
        return std::nullopt;
    QList<AuditRecord> rows;
    while (q.next())
        rows.append(AuditRecord{q.value(0).toLongLong(), fromMs(q.value(1)), q.value(2).toString(),
                                q.value(3).toString(), q.value(4).toString(), q.value(5).toString(),
                                q.value(6).toString()});
    return rows;
}

bool SqlStorage::setOperatorDisabled(qint64 id, bool disabled)
{
    QueryLease q(*this);
    return run(q, QStringLiteral("update_operator_disabled"),
               {{QStringLiteral("disabled"), disabled ? 1 : 0}, {QStringLiteral("id"), id}}) &&
           q.numRowsAffected() == 1;
}

bool SqlStorage::setOperatorRole(qint64 id, const QString &role)
{
    QueryLease q(*this);
    return run(q, QStringLiteral("update_operator_role"), {{QStringLiteral("role"), role}, {QStringLiteral("id"), id}}) &&
           q.numRowsAffected() == 1;
}

bool SqlStorage::setOperatorPassword(qint64 id, const QString &passwordHash)
{
    QueryLease q(*this);
    return run(q, QStringLiteral("update_operator_password"),
               {{QStringLiteral("password_hash"), passwordHash}, {QStringLiteral("id"), id}}) &&
           q.numRowsAffected() == 1;
}

bool SqlStorage::insertConsoleSession(const QByteArray &tokenHash, qint64 operatorId, const QDateTime &expiresAt,
                                      int keep)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    return transaction([&] {
        QueryLease expired(*this);
        if (!run(expired, QStringLiteral("delete_expired_console_sessions"), {{QStringLiteral("now"), now}}))
            return false;
        QueryLease insert(*this);
        if (!run(insert, QStringLiteral("insert_console_session"),
                 {{QStringLiteral("token_hash"), tokenHash},
                  {QStringLiteral("operator_id"), operatorId},
                  {QStringLiteral("expires_at"), toMs(expiresAt)},
                  {QStringLiteral("now"), now}}))
            return false;
        QueryLease trim(*this);
        return run(trim, QStringLiteral("trim_console_sessions"), {{QStringLiteral("keep"), keep}});
    });
}

std::optional<std::optional<ConsoleSessionRecord>> SqlStorage::consoleSession(const QByteArray &tokenHash)
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_console_session"),
             {{QStringLiteral("token_hash"), tokenHash}, {QStringLiteral("now"), QDateTime::currentMSecsSinceEpoch()}}))
        return std::nullopt;
    if (!q.next())
        return std::optional<ConsoleSessionRecord>();
    return std::optional<ConsoleSessionRecord>(ConsoleSessionRecord{
        q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toBool(), fromMs(q.value(4))});
}

std::optional<QSet<QByteArray>> SqlStorage::consoleSessionHashes()
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_console_session_hashes"), {{QStringLiteral("now"), QDateTime::currentMSecsSinceEpoch()}}))
        return std::nullopt;
    QSet<QByteArray> hashes;
    while (q.next())
        hashes.insert(q.value(0).toByteArray());
    return hashes;
}

bool SqlStorage::deleteConsoleSession(const QByteArray &tokenHash)
{
    QueryLease q(*this);
    return run(q, QStringLiteral("delete_console_session"), {{QStringLiteral("token_hash"), tokenHash}});
}

bool SqlStorage::deleteConsoleSessionsOf(qint64 operatorId)
{
    QueryLease q(*this);
    return run(q, QStringLiteral("delete_console_sessions_of_operator"), {{QStringLiteral("operator_id"), operatorId}});
}

std::optional<QHash<QString, int>> SqlStorage::deviceCountsByPlatform()
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_device_counts_by_platform")))
        return std::nullopt;
    QHash<QString, int> counts;
    while (q.next())
        counts.insert(q.value(0).toString(), q.value(1).toInt());
    return counts;
}

} // namespace herald
