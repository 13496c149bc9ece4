#include "admin/AuditLog.h"

#include "admin/AdminLog.h"
#include "storage/Storage.h"

namespace herald {

AuditLog::AuditLog(Storage &storage)
    : m_storage(storage)
{
}

bool AuditLog::record(const QString &operatorName, const QString &action, const QString &target,
                      const QHostAddress &peer, const QString &outcome)
{
    AuditRecord entry;
    entry.at = QDateTime::currentDateTimeUtc();
    // A failed login records the name that was tried; bounded so a hostile name cannot bloat the log.
    entry.operatorName = operatorName.left(128);
    entry.action = action;
    entry.target = target.left(256);
    entry.peer = peer.toString();
    entry.outcome = outcome;
    qCInfo(lcAdmin).noquote() << "audit:" << entry.operatorName << entry.action << entry.target << "from"
                              << entry.peer << "->" << entry.outcome;
    if (!m_storage.appendAudit(entry)) {
        qCWarning(lcAdmin) << "cannot write the audit log:" << m_storage.lastError();
        return false;
    }
    return true;
}

} // namespace herald
