#pragma once

#include "storage/Records.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>
#include <limits>
#include <optional>
#include <utility>

namespace herald {

// One admin API action (or console login attempt), as the audit log keeps it.
struct AuditRecord
{
    qint64 id = 0;
    QDateTime at;
    QString operatorName; // for a failed login, the name that was tried
    QString action;       // "login", "user.create", "device.revoke", ...
    QString target;
    QString peer;
    QString outcome; // "ok", or why it failed ("invalid_credentials", ...)
};

// Which audit entries a console asks for; unset members do not filter.
struct AuditFilter
{
    QString operatorName;
    QString action;
    QDateTime since; // inclusive
    QDateTime until; // inclusive
};

// What the console searches devices by (GET /admin/v1/devices); empty members match everything.
struct DeviceFilter
{
    qint64 accountId = 0;
    QString text;       // lower-case substring of the account name, device id or device name
    QString platform;   // ios | android | web | desktop
    std::optional<PushTokenState> tokenState; // unset: either
};

// What the console lists notifications by (GET /admin/v1/notifications).
struct NotificationFilter
{
    qint64 accountId = 0;
    QString app;
    // The admin API's state=all|pending|failed: any notification, those with an unfinished delivery,
    // those with a failed one. A filter over deliveries, so not a NotificationState.
    enum class Deliveries { Any, Unfinished, Failed };
    Deliveries deliveries = Deliveries::Any;
};

// Everything Herald keeps. Implementations: SqliteStorage (embedded default) and PostgresStorage, both over SqlStorage.
// Calls are synchronous and made from the main thread (writeInBackground() and readInBackground() aside). A failed call returns false/nullopt and
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
    // With group commit on, "commits" means: becomes part of the current write batch.
    virtual bool transaction(const std::function<bool()> &work) = 0;

    // Group commit, for the server: writes made during one pass of the event loop share one
    // transaction, committed when the pass ends, instead of one commit (locks, WAL frames) each.
    // Off by default, so tools and tests see every write committed when the call returns.
    virtual void setGroupCommit(bool on) { Q_UNUSED(on); }
    // Runs `done` once everything written so far is committed (at once when nothing is pending);
    // `ok` is false if that commit failed and the writes are lost. Answers that promise "stored"
    // go out through here.
    virtual void whenDurable(std::function<void(bool ok)> done) { done(true); }
    // For writes nobody reads back at once (the outbox under load: an accepted event's rows, a
    // delivered push's outcome). `work` is one unit: it may run later and on another thread,
    // against a Storage of its own (the server's background writer), so it captures what it needs
    // by value and uses only the Storage it is given; when it returns false its writes are undone.
    // `done` runs on the calling thread once the unit is committed (ok) or lost, in submission
    // order. Reads made in between may not see the unit yet; whenDurable() waits for it.
    // Without a background writer (tools, tests) it runs at once, in transaction().
    virtual void writeInBackground(std::function<bool(Storage &)> work, std::function<void(bool ok)> done)
    {
        const bool ok = transaction([&] { return work(*this); });
        whenDurable([done = std::move(done), ok](bool durable) { done(ok && durable); });
    }

    // A background unit that opens its own transactions (the outbox claim, which needs a
    // REPEATABLE READ transaction of its own on PostgreSQL): it runs on the writer's connection with
    // no transaction open, after every unit submitted before it is committed and before any unit
    // submitted after it. `done` gets what `work` returned. Without a background writer it runs
    // at once; with group commit on, `work` then finds the write batch open and joins it.
    virtual void writeAloneInBackground(std::function<bool(Storage &)> work, std::function<void(bool ok)> done)
    {
        const bool ok = work(*this);
        whenDurable([done = std::move(done), ok](bool durable) { done(ok && durable); });
    }

    // For reads a request waits for (who a bearer token belongs to, a notification list): in the
    // server `work` runs on one of its reading connections, on a thread of its own, against a
    // Storage of its own — so it captures what it needs by value and uses only the Storage it is
    // given — and `done` runs back on the calling thread, so the event loop never waits for the
    // database. Reads run side by side: `done`s come in any order. A read sees what is committed
    // when it runs; not this connection's open write batch, nor background writes not yet done.
    // Without reading connections (tools, tests) both run at once.
    virtual void readInBackground(std::function<void(Storage &)> work, std::function<void()> done)
    {
        work(*this);
        done();
    }

    // Whom an event reaches and which source tokens are good are answered from memory until the
    // tables behind them change (eventTargets(), sourceByTokenHash()). A change committed on another
    // connection is noticed through the database (SQLite: a counter read; PostgreSQL: LISTEN/NOTIFY,
    // which may arrive a moment after the commit); a caller whose own background write changed them
    // calls this before it answers, so the next read cannot be staler than its answer.
    virtual void forgetCachedTargets() {}
    // The same for the source tokens (sourceByTokenHash()), after a source was added or revoked.
    virtual void forgetCachedSources() {}

    // Terminal accounts.
    virtual std::optional<qint64> createAccount(const QString &name, const QString &passwordHash) = 0;
    virtual std::optional<AccountRecord> accountByName(const QString &name) = 0;
    virtual std::optional<AccountRecord> accountById(qint64 id) = 0;
    virtual std::optional<QList<AccountRecord>> accounts() = 0;
    virtual bool setAccountPassword(qint64 id, const QString &passwordHash) = 0;
    virtual bool setAccountDisabled(qint64 id, bool disabled) = 0;
    virtual std::optional<QSet<qint64>> disabledAccountIds() = 0;
    // Moves with every committed change to accounts, devices, device apps or logins, whichever
    // connection or process made it (`herald-server user disable` while the server runs): a cheap
    // "did anything there change" before reading more.
    virtual std::optional<qint64> targetChangeCount() = 0;

    // Console operators.
    virtual std::optional<qint64> createOperator(const QString &name, const QString &passwordHash,
                                                 const QString &role) = 0;
    virtual std::optional<OperatorRecord> operatorByName(const QString &name) = 0;
    virtual std::optional<int> operatorCount() = 0;
    virtual std::optional<QList<OperatorRecord>> operators() = 0;
    // Devices per account row id, for account lists that show counts without loading every device.
    virtual std::optional<QHash<qint64, int>> deviceCountsByAccount() = 0;

    // The admin audit log, newest first.
    virtual bool appendAudit(const AuditRecord &entry) = 0;
    virtual std::optional<QList<AuditRecord>> auditEntries(int limit) = 0;
    // One page of the entries `filter` lets through, newest first; *total counts all of them.
    virtual std::optional<QList<AuditRecord>> auditEntries(const AuditFilter &filter, int offset, int limit,
                                                           int *total) = 0;

    // Console operators: changes made by an admin (the caller checks the last-admin rule).
    virtual bool setOperatorDisabled(qint64 id, bool disabled) = 0;
    virtual bool setOperatorRole(qint64 id, const QString &role) = 0;
    virtual bool setOperatorPassword(qint64 id, const QString &passwordHash) = 0;
    // Console sessions, by SHA-256 of the bearer token, shared by every node (schema 18). Storing one
    // also drops expired rows and keeps only the `keep` latest to expire.
    virtual bool insertConsoleSession(const QByteArray &tokenHash, qint64 operatorId, const QDateTime &expiresAt,
                                      int keep) = 0;
    // The outer optional is the read; the inner one the row (none: unknown, expired or ended).
    virtual std::optional<std::optional<ConsoleSessionRecord>> consoleSession(const QByteArray &tokenHash) = 0;
    virtual std::optional<QSet<QByteArray>> consoleSessionHashes() = 0; // those not yet expired
    virtual bool deleteConsoleSession(const QByteArray &tokenHash) = 0;
    virtual bool deleteConsoleSessionsOf(qint64 operatorId) = 0;

    // For the console's dashboard: devices per platform (deliveries not finished: openDeliveryCount).
    virtual std::optional<QHash<QString, int>> deviceCountsByPlatform() = 0;

    // Devices. upsertDevice matches on DeviceRecord::deviceId; on return `device.id` is set.
    virtual bool upsertDevice(DeviceRecord &device) = 0;
    virtual std::optional<DeviceRecord> deviceByDeviceId(const QString &deviceId) = 0;
    virtual std::optional<DeviceRecord> deviceByTokenHash(const QByteArray &tokenHash) = 0;
    virtual std::optional<QList<DeviceRecord>> devicesOfAccount(qint64 accountId) = 0;
    virtual bool deleteDevice(qint64 id) = 0;
    // When devices were last seen, many in one call (the last-seen sweep writes thousands at once):
    // one statement per kMaxTouchedPerStatement devices instead of a round trip each. A device
    // deleted meanwhile is skipped, not an error; an id listed twice keeps its latest time.
    // Does not move the target-change counter (last_seen is not counted, schema version 14).
    using LastSeen = std::pair<qint64, QDateTime>; // devices.id, when
    static constexpr int kMaxTouchedPerStatement = 1000;
    virtual bool touchDevices(const QList<LastSeen> &seen) = 0;
    bool touchDevice(qint64 id, const QDateTime &lastSeen) { return touchDevices({{id, lastSeen}}); }

    // Login state (the login trigger) and what monitors need to resume.
    virtual bool upsertLogin(qint64 accountId, const QString &app, const QByteArray &credentials) = 0;
    virtual bool deleteLogin(qint64 accountId, const QString &app) = 0;
    virtual bool deleteLoginsOfAccount(qint64 accountId) = 0;
    virtual std::optional<QList<LoginRecord>> logins() = 0;
    virtual std::optional<QList<LoginRecord>> loginsOfAccount(qint64 accountId) = 0;
    virtual bool setLoginCheckpoint(qint64 accountId, const QString &app, const QByteArray &checkpoint) = 0;
    // Both write only while this run holds the login's lease (below).
    virtual bool setLoginMonitorState(qint64 accountId, const QString &app, const QString &state,
                                      const QString &error) = 0;

    // Monitors are placed by lease: each login names the run that watches it (monitor_claimer).
    // upsertLogin() makes it this run's; a login whose run has no heartbeat since aliveSinceMs (or
    // that nobody holds, after a clean stop or a release) is free, and a live run claims it. So
    // every login is watched by one run of a cluster, and by a live one within a heartbeat or two
    // of its run stopping (node_timeout_secs more when the run died without a word).
    struct LoginShare
    {
        int total = 0; // logins in the database
        int mine = 0;  // of those, this run's
    };
    virtual std::optional<LoginShare> loginShare() = 0;
    // Claims up to `limit` free logins and returns them whole. PostgreSQL skips rows another
    // claim holds (FOR UPDATE SKIP LOCKED) in a REPEATABLE READ transaction of its own. The
    // monitor state the last holder stored is cleared (its "watching" is no longer true), except
    // "failed": its reason stays on show until the new holder's monitor says otherwise.
    virtual std::optional<QList<LoginRecord>> claimLogins(qint64 aliveSinceMs, int limit) = 0;
    struct LoginKey
    {
        qint64 accountId = 0;
        QString app;
    };
    virtual std::optional<QList<LoginKey>> claimedLogins() = 0; // this run's, by key
    // Frees one login of this run's (no-op if it is not its own any more).
    virtual bool releaseLogin(qint64 accountId, const QString &app) = 0;

    // Event sources (POST /v1/events).
    virtual std::optional<qint64> createSource(const QString &name, const QByteArray &tokenHash,
                                               const QString &kind) = 0; // "events" or "presence"
    // Only a source that is not revoked; may be answered from memory until sources change.
    virtual std::optional<SourceRecord> sourceByTokenHash(const QByteArray &tokenHash) = 0;
    virtual std::optional<SourceRecord> sourceByName(const QString &name) = 0; // revoked ones too
    virtual std::optional<QList<SourceRecord>> sources() = 0;                  // by name, revoked ones too
    // Sets revoked_at; false when the source is unknown or already revoked (lastError() empty then).
    virtual bool revokeSource(qint64 id, const QDateTime &at) = 0;

    // The durable outbox: notifications, their per-device deliveries and every attempt.
    virtual bool insertNotification(const NotificationRecord &notification) = 0;
    // Inserts unless (source, eventId) is already stored; then writes nothing and sets *duplicate.
    virtual bool insertNewNotification(const NotificationRecord &notification, bool *duplicate) = 0;
    // nullopt: no such account (or the read failed; lastError() tells).
    virtual std::optional<EventTargets> eventTargets(const QString &accountName, const QString &app) = 0;
    virtual std::optional<NotificationRecord> notificationById(const QString &id) = 0;
    virtual std::optional<NotificationRecord> notificationBySourceEvent(const QString &source,
                                                                        const QString &eventId) = 0;
    virtual std::optional<QList<NotificationRecord>> notificationsOfAccount(qint64 accountId, bool unreadOnly,
                                                                            int limit) = 0;
    // The account's unread notifications (active, not expired): the badge every push carries.
    // The default counts the rows.
    virtual std::optional<int> unreadNotificationCount(qint64 accountId)
    {
        const auto rows = notificationsOfAccount(accountId, true, std::numeric_limits<int>::max());
        return rows ? std::optional<int>(int(rows->size())) : std::nullopt;
    }
    virtual bool setNotificationState(const QString &id, NotificationState state, const QDateTime &openedAt) = 0;
    // The open call: active -> opened, in one conditional write. True when this call opened it;
    // false when it was not active any more (a second open of the same notification lost the race).
    virtual std::optional<bool> markNotificationOpened(const QString &id, const QDateTime &openedAt) = 0;
    virtual bool insertDelivery(const DeliveryRecord &delivery) = 0;
    virtual bool updateDelivery(const DeliveryRecord &delivery) = 0;
    // An operator's cancel: the row as `cancelled` says, without taking it from the run that owns
    // it; that run, if another one, is told (setWithdrawReceiver) so it drops what it holds of it.
    virtual bool cancelDelivery(const DeliveryRecord &cancelled) = 0;
    virtual std::optional<DeliveryRecord> deliveryById(const QString &id) = 0;
    virtual std::optional<QList<DeliveryRecord>> deliveriesOfNotification(const QString &notificationId) = 0;
    // Deliveries not yet finished (pending, inband, push, retry), oldest due first.
    virtual std::optional<QList<DeliveryRecord>> openDeliveries(int limit) = 0;
    // The outbox is claimed. Each open delivery belongs to one server run: the one that inserted it
    // (insertDelivery() writes claimer()) or that last claimed it. A run keeps a heartbeat in the
    // nodes table; another takes its open deliveries over once that heartbeat is older than
    // `aliveSince`. So several servers (or writers) on one database never push the same delivery.
    //
    // This storage's claimer: made afresh for each Storage (one per run), shared by the connections
    // it opens for its background work.
    virtual QString claimer() const = 0;
    // Enters this run in the nodes table under `node` (stable for a data folder), after dropping
    // that node's earlier runs: what they owned is free to claim at once.
    virtual bool joinNodes(const QString &node) = 0;
    // The name this run beats under: joinNodes()'s, or the claimer when it never joined (tools, tests).
    virtual QString nodeName() const = 0;
    // What a heartbeat reports of its run, for operators (the console's Cluster tab): written with
    // the heartbeat in one statement, so it costs no write of its own.
    struct NodeReport
    {
        QString address; // HOST:PORT the run listens on
        QString version;
        int sessions = 0;
        int monitors = 0;
        QByteArray activity; // JSON for cluster-wide stats (admin/NodeActivity)
    };
    // This run's heartbeat with its report; enters the run again under `node` (nodeName(), passed
    // so that any of the run's connections can beat) if another run took it for stopped and dropped it.
    virtual bool beatNode(const QString &node, const NodeReport &report) = 0;
    // A clean stop: this run leaves the nodes table with the sessions and logins it held, so that other nodes
    // take over what it owned at their next heartbeat instead of waiting for it to age.
    virtual bool leaveNodes() = 0;
    struct NodeRun
    {
        QString claimer;
        QString node;
    };
    // Runs whose heartbeat is older than aliveSinceMs, and dropping one (only if still that old,
    // with the session channels it held).
    virtual std::optional<QList<NodeRun>> staleNodes(qint64 aliveSinceMs) = 0;
    virtual bool forgetStaleNode(const QString &claimer, qint64 aliveSinceMs) = 0;
    // Runs with a heartbeat since aliveSinceMs, this one included: the cluster's live nodes.
    virtual std::optional<QList<NodeRun>> liveNodes(qint64 aliveSinceMs) = 0;
    // Every row of the nodes table, live or not, by node name: what the console shows.
    virtual std::optional<QList<NodeRecord>> nodes() = 0;

    // The session channels this run holds, for the other nodes of a cluster: which app each
    // device shows in the foreground ("" for none), until its session ends.
    virtual bool setLiveSession(qint64 deviceId, const QString &foregroundApp) = 0;
    virtual bool dropLiveSession(qint64 deviceId) = 0;
    // The run of another live node (a heartbeat since aliveSinceMs) that holds the device's
    // session with `app` in the foreground; "" when none does.
    virtual std::optional<QString> sessionHolder(qint64 deviceId, const QString &app, qint64 aliveSinceMs) = 0;
    // The session channels the other live runs hold (a heartbeat since aliveSinceMs, this run left
    // out): what the console's device list shows as online elsewhere in the cluster.
    struct SessionElsewhere
    {
        qint64 deviceId = 0; // the devices table's row id
        QString node;          // the holder's node name
        QString foregroundApp; // "" for none
    };
    // `deviceIds` set: only those devices' sessions (a page of the list), not the whole cluster's.
    virtual std::optional<QList<SessionElsewhere>> sessionsElsewhere(qint64 aliveSinceMs,
                                                                     const QList<qint64> *deviceIds = nullptr) = 0;
    // Whether a delivery can be handed to another run (PostgreSQL: a NOTIFY on that run's channel).
    virtual bool canMessageNodes() const { return false; }
    // Gives a pending delivery this run owns to run `toClaimer`, and tells that run when this
    // commits. False when it was not handed over (no longer pending, or no longer this run's).
    virtual std::optional<bool> handOverDelivery(const QString &deliveryId, const QString &toClaimer) = 0;
    // Pending deliveries this run owns that nobody has written since untouchedSinceMs: handed over
    // by another node whose NOTIFY never arrived (this connection was reconnecting), or whose
    // handling was lost. The heartbeat looks for them where nodes hand deliveries over.
    virtual std::optional<QStringList> strandedDeliveries(qint64 untouchedSinceMs, int limit) = 0;
    // The event loop's connection calls `receiver` for each delivery another run handed to this one.
    virtual void setHandOverReceiver(std::function<void(const QString &deliveryId)> receiver) { Q_UNUSED(receiver); }
    // Told of deliveries this run owns that an operator cancelled on another node (cancelDelivery).
    virtual void setWithdrawReceiver(std::function<void(const QString &deliveryId)> receiver) { Q_UNUSED(receiver); }

    // The admin live feed of a cluster (admin/AdminClusterFeed), where nodes can message each other:
    // two channels all nodes of the database share. On Watchers a node says whether consoles follow
    // its feed; Frames carries the feed frames of nodes that know someone elsewhere watches.
    enum class FeedChannel { Watchers, Frames };
    // Sends `payload` (UTF-8, under 8000 bytes) on the channel from this connection. NOTIFY is
    // transactional: inside a background unit it leaves when the unit commits, not if it is undone.
    virtual bool notifyFeed(FeedChannel channel, const QByteArray &payload)
    {
        Q_UNUSED(channel);
        Q_UNUSED(payload);
        return false;
    }
    // The event loop's connection hears the Watchers channel from now on (nullptr: no more), and
    // `receiver` gets each notice of either channel on a later pass of the event loop.
    virtual void setFeedReceiver(std::function<void(FeedChannel channel, const QByteArray &payload)> receiver)
    {
        Q_UNUSED(receiver);
    }
    // Whether that connection also hears Frames: only while consoles here follow the feed, so that
    // a node nobody watches on is not woken by the frames of the others. One round trip.
    virtual bool listenToFeedFrames(bool on)
    {
        Q_UNUSED(on);
        return false;
    }
    // Claims up to `limit` open deliveries after `cursor` in the order of openDeliveries() whose
    // owner has no heartbeat since aliveSinceMs (or none at all), and returns them in that order;
    // the cursor moves to the last. Keyset pagination: each page is one index range, however far
    // in. PostgreSQL skips rows another transaction holds (FOR UPDATE SKIP LOCKED), so a page may
    // come back short with more behind it: the end is an empty page. SQLite's write lock makes the
    // claim exclusive there. A row this version cannot read is logged and left out (still claimed).
    // updateDelivery() claims too: whoever writes a delivery owns it.
    struct OpenDeliveryCursor
    {
        qint64 nextAttemptAtMs = std::numeric_limits<qint64>::min();
        qint64 createdAtMs = 0;
        qint64 rowId = 0;
    };
    virtual std::optional<QList<DeliveryRecord>> claimOpenDeliveries(OpenDeliveryCursor *cursor, qint64 aliveSinceMs,
                                                                     int limit) = 0;
    // The outbox depth (deliveries not finished), for /metrics and the console. The default counts the rows.
    virtual std::optional<qint64> openDeliveryCount()
    {
        const auto rows = openDeliveries(std::numeric_limits<int>::max());
        return rows ? std::optional<qint64>(rows->size()) : std::nullopt;
    }
    // Told how long each COMMIT took, in seconds, on whichever thread committed (the group commit
    // on the event loop, the background writer on its own): for /metrics. Default: not measured.
    virtual void setCommitObserver(std::function<void(double seconds)> observer) { Q_UNUSED(observer); }
    virtual bool addDeliveryAttempt(const DeliveryAttemptRecord &attempt) = 0;
    virtual std::optional<QList<DeliveryAttemptRecord>> deliveryAttempts(const QString &deliveryId) = 0;

    // The console's searches, paged (offset, limit; limit < 0: all). Devices come with their apps,
    // ordered by account and device id; notifications newest first.
    virtual std::optional<QList<DeviceRecord>> findDevices(const DeviceFilter &filter, int offset, int limit) = 0;
    virtual std::optional<int> countDevices(const DeviceFilter &filter) = 0;
    virtual std::optional<QList<NotificationRecord>> findNotifications(const NotificationFilter &filter, int offset,
                                                                       int limit) = 0;
    virtual std::optional<int> countNotifications(const NotificationFilter &filter) = 0;

    virtual std::optional<DeviceRecord> deviceById(qint64 id) = 0;
    // A provider said the push token is dead: no more pushes to it until the device re-registers.
    // Changes only `pushToken`'s state: a verdict on a token the device has since replaced
    // (re-registered while the push was out) leaves the new one alone.
    virtual bool setPushTokenState(qint64 deviceId, const QString &pushToken, PushTokenState state,
                                   const QString &reason) = 0;
};

} // namespace herald
