#include "admin/AuditLog.h"

#include "admin/AdminLog.h"
#include "storage/Storage.h"

namespace herald {

AuditLog::AuditLog(Storage &storage)
    : m_storage(storage)
{
}

void AuditLog::record(const QString &operatorName, const QString &action, const QString &target,
                      const QHostAddress &peer, const QString &outcome)
{
    m_storage.writeInBackground(
        [operatorName, action, target, peer, outcome](Storage &storage) {
            return append(storage, operatorName, action, target, peer, outcome);
        },
        [](bool ok) {
            if (!ok)
                qCWarning(lcAdmin) << "an audit entry was lost";
        });
}

bool AuditLog::append(Storage &storage, const QString &operatorName, const QString &action, const QString &target,
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
    if (!storage.appendAudit(entry)) {
        qCWarning(lcAdmin) << "cannot write the audit log:" << storage.lastError();
        return false;
    }
    return true;
}

} // namespace herald
