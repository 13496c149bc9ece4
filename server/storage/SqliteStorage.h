#pragma once

#include "storage/Durability.h"
#include "storage/SqlResources.h"
#include "storage/StatementCache.h"
#include "storage/Storage.h"
#include "storage/TableChangeWatch.h"
#include "storage/WalCheckpointer.h"
#include "storage/WriteBatch.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariantMap>

#include <memory>
#include <mutex>
#include <vector>

namespace herald {

class BackgroundWriter;

// The embedded default: one SQLite file in WAL mode, foreign keys on, busy timeout set so a
// second process (e.g. `herald-server user add` next to a running server) waits instead of failing.
class SqliteStorage : public Storage
{
public:
    // `connectionName` prefixes the Qt Sql connection's name (one per thread that opens one).
    explicit SqliteStorage(const QString &path, const QString &connectionName = QStringLiteral("herald-sqlite"),
                           Durability durability = Durability::Process);
    ~SqliteStorage() override;

    bool open(QString *error) override;
    void close() override;
    int schemaVersion() override;
    QString lastError() const override { return m_lastError; }
    bool transaction(const std::function<bool()> &work) override;
    void setGroupCommit(bool on) override;
    void whenDurable(std::function<void(bool ok)> done) override;
    void writeInBackground(std::function<bool(Storage &)> work, std::function<void(bool ok)> done) override;

    // The background writer's transaction: every unit in one BEGIN IMMEDIATE … COMMIT; a unit that
    // returns false is undone alone. (*ok)[i] tells whether unit i is committed. Not for group commit.
    bool runUnits(const std::vector<std::function<bool()>> &units, std::vector<char> *ok);
    sqlite3 *nativeHandle() const { return m_statements.handle(); }

    std::optional<qint64> createAccount(const QString &name, const QString &passwordHash) override;
    std::optional<AccountRecord> accountByName(const QString &name) override;
    std::optional<AccountRecord> accountById(qint64 id) override;
    std::optional<QList<AccountRecord>> accounts() override;
    bool setAccountPassword(qint64 id, const QString &passwordHash) override;
    bool setAccountDisabled(qint64 id, bool disabled) override;
    std::optional<QSet<qint64>> disabledAccountIds() override;
    std::optional<qint64> targetChangeCount() override;

    std::optional<qint64> createOperator(const QString &name, const QString &passwordHash,
                                         const QString &role) override;
    std::optional<OperatorRecord> operatorByName(const QString &name) override;
    std::optional<int> operatorCount() override;
    std::optional<QList<OperatorRecord>> operators() override;
    std::optional<QHash<qint64, int>> deviceCountsByAccount() override;
    bool appendAudit(const AuditRecord &entry) override;
    std::optional<QList<AuditRecord>> auditEntries(int limit) override;
    std::optional<QList<AuditRecord>> auditEntries(const AuditFilter &filter, int offset, int limit,
                                                   int *total) override;
    bool setOperatorDisabled(qint64 id, bool disabled) override;
    bool setOperatorRole(qint64 id, const QString &role) override;
    bool setOperatorPassword(qint64 id, const QString &passwordHash) override;
    std::optional<QHash<QString, int>> deviceCountsByPlatform() override;

    bool upsertDevice(DeviceRecord &device) override;
    std::optional<DeviceRecord> deviceByDeviceId(const QString &deviceId) override;
    std::optional<DeviceRecord> deviceByTokenHash(const QByteArray &tokenHash) override;
    std::optional<QList<DeviceRecord>> devicesOfAccount(qint64 accountId) override;
    bool deleteDevice(qint64 id) override;
    bool touchDevice(qint64 id, const QDateTime &lastSeen) override;

    bool upsertLogin(qint64 accountId, const QString &app, const QByteArray &credentials) override;
    bool deleteLogin(qint64 accountId, const QString &app) override;
    bool deleteLoginsOfAccount(qint64 accountId) override;
    std::optional<QList<LoginRecord>> logins() override;
    std::optional<QList<LoginRecord>> loginsOfAccount(qint64 accountId) override;
    bool setLoginCheckpoint(qint64 accountId, const QString &app, const QByteArray &checkpoint) override;
    bool setLoginMonitorState(qint64 accountId, const QString &app, const QString &state,
                              const QString &error) override;

    std::optional<qint64> createSource(const QString &name, const QByteArray &tokenHash, const QString &kind) override;
    std::optional<SourceRecord> sourceByTokenHash(const QByteArray &tokenHash) override;
    std::optional<SourceRecord> sourceByName(const QString &name) override;
    std::optional<QList<SourceRecord>> sources() override;
    bool revokeSource(qint64 id, const QDateTime &at) override;

    bool insertNotification(const NotificationRecord &notification) override;
    bool insertNewNotification(const NotificationRecord &notification, bool *duplicate) override;
    std::optional<EventTargets> eventTargets(const QString &accountName, const QString &app) override;
    std::optional<NotificationRecord> notificationById(const QString &id) override;
    std::optional<NotificationRecord> notificationBySourceEvent(const QString &source, const QString &eventId) override;
    std::optional<int> unreadNotificationCount(qint64 accountId) override;
    std::optional<QList<NotificationRecord>> notificationsOfAccount(qint64 accountId, bool unreadOnly,
                                                                    int limit) override;
    bool setNotificationState(const QString &id, NotificationState state, const QDateTime &openedAt) override;
    bool insertDelivery(const DeliveryRecord &delivery) override;
    bool updateDelivery(const DeliveryRecord &delivery) override;
    std::optional<DeliveryRecord> deliveryById(const QString &id) override;
    std::optional<QList<DeliveryRecord>> deliveriesOfNotification(const QString &notificationId) override;
    std::optional<QList<DeliveryRecord>> openDeliveries(int limit) override;
    std::optional<QList<DeliveryRecord>> openDeliveriesAfter(OpenDeliveryCursor *cursor, int limit) override;
    std::optional<qint64> openDeliveriesLastUpdate() override;
    std::optional<qint64> openDeliveryCount() override;
    void setCommitObserver(std::function<void(double seconds)> observer) override;
    bool addDeliveryAttempt(const DeliveryAttemptRecord &attempt) override;
    std::optional<QList<DeliveryAttemptRecord>> deliveryAttempts(const QString &deliveryId) override;
    std::optional<QList<DeviceRecord>> findDevices(const DeviceFilter &filter, int offset, int limit) override;
    std::optional<int> countDevices(const DeviceFilter &filter) override;
    std::optional<QList<NotificationRecord>> findNotifications(const NotificationFilter &filter, int offset,
                                                               int limit) override;
    std::optional<int> countNotifications(const NotificationFilter &filter) override;
    std::optional<DeviceRecord> deviceById(qint64 id) override;
    bool setPushTokenState(qint64 deviceId, const QString &pushToken, PushTokenState state,
                           const QString &reason) override;

protected:
    // Borrows the named query from the resources, prepared, binds `values` (":name" -> value,
    // missing ones NULL) and runs it; a write joins the group-commit batch when that is on.
    bool run(CachedQuery &query, const QString &name, const SqlParams &values = {});
    QSqlDatabase database() const { return m_statements.database(); }

private:
    // Row mappers. State columns are parsed (RecordStates.h): unknown text makes them return false
    // with *error saying which column and value, and the read fails with it (rowError()).
    static bool deviceFrom(const CachedQuery &q, int first, DeviceRecord *out, QString *error); // 17 columns from `first`
    std::optional<QList<DeviceRecord>> deviceRows(const QString &queryName, const SqlParams &values);
    bool loadDeviceApps(DeviceRecord &device);
    std::optional<QList<NotificationRecord>> notificationRows(const QString &queryName, const SqlParams &values);
    std::optional<QList<DeliveryRecord>> deliveryRows(const QString &queryName, const SqlParams &values);
    static bool deliveryFromRow(const CachedQuery &q, DeliveryRecord *out, QString *error); // 11 deliveries columns
    void rowError(const QString &error); // sets lastError() and logs it under herald.storage
    std::optional<int> countRows(const QString &queryName, const SqlParams &values);
    std::optional<QList<LoginRecord>> loginRows(const QString &queryName, const SqlParams &values);
    static SourceRecord sourceFrom(const CachedQuery &q); // id, name, created_at, kind, revoked_at
    // Drops what eventTargets() and sourceByTokenHash() keep in memory when the watched tables
    // may have changed; other connections' changes are asked about once per event-loop pass.
    void dropStaleReads();

    QString m_path;
    Durability m_durability;
    QString m_connection;
    SqlResources m_sql;
    QString m_lastError;
    bool execControl(const QString &sql); // BEGIN, COMMIT, SAVEPOINT … as cached statements
    bool commit();                        // COMMIT, timed for the commit observer
    bool inSavepoint(const std::function<bool()> &work); // a unit inside an open transaction

    int m_transactionDepth = 0;
    StatementCache m_statements;
    std::unique_ptr<WriteBatch> m_batch; // group commit when set
    WalCheckpointer m_checkpointer;      // runs while group commit is on (the server's write mode)
    // Also only while group commit is on: writeInBackground() runs there. m_writeLock keeps its
    // transactions and the group-commit batch of this connection from overlapping.
    std::unique_ptr<BackgroundWriter> m_writer;
    std::function<void(double seconds)> m_commitObserver;
    std::mutex m_writeLock;
    // eventTargets() runs for every event; what it reads changes rarely (registrations, logins).
    TableChangeWatch m_targetsWatch{{"accounts", "devices", "device_apps", "logins", "sources"}};
    QHash<std::pair<QString, QString>, std::optional<EventTargets>> m_targets; // (account, app)
    // Source tokens that authenticated (misses are not kept, so a new source works at once); every
    // event looks its token up, and the sources table changes rarely (add, revoke).
    QHash<QByteArray, SourceRecord> m_sourcesByHash;
    bool m_targetsAskedThisPass = false; // group commit: other connections' changes asked once a pass
};

} // namespace herald
