// SqlStorage: what only the admin API asks for (audit pages, operator changes, dashboard counts).
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
