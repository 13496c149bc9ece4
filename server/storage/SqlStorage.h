#pragma once

#include "storage/SqlQuery.h"
#include "storage/SqlResources.h"
#include "storage/Storage.h"

#include <QHash>

#include <algorithm>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace herald {

// Storage's operations, written once against SqlQuery and the SQL resources of one engine
// (resources/sql/<engine>/, the same names in every folder). What differs between engines —
// opening, transactions under group commit, how changes by other connections are noticed —
// is left to SqliteStorage and PostgresStorage.
class BackgroundReaders;
class BackgroundWriter;

class SqlStorage : public Storage
{
public:
    ~SqlStorage() override;

    QString lastError() const override { return m_lastError; }
    bool transaction(const std::function<bool()> &work) override;
    int schemaVersion() override;
    void setCommitObserver(std::function<void(double seconds)> observer) override;
    // On the background writer's thread while one runs (startWriter()), else at once (Storage's default).
    void writeInBackground(std::function<bool(Storage &)> work, std::function<void(bool ok)> done) override;
    // How many reading connections the server's write mode starts ([database] reading_connections);
    // takes effect when group commit is next turned on.
    void setReadingConnections(int count) { m_readingConnections = std::max(1, count); }
    // On one of the reading connections while they run (startReaders()), else at once.
    void writeAloneInBackground(std::function<bool(Storage &)> work, std::function<void(bool ok)> done) override;
    void readInBackground(std::function<void(Storage &)> work, std::function<void()> done) override;
    void forgetCachedTargets() override { dropCachedTargets(); }
    void forgetCachedSources() override { m_sourcesByHash.clear(); }

    // The background writer's transaction: every unit in one transaction; a unit that returns
    // false is undone alone (the batch runs again with a savepoint per unit). (*ok)[i] tells
    // whether unit i is committed. Not while group commit is on for this connection.
    bool runUnits(const std::vector<std::function<bool()>> &units, std::vector<char> *ok);

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
    bool insertConsoleSession(const QByteArray &tokenHash, qint64 operatorId, const QDateTime &expiresAt,
                              int keep) override;
    std::optional<std::optional<ConsoleSessionRecord>> consoleSession(const QByteArray &tokenHash) override;
    std::optional<QSet<QByteArray>> consoleSessionHashes() override;
    bool deleteConsoleSession(const QByteArray &tokenHash) override;
    bool deleteConsoleSessionsOf(qint64 operatorId) override;
    std::optional<QHash<QString, int>> deviceCountsByPlatform() override;

    bool upsertDevice(DeviceRecord &device) override;
    std::optional<DeviceRecord> deviceByDeviceId(const QString &deviceId) override;
    std::optional<DeviceRecord> deviceByTokenHash(const QByteArray &tokenHash) override;
    std::optional<QList<DeviceRecord>> devicesOfAccount(qint64 accountId) override;
    bool deleteDevice(qint64 id) override;
    bool touchDevices(const QList<LastSeen> &seen) override;

    bool upsertLogin(qint64 accountId, const QString &app, const QByteArray &credentials) override;
    bool deleteLogin(qint64 accountId, const QString &app) override;
    bool deleteLoginsOfAccount(qint64 accountId) override;
    std::optional<QList<LoginRecord>> logins() override;
    std::optional<QList<LoginRecord>> loginsOfAccount(qint64 accountId) override;
    bool setLoginCheckpoint(qint64 accountId, const QString &app, const QByteArray &checkpoint) override;
    bool setLoginMonitorState(qint64 accountId, const QString &app, const QString &state,
                              const QString &error) override;
    std::optional<LoginShare> loginShare() override;
    std::optional<QList<LoginRecord>> claimLogins(qint64 aliveSinceMs, int limit) override;
    std::optional<QList<LoginKey>> claimedLogins() override;
    bool releaseLogin(qint64 accountId, const QString &app) override;

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
    std::optional<bool> markNotificationOpened(const QString &id, const QDateTime &openedAt) override;
    bool insertDelivery(const DeliveryRecord &delivery) override;
    bool updateDelivery(const DeliveryRecord &delivery) override;
    bool cancelDelivery(const DeliveryRecord &cancelled) override;
    std::optional<DeliveryRecord> deliveryById(const QString &id) override;
    std::optional<QList<DeliveryRecord>> deliveriesOfNotification(const QString &notificationId) override;
    std::optional<QList<DeliveryRecord>> openDeliveries(int limit) override;
    // The outbox's claims and the nodes' heartbeats: SqlNodes.cpp.
    QString claimer() const override { return m_claimer; }
    bool joinNodes(const QString &node) override;
    QString nodeName() const override { return m_node.isEmpty() ? m_claimer : m_node; }
    bool beatNode(const QString &node, const NodeReport &report) override;
    bool leaveNodes() override;
    std::optional<QList<NodeRun>> staleNodes(qint64 aliveSinceMs) override;
    bool forgetStaleNode(const QString &claimer, qint64 aliveSinceMs) override;
    std::optional<QList<NodeRun>> liveNodes(qint64 aliveSinceMs) override;
    std::optional<QList<NodeRecord>> nodes() override;
    bool setLiveSession(qint64 deviceId, const QString &foregroundApp) override;
    bool dropLiveSession(qint64 deviceId) override;
    std::optional<QString> sessionHolder(qint64 deviceId, const QString &app, qint64 aliveSinceMs) override;
    std::optional<QList<SessionElsewhere>> sessionsElsewhere(qint64 aliveSinceMs,
                                                             const QList<qint64> *deviceIds = nullptr) override;
    std::optional<bool> handOverDelivery(const QString &deliveryId, const QString &toClaimer) override;
    std::optional<QStringList> strandedDeliveries(qint64 untouchedSinceMs, int limit) override;
    std::optional<QList<DeliveryRecord>> claimOpenDeliveries(OpenDeliveryCursor *cursor, qint64 aliveSinceMs,
                                                             int limit) override;
    std::optional<qint64> openDeliveryCount() override;
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
    // `engine` names the folder under `sqlRoot` (the embedded resources/sql/ unless a test or tool
    // tries other scripts).
    explicit SqlStorage(const QString &engine, const QString &sqlRoot = QStringLiteral(":/sql"));

    // One query object from a small pool: SqlStorage's operations hold one while they read its rows,
    // and going out of scope releases the statement (no read transaction stays open).
    class QueryLease
    {
    public:
        explicit QueryLease(SqlStorage &storage);
        ~QueryLease();
        QueryLease(const QueryLease &) = delete;
        QueryLease &operator=(const QueryLease &) = delete;
        operator SqlQuery &() { return *m_query; }             // NOLINT: passed to run()
        operator const SqlQuery &() const { return *m_query; } // NOLINT: passed to row mapping
        bool next() { return m_query->next(); }
        QVariant value(int column) const { return m_query->value(column); }
        QVariant lastInsertId() const { return m_query->lastInsertId(); }
        int numRowsAffected() const { return m_query->numRowsAffected(); }
        QString errorText() const { return m_query->errorText(); }
        bool conflicted() const { return m_query->conflicted(); }

    private:
        SqlStorage &m_storage;
        std::unique_ptr<SqlQuery> m_query;
    };

    // --- what each engine provides ---
    virtual std::unique_ptr<SqlQuery> createQuery() = 0;
    // Runs one statement without parameters or rows (schema scripts).
    virtual bool execScript(const QString &sql, QString *error) = 0;
    // Called before a write outside any transaction: under group commit it joins the open batch.
    virtual bool joinWriteBatch() { return true; }
    virtual bool groupCommitting() const { return false; }
    virtual QString beginStatement() const { return QStringLiteral("BEGIN"); }
    // How runUnits() begins: a transaction that will write (SQLite takes its write lock up front).
    virtual QString beginWriteStatement() const { return beginStatement(); }
    // How a claim of open deliveries begins when it is not inside a transaction already; empty: it
    // runs as one statement. PostgreSQL: REPEATABLE READ (SqlNodes.cpp says why).
    virtual QString claimBeginStatement() const { return {}; }
    // Whether what eventTargets() keeps may be stale (true drops it; sourcesMayHaveChanged() decides
    // for sourceByTokenHash()'s).
    virtual bool targetsMayHaveChanged() = 0;
    // Whether the sources may have changed, asked right after targetsMayHaveChanged() returned
    // `targetsChanged`. Where one check covers both (SQLite's counter), that answer.
    virtual bool sourcesMayHaveChanged(bool targetsChanged) { return targetsChanged; }
    // A rollback (whole or to a savepoint) undid rows that may have been read and kept.
    virtual void noteRollback() {}

    // Borrows the named query from the resources, binds `values` (":name" -> value, missing ones
    // NULL) and runs it; a write outside a transaction joins the group-commit batch when that is on.
    bool run(SqlQuery &query, const QString &name, const SqlParams &values = {});
    bool execControl(const QString &sql); // BEGIN, COMMIT, SAVEPOINT … as cached statements
    bool commit();                        // COMMIT, timed for the commit observer
    bool inSavepoint(const std::function<bool()> &work); // a unit inside an open transaction
    // `work` in a transaction of its own, begun by `begin`: committed when it returns true, else
    // rolled back with its error kept. transaction() and the claim's REPEATABLE READ use it.
    bool inTransaction(const QString &begin, const std::function<bool()> &work);
    bool migrateSchema(QString *error);  // sets up or upgrades the schema (SchemaMigrator)
    // The server's write mode: writeInBackground() goes to a connection `open` makes on a thread of
    // its own; `writeLock` (may be null) is held around each of its transactions. When it cannot
    // start, that is logged and background writes run on the event loop.
    using WorkerOpener = std::function<std::unique_ptr<SqlStorage>(QString *error)>;
    void startWriter(WorkerOpener open, std::mutex *writeLock);
    void stopWriter(); // runs what was handed over, and each `done`
    // The server's reading connections for readInBackground(): `count` of them, each opened by
    // `open` on its own thread. When they cannot start, that is logged and reads run on the event loop.
    void startReaders(WorkerOpener open, int count);
    // How many the engines start (setReadingConnections(); two by default): two reads in flight at
    // once keep a request that waits for a slow read (a console search) from holding up every
    // bearer token's lookup behind it.
    int readingConnections() const { return m_readingConnections; }
    void stopReaders(); // runs what was submitted, and each `done`
    void dropQueries();                  // before the engine's connection closes
    void dropCachedReads(); // both caches
    void dropCachedTargets();

    SqlResources m_sql;
    QString m_lastError;
    int m_transactionDepth = 0;
    std::function<void(double seconds)> m_commitObserver;
    std::unique_ptr<BackgroundWriter> m_writer; // while startWriter() is in force
    std::unique_ptr<BackgroundReaders> m_readers; // while startReaders() is in force
    int m_readingConnections = 2;
    // Before a delivery id on a run's channel: the delivery was cancelled there, not handed over.
    static constexpr QLatin1String WithdrawNotice{"withdraw:"};

private:
    WorkerOpener sharingClaimer(WorkerOpener open) const; // background connections insert as this run
    bool enterNodes(const QString &node, const NodeReport &report = {}); // this run's row in the nodes table
    // The delivery's row as `delivery` says, owned by `claimer` (this run, or the owner it keeps).
    bool writeDelivery(const DeliveryRecord &delivery, const QVariant &claimer);
    std::optional<QList<NodeRun>> nodeRows(const QString &queryName, qint64 aliveSinceMs);
    // The engine's part of a hand-over: tell run `toClaimer` (at commit) that the delivery is its own.
    virtual bool notifyNode(const QString &toClaimer, const QString &deliveryId)
    {
        Q_UNUSED(toClaimer);
        Q_UNUSED(deliveryId);
        return true;
    }
    // Runs `claim` in a transaction of its own begun by claimBeginStatement() (REPEATABLE READ on
    // PostgreSQL), again on a fresh snapshot while it fails on a concurrent claimer's change
    // (*conflicted). Inside a transaction already, or with no such statement, it runs once as is.
    bool runClaim(const std::function<bool(bool *conflicted)> &claim);
    // One claim statement; *conflicted: it failed on a concurrent transaction's change.
    std::optional<QList<DeliveryRecord>> claimPage(OpenDeliveryCursor *cursor, qint64 aliveSinceMs, int limit,
                                                   bool *conflicted);

    friend class SchemaMigrator;
    // Row mappers. State columns are parsed (RecordStates.h): unknown text makes them return false
    // with *error saying which column and value, and the read fails with it (rowError()).
    static bool deviceFrom(const SqlQuery &q, int first, DeviceRecord *out, QString *error); // 17 columns from `first`
    std::optional<QList<DeviceRecord>> deviceRows(const QString &queryName, const SqlParams &values);
    bool loadDeviceApps(DeviceRecord &device);
    std::optional<QList<NotificationRecord>> notificationRows(const QString &queryName, const SqlParams &values);
    std::optional<QList<DeliveryRecord>> deliveryRows(const QString &queryName, const SqlParams &values);
    static bool deliveryFromRow(const SqlQuery &q, DeliveryRecord *out, QString *error); // 11 deliveries columns
    void rowError(const QString &error); // sets lastError() and logs it under herald.storage
    std::optional<int> countRows(const QString &queryName, const SqlParams &values);
    std::optional<QList<LoginRecord>> loginRows(const QString &queryName, const SqlParams &values);
    static SourceRecord sourceFrom(const SqlQuery &q); // id, name, created_at, kind, revoked_at
    void dropStaleReads();

    std::vector<std::unique_ptr<SqlQuery>> m_idleQueries;
    // eventTargets() runs for every event; what it reads changes rarely (registrations, logins).
    QHash<std::pair<QString, QString>, std::optional<EventTargets>> m_targets; // (account, app)
    // Source tokens that authenticated (misses are not kept, so a new source works at once); every
    // event looks its token up, and the sources table changes rarely (add, revoke).
    QHash<QByteArray, SourceRecord> m_sourcesByHash;
    QString m_claimer; // this run's, in claimed_by (a fresh random id; the same on worker connections)
    QString m_node;    // joinNodes()'s
};

} // namespace herald
