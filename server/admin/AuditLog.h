#pragma once

#include <QHostAddress>
#include <QString>

namespace herald {

class Storage;

// Records admin actions in storage (audit_log) and under herald.admin. A change appends its entry
// inside its own transaction (append(), on the background writer: AdminChange.h), so a change is
// never left unaudited; record() is for what changes nothing else (logins, logouts) and writes the
// entry through the background writer on its own.
class AuditLog
{
public:
    explicit AuditLog(Storage &storage);

    void record(const QString &operatorName, const QString &action, const QString &target,
                const QHostAddress &peer, const QString &outcome = QStringLiteral("ok"));
    // The same, written to `storage`: inside a change that runs on the background writer.
    static bool append(Storage &storage, const QString &operatorName, const QString &action, const QString &target,
                       const QHostAddress &peer, const QString &outcome = QStringLiteral("ok"));

private:
    Storage &m_storage;
};

} // namespace herald
