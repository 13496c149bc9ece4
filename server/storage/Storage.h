#pragma once

#include "storage/Records.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace herald {

// Everything Herald keeps. Implementations: SqliteStorage (embedded default); PostgreSQL later.
// Calls are synchronous and made from the main thread. A failed call returns false/nullopt and
// leaves lastError() set; callers answer 500 and log it under herald.storage — nothing half-done
// is left behind because multi-step changes run inside transaction().
class Storage
{
public:
    virtual ~Storage() = default;

    // Creates the schema on an empty database or upgrades an older one, each step in a transaction.
    virtual bool open(QString *error) = 0;
    virtual void close() = 0;
    virtual int schemaVersion() = 0;
    virtual QString lastError() const = 0;

    // Runs `work` in one transaction; commits when it returns true, rolls back otherwise.
    virtual bool transaction(const std::function<bool()> &work) = 0;

    // Terminal accounts.
    virtual std::optional<qint64> createAccount(const QString &name, const QString &passwordHash) = 0;
    virtual std::optional<AccountRecord> accountByName(const QString &name) = 0;
    virtual std::optional<AccountRecord> accountById(qint64 id) = 0;
    virtual std::optional<QList<AccountRecord>> accounts() = 0;
    virtual bool setAccountPassword(qint64 id, const QString &passwordHash) = 0;
    virtual bool setAccountDisabled(qint64 id, bool disabled) = 0;

    // Console operators.
    virtual std::optional<qint64> createOperator(const QString &name, const QString &passwordHash,
                                                 const QString &role) = 0;
    virtual std::optional<OperatorRecord> operatorByName(const QString &name) = 0;
    virtual std::optional<int> operatorCount() = 0;

    // Devices. upsertDevice matches on DeviceRecord::deviceId; on return `device.id` is set.
    virtual bool upsertDevice(DeviceRecord &device) = 0;
    virtual std::optional<DeviceRecord> deviceByDeviceId(const QString &deviceId) = 0;
    virtual std::optional<DeviceRecord> deviceByTokenHash(const QByteArray &tokenHash) = 0;
    virtual std::optional<QList<DeviceRecord>> devicesOfAccount(qint64 accountId) = 0;
    virtual bool deleteDevice(qint64 id) = 0;
    virtual bool touchDevice(qint64 id, const QDateTime &lastSeen) = 0;

    // Login state (the login trigger) and what monitors need to resume.
    virtual bool upsertLogin(qint64 accountId, const QString &app, const QByteArray &credentials) = 0;
    virtual bool deleteLogin(qint64 accountId, const QString &app) = 0;
    virtual bool deleteLoginsOfAccount(qint64 accountId) = 0;
    virtual std::optional<QList<LoginRecord>> logins() = 0;
    virtual std::optional<QList<LoginRecord>> loginsOfAccount(qint64 accountId) = 0;
    virtual bool setLoginCheckpoint(qint64 accountId, const QString &app, const QByteArray &checkpoint) = 0;
    virtual bool setLoginMonitorState(qint64 accountId, const QString &app, const QString &state,
                                      const QString &error) = 0;
};

} // namespace herald
