#pragma once

#include <QHostAddress>
#include <QString>

namespace herald {

class Storage;

// Records admin actions in storage (audit_log) and under herald.admin. Writes call record() inside
// the same storage transaction as the change itself, so a change is never left unaudited.
class AuditLog
{
public:
    explicit AuditLog(Storage &storage);

    bool record(const QString &operatorName, const QString &action, const QString &target,
                const QHostAddress &peer, const QString &outcome = QStringLiteral("ok"));

private:
    Storage &m_storage;
};

} // namespace herald
