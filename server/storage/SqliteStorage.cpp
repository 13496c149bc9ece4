#include "storage/SqliteStorage.h"

#include "storage/SqlValues.h"

#include "storage/BackgroundWriter.h"
#include "storage/SchemaMigrator.h"
#include "storage/SqliteLibrary.h"
#include "storage/StorageLog.h"
#include "crypto/RandomToken.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlError>

namespace herald {
namespace {
using namespace sqlvalues;

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

AccountRecord accountFrom(const CachedQuery &q)
{
    return {q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toBool(),
            fromMs(q.value(4))};
}

} // namespace

SqliteStorage::SqliteStorage(const QString &path, const QString &connectionName, Durability durability)
    : m_path(path)
    , m_durability(durability)
    , m_connection(connectionName + QLatin1Char('-') + RandomToken::urlSafe(8))
    , m_sql(QStringLiteral("sqlite"))
{
}

SqliteStorage::~SqliteStorage()
{
    close();
}

bool SqliteStorage::open(QString *error)
{
    configureSqliteLibrary();
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open()) {
        *error = QStringLiteral("cannot open %1: %2").arg(m_path, db.lastError().text());
        return false;
    }
    QSqlQuery pragma(db);
    // cache_size: 32 MiB of pages (default 2 MiB), so the indexes a busy server touches stay in memory.
    // temp_store: the savepoint journals of group commit live in memory, not in a temp file.
    // synchronous: see Durability; every connection that writes must say the same.
    const QString synchronous = m_durability == Durability::Power ? QStringLiteral("PRAGMA synchronous=FULL")
                                                                  : QStringLiteral("PRAGMA synchronous=NORMAL");
    const QStringList pragmas{QStringLiteral("PRAGMA journal_mode=WAL"), synchronous,
                              QStringLiteral("PRAGMA foreign_keys=ON"), QStringLiteral("PRAGMA cache_size=-32768"),
                              QStringLiteral("PRAGMA temp_store=MEMORY")};
    for (const QString &statement : pragmas) {
        if (!pragma.exec(statement)) {
            *error = QStringLiteral("%1: %2 failed: %3").arg(m_path, statement, pragma.lastError().text());
            return false;
        }
    }
    // A file that is not SQLite only shows itself on the first real read.
    SchemaMigrator migrator(db, m_sql);
    if (!migrator.migrate(error)) {
        *error = QStringLiteral("%1: %2").arg(m_path, *error);
        return false;
    }
    if (!m_statements.setDatabase(db, error)) {
        *error = QStringLiteral("%1: %2").arg(m_path, *error);
        return false;
    }
    m_targetsWatch.attach(m_statements);
    return true;
}

void SqliteStorage::setGroupCommit(bool on)
{
    if (!on) {
        m_batch.reset(); // commits what is open (and lets go of the write lock) before the writer drains
        m_targetsAskedThisPass = false;
        // Out of m_writer before it drains: a `done` it delivers that writes again runs inline.
        if (auto writer = std::move(m_writer))
            writer->stop();
        m_checkpointer.stop();
        return;
    }
    if (m_batch)
        return;
    // The server's write mode: checkpoints move off the event loop too. Without the second
    // connection, SQLite's own automatic checkpoints simply stay.
    QString error;
    if (m_statements.handle() && !m_checkpointer.start(m_statements.handle(), m_path, &error))
        qCWarning(lcStorage).noquote() << error << "- checkpoints stay on the writing connection";
    auto writer = std::make_unique<BackgroundWriter>();
    writer->setCommitObserver(m_commitObserver);
    if (writer->start(m_path, m_durability, &m_writeLock, &m_checkpointer, &error))
        m_writer = std::move(writer);
    else
        qCWarning(lcStorage).noquote() << error << "- background writes run on the event loop";
    WriteBatch::Statements s;
    s.begin = [this] {
        m_writeLock.lock();
        if (execControl(QStringLiteral("BEGIN IMMEDIATE")))
            return true;
        m_writeLock.unlock();
        return false;
    };
    s.commit = [this] {
        if (!commit())
            return false; // rollback() follows and lets go of the lock
        m_writeLock.unlock();
        return true;
    };
    s.rollback = [this] {
        execControl(QStringLiteral("ROLLBACK"));
        m_writeLock.unlock();
    };
    m_batch = std::make_unique<WriteBatch>(std::move(s));
}

void SqliteStorage::whenDurable(std::function<void(bool ok)> done)
{
    if (!m_batch) {
        done(true);
        return;
    }
    if (!m_writer) {
        m_batch->whenDurable(std::move(done));
        return;
    }
    // First this connection's open batch, then every background write submitted by then.
    m_batch->whenDurable([this, done = std::move(done)](bool ok) mutable {
        m_writer->whenDone(m_writer->submitted(), [done = std::move(done), ok] { done(ok); });
    });
}

void SqliteStorage::writeInBackground(std::function<bool(Storage &)> work, std::function<void(bool ok)> done)
{
    if (m_writer)
        m_writer->submit(std::move(work), std::move(done));
    else
        Storage::writeInBackground(std::move(work), std::move(done));
}

bool SqliteStorage::runUnits(const std::vector<std::function<bool()>> &units, std::vector<char> *ok)
{
    ok->assign(units.size(), 0);
    // Optimistic first: no savepoint per unit (each costs a statement journal of the pages it
    // touches). Only when a unit fails is the batch run again with each unit in a savepoint.
    for (const bool isolated : {false, true}) {
        if (!execControl(QStringLiteral("BEGIN IMMEDIATE")))
            break;
        ++m_transactionDepth;
        bool allOk = true;
        for (size_t i = 0; i < units.size(); ++i) {
            (*ok)[i] = isolated ? inSavepoint(units[i]) : units[i]();
            allOk = allOk && (*ok)[i];
            if (!allOk && !isolated)
                break;
        }
        --m_transactionDepth;
        if (!allOk && !isolated) {
            m_targetsWatch.markChanged();
            execControl(QStringLiteral("ROLLBACK"));
            continue;
        }
        if (commit())
            return true;
        execControl(QStringLiteral("ROLLBACK"));
        break;
    }
    ok->assign(units.size(), 0);
    return false;
}

bool SqliteStorage::inSavepoint(const std::function<bool()> &work)
{
    if (!execControl(QStringLiteral("SAVEPOINT unit")))
        return false;
    ++m_transactionDepth;
    const bool ok = work();
    --m_transactionDepth;
    if (ok && execControl(QStringLiteral("RELEASE unit")))
        return true;
    const QString error = m_lastError;
    m_targetsWatch.markChanged(); // ROLLBACK TO reaches no SQLite hook
    execControl(QStringLiteral("ROLLBACK TO unit"));
    execControl(QStringLiteral("RELEASE unit"));
    m_lastError = error;
    return false;
}

bool SqliteStorage::commit()
{
    if (!m_commitObserver)
        return execControl(QStringLiteral("COMMIT"));
    QElapsedTimer timer;
    timer.start();
    const bool ok = execControl(QStringLiteral("COMMIT"));
    if (ok)
        m_commitObserver(double(timer.nsecsElapsed()) / 1e9);
    return ok;
}

void SqliteStorage::setCommitObserver(std::function<void(double seconds)> observer)
{
    m_commitObserver = observer;
    if (m_writer)
        m_writer->setCommitObserver(std::move(observer));
}

std::optional<qint64> SqliteStorage::openDeliveryCount()
{
    CachedQuery q(m_statements);
    if (!run(q, QStringLiteral("count_open_deliveries")) || !q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

bool SqliteStorage::execControl(const QString &sql)
{
    CachedQuery q(m_statements);
    if (!q.borrow(sql, sql, &m_lastError) || !q.exec()) {
        if (!q.errorText().isEmpty())
            m_lastError = q.errorText();
        qCWarning(lcStorage).noquote() << sql << "failed:" << m_lastError;
        return false;
    }
    return true;
}

void SqliteStorage::close()
{
    setGroupCommit(false); // commits what is open, then drains the background writer
    m_targetsWatch.detach();
    m_targets.clear();
    m_sourcesByHash.clear();
    m_statements.clear();
    if (!QSqlDatabase::contains(m_connection))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

int SqliteStorage::schemaVersion()
{
    QString error;
    return SchemaMigrator(QSqlDatabase::database(m_connection), m_sql).currentVersion(&error);
}

bool SqliteStorage::transaction(const std::function<bool()> &work)
{
    // Nested calls join the outer transaction: SQLite has no nested BEGIN.
    if (m_transactionDepth > 0) {
        return work();
    }
    if (m_batch) {
        // Inside the group-commit batch a unit is a savepoint: a failed one undoes only itself.
        return m_batch->join() && inSavepoint(work);
    }
    QSqlDatabase db = database();
    if (!db.transaction()) {
        m_lastError = db.lastError().text();
        qCWarning(lcStorage) << "cannot begin a transaction:" << m_lastError;
        return false;
    }
    ++m_transactionDepth;
    const bool ok = work();
    --m_transactionDepth;
    if (ok && db.commit())
        return true;
    if (ok) {
        m_lastError = db.lastError().text();
        qCWarning(lcStorage) << "commit failed:" << m_lastError;
    }
    db.rollback();
    return false;
}

bool SqliteStorage::run(CachedQuery &query, const QString &name, const SqlParams &values)
{
    QString error;
    if (!query.borrow(name, m_sql, &error)) {
        m_lastError = QStringLiteral("%1: %2").arg(name, error);
        qCWarning(lcStorage) << "prepare failed:" << m_lastError;
        return false;
    }
    if (m_batch && query.writes() && m_transactionDepth == 0 && !m_batch->join()) {
        m_lastError = QStringLiteral("%1: cannot begin the write batch: %2").arg(name, m_lastError);
        return false;
    }
    if (!query.bindAll(values) || !query.exec()) {
        m_lastError = QStringLiteral("%1: %2").arg(name, query.errorText());
        qCWarning(lcStorage) << "query failed:" << m_lastError;
        return false;
    }
    return true;
}

std::optional<qint64> SqliteStorage::createAccount(const QString &name, const QString &passwordHash)
{
    CachedQuery q(m_statements);
    if (!run(q, QStringLiteral("insert_account"),
             {{QStringLiteral("name"), name}, {QStringLiteral("password_hash"), passwordHash},
              {QStringLiteral("created_at"), nowMs()}}))
        return std::nullopt;
    return q.lastInsertId().toLongLong();
}

std::optional<AccountRecord> SqliteStorage::accountByName(const QString &name)
{
    CachedQuery q(m_statements);
    if (!run(q, QStringLiteral("select_account_by_name"), {{QStringLiteral("name"), name}}) || !q.next())
        return std::nullopt;
    return accountFrom(q);
}

std::optional<AccountRecord> SqliteStorage::accountById(qint64 id)
{
    CachedQuery q(m_statements);
    if (!run(q, QStringLiteral("select_account_by_id"), {{QStringLiteral("id"), id}}) || !q.next())
        return std::nullopt;
    return accountFrom(q);
}

std::optional<QList<AccountRecord>> SqliteStorage::accounts()
{
    CachedQuery q(m_statements);
    if (!run(q, QStringLiteral("select_accounts")))
        return std::nullopt;
    QList<AccountRecord> rows;
    while (q.next())
        rows.append(accountFrom(q));
    return rows;
}

std::optional<QSet<qint64>> SqliteStorage::disabledAccountIds()
{
    CachedQuery q(m_statements);
    if (!run(q, QStringLiteral("select_disabled_account_ids")))
        return std::nullopt;
    QSet<qint64> ids;
    while (q.next())
        ids.insert(q.value(0).toLongLong());
    return ids;
}

std::optional<qint64> SqliteStorage::targetChangeCount()
{
    CachedQuery q(m_statements);
    if (!run(q, QStringLiteral("select_target_change_count")) || !q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

bool SqliteStorage::setAccountPassword(qint64 id, const QString &passwordHash)
{
    CachedQuery q(m_statements);
    return run(q, QStringLiteral("update_account_password"),
               {{QStringLiteral("id"), id}, {QStringLiteral("password_hash"), passwordHash}}) &&
           q.numRowsAffected() == 1;
}

bool SqliteStorage::setAccountDisabled(qint64 id, bool disabled)
{
    CachedQuery q(m_statements);
    return run(q, QStringLiteral("update_account_disabled"),
               {{QStringLiteral("id"), id}, {QStringLiteral("disabled"), disabled ? 1 : 0}}) &&
           q.numRowsAffected() == 1;
}

std::optional<qint64> SqliteStorage::createOperator(const QString &name, const QString &passwordHash,
                                                    const QString &role)
{
    CachedQuery q(m_statements);
    if (!run(q, QStringLiteral("insert_operator"),
             {{QStringLiteral("name"), name}, {QStringLiteral("password_hash"), passwordHash},
              {QStringLiteral("role"), role}, {QStringLiteral("created_at"), nowMs()}}))
        return std::nullopt;
    return q.lastInsertId().toLongLong();
}

std::optional<OperatorRecord> SqliteStorage::operatorByName(const QString &name)
{
    CachedQuery q(m_statements);
    if (!run(q, QStringLiteral("select_operator_by_name"), {{QStringLiteral("name"), name}}) || !q.next())
        return std::nullopt;
    return OperatorRecord{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                          q.value(3).toString(), q.value(4).toBool(), fromMs(q.value(5))};
}

std::optional<int> SqliteStorage::operatorCount()
{
    CachedQuery q(m_statements);
    if (!run(q, QStringLiteral("count_operators")) || !q.next())
        return std::nullopt;
    return q.value(0).toInt();
}

std::optional<QList<OperatorRecord>> SqliteStorage::operators()
{
    CachedQuery q(m_statements);
    if (!run(q, QStringLiteral("select_operators")))
        return std::nullopt;
    QList<OperatorRecord> rows;
    while (q.next())
        rows.append(OperatorRecord{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                                   q.value(3).toString(), q.value(4).toBool(), fromMs(q.value(5))});
    return rows;
}

std::optional<QHash<qint64, int>> SqliteStorage::deviceCountsByAccount()
{
    CachedQuery q(m_statements);
    if (!run(q, QStringLiteral("select_device_counts")))
        return std::nullopt;
    QHash<qint64, int> counts;
    while (q.next())
        counts.insert(q.value(0).toLongLong(), q.value(1).toInt());
    return counts;
}

bool SqliteStorage::appendAudit(const AuditRecord &entry)
{
    CachedQuery q(m_statements);
    return run(q, QStringLiteral("insert_audit"),
               {{QStringLiteral("at"), entry.at.isValid() ? toMs(entry.at) : nowMs()},
                {QStringLiteral("operator"), text(entry.operatorName)},
                {QStringLiteral("action"), text(entry.action)},
                {QStringLiteral("target"), text(entry.target)},
                {QStringLiteral("peer"), text(entry.peer)},
                {QStringLiteral("outcome"), text(entry.outcome)}});
}

std::optional<QList<AuditRecord>> SqliteStorage::auditEntries(int limit)
{
    CachedQuery q(m_statements);
    if (!run(q, QStringLiteral("select_audit"), {{QStringLiteral("limit"), limit}}))
        return std::nullopt;
    QList<AuditRecord> rows;
    while (q.next())
        rows.append(AuditRecord{q.value(0).toLongLong(), fromMs(q.value(1)), q.value(2).toString(),
                                q.value(3).toString(), q.value(4).toString(), q.value(5).toString(),
                                q.value(6).toString()});
    return rows;
}

bool SqliteStorage::upsertDevice(DeviceRecord &device)
{
    return transaction([&] {
        const auto existing = deviceByDeviceId(device.deviceId);
        const SqlParams values{
            {QStringLiteral("account_id"), device.accountId}, {QStringLiteral("device_id"), device.deviceId},
            {QStringLiteral("platform"), text(device.platform)},    {QStringLiteral("push_token"), text(device.pushToken)},
            {QStringLiteral("name"), text(device.name)},            {QStringLiteral("token_hash"), device.tokenHash},
            {QStringLiteral("now"), nowMs()},                 {QStringLiteral("push_topic"), text(device.pushTopic)},
            {QStringLiteral("locale"), text(device.locale)},        {QStringLiteral("id"), existing ? existing->id : 0},
            {QStringLiteral("push_key_p256dh"), device.hasPushKey() ? device.pushKeyP256dh : QByteArray()},
            {QStringLiteral("push_key_auth"), device.hasPushKey() ? device.pushKeyAuth : QByteArray()}};
        CachedQuery q(m_statements);
        if (existing) {
            if (!run(q, QStringLiteral("update_device"), values))
                return false;
            device.id = existing->id;
        } else {
            SqlParams insertValues = values;
            insertValues.remove(QStringLiteral("id"));
            if (!run(q, QStringLiteral("insert_device"), insertValues))
                return false;
            device.id = q.lastInsertId().toLongLong();
        }
        CachedQuery apps(m_statements);
        if (!run(apps, QStringLiteral("delete_device_apps"), {{QStringLiteral("device_id"), device.id}}))
            return false;
        for (const QString &app : std::as_const(device.apps)) {
            if (!run(apps, QStringLiteral("insert_device_app"),
                     {{QStringLiteral("device_id"), device.id}, {QStringLiteral("app"), app}}))
                return false;
        }
        return true;
    });
}

std::optional<QList<DeviceRecord>> SqliteStorage::deviceRows(const QString &queryName, const SqlParams &values)
{
    CachedQuery q(m_statements);
    if (!run(q, queryName, values))
        return std::nullopt;
    QList<DeviceRecord> rows;
    QString error;
    while (q.next()) {
        DeviceRecord d;
        if (!deviceFrom(q, 0, &d, &error)) {
            rowError(error);
            return std::nullopt;
        }
        rows.append(d);
    }
    for (DeviceRecord &d : rows) {
        if (!loadDeviceApps(d))
            return std::nullopt;
    }
    return rows;
}

bool SqliteStorage::deviceFrom(const CachedQuery &q, int first, DeviceRecord *out, QString *error)
{
    DeviceRecord &d = *out;
    d.id = q.value(first).toLongLong();
    d.accountId = q.value(first + 1).toLongLong();
    d.deviceId = q.value(first + 2).toString();
    d.platform = q.value(first + 3).toString();
    d.pushToken = q.value(first + 4).toString();
    d.name = q.value(first + 5).toString();
    d.tokenHash = q.value(first + 6).toByteArray();
    d.createdAt = fromMs(q.value(first + 7));
    d.lastSeen = fromMs(q.value(first + 8));
    d.pushTopic = q.value(first + 9).toString();
    d.locale = q.value(first + 10).toString();
    d.pushTokenRetiredReason = q.value(first + 12).toString();
    d.updatedAt = fromMs(q.value(first + 13));
    d.pushTokenRetiredAt = fromMs(q.value(first + 14));
    d.pushKeyP256dh = q.value(first + 15).toByteArray();
    d.pushKeyAuth = q.value(first + 16).toByteArray();
    if (!fromText(q.value(first + 11), parsePushTokenState, "devices.push_token_state", &d.pushTokenState, error)) {
        *error = QStringLiteral("device %1: %2").arg(d.id).arg(*error);
        return false;
    }
    return true;
}

void SqliteStorage::rowError(const QString &error)
{
    m_lastError = error;
    qCWarning(lcStorage).noquote() << "unreadable row:" << error;
}

void SqliteStorage::dropStaleReads()
{
    // The server (group commit) asks other connections once per event-loop pass: the counter is
    // a read transaction of its own, and every event would pay for it. What another process or
    // the background writer changed is seen from the next pass; this connection's writes at once.
    const bool askOthers = !m_batch || !m_targetsAskedThisPass;
    if (m_batch && askOthers) {
        m_targetsAskedThisPass = true;
        QMetaObject::invokeMethod(m_batch.get(), [this] { m_targetsAskedThisPass = false; }, Qt::QueuedConnection);
    }
    // One watch serves both caches, so a change it reports drops both.
    if (m_targetsWatch.takeChanged(askOthers)) {
        m_targets.clear();
        m_sourcesByHash.clear();
    }
}

std::optional<EventTargets> SqliteStorage::eventTargets(const QString &accountName, const QString &app)
{
    constexpr int kMaxCached = 8192; // (account, app) pairs; all of them are read again after a clear
    dropStaleReads();
    if (m_targets.size() >= kMaxCached)
        m_targets.clear();
    const std::pair<QString, QString> key{accountName, app};
    const auto cached = m_targets.constFind(key);
    if (cached != m_targets.cend())
        return *cached;
    CachedQuery q(m_statements);
    if (!run(q, QStringLiteral("select_event_targets"),
             {{QStringLiteral("name"), accountName}, {QStringLiteral("app"), app}}))
        return std::nullopt;
    std::optional<EventTargets> out;
    while (q.next()) {
        if (!out) {
            out.emplace();
            out->account.id = q.value(0).toLongLong();
            out->account.name = accountName;
            out->account.disabled = q.value(1).toBool();
            out->loggedIn = q.value(2).toBool();
        }
        if (q.value(3).isNull())
            continue; // the LEFT JOIN's row for an account without such devices
        DeviceRecord d;
        QString error;
        if (!deviceFrom(q, 3, &d, &error)) {
            rowError(error); // not cached: the next event asks again
            return std::nullopt;
        }
        d.apps = {app};
        out->devices.append(d);
    }
    if (!q.errorText().isEmpty()) {
        m_lastError = q.errorText(); // a failed step is not "no such account": keep nothing
        return std::nullopt;
    }
    m_targets.insert(key, out);
    return out;
}

bool SqliteStorage::loadDeviceApps(DeviceRecord &device)
{
    CachedQuery q(m_statements);
    if (!run(q, QStringLiteral("select_device_apps"), {{QStringLiteral("device_id"), device.id}}))
        return false;
    device.apps.clear();
    while (q.next())
        device.apps.append(q.value(0).toString());
    return true;
}

std::optional<DeviceRecord> SqliteStorage::deviceByDeviceId(const QString &deviceId)
{
    const auto rows = deviceRows(QStringLiteral("select_device_by_device_id"), {{QStringLiteral("device_id"), deviceId}});
    if (!rows || rows->isEmpty())
        return std::nullopt;
    return rows->constFirst();
}

std::optional<DeviceRecord> SqliteStorage::deviceByTokenHash(const QByteArray &tokenHash)
{
    const auto rows =
        deviceRows(QStringLiteral("select_device_by_token_hash"), {{QStringLiteral("token_hash"), tokenHash}});
    if (!rows || rows->isEmpty())
        return std::nullopt;
    return rows->constFirst();
}

std::optional<QList<DeviceRecord>> SqliteStorage::devicesOfAccount(qint64 accountId)
{
    return deviceRows(QStringLiteral("select_devices_by_account"), {{QStringLiteral("account_id"), accountId}});
}

bool SqliteStorage::deleteDevice(qint64 id)
{
    CachedQuery q(m_statements);
    return run(q, QStringLiteral("delete_device"), {{QStringLiteral("id"), id}}) && q.numRowsAffected() == 1;
}

bool SqliteStorage::touchDevice(qint64 id, const QDateTime &lastSeen)
{
    CachedQuery q(m_statements);
    return run(q, QStringLiteral("update_device_last_seen"),
               {{QStringLiteral("id"), id}, {QStringLiteral("last_seen"), toMs(lastSeen)}});
}

bool SqliteStorage::upsertLogin(qint64 accountId, const QString &app, const QByteArray &credentials)
{
    CachedQuery q(m_statements);
    return run(q, QStringLiteral("upsert_login"),
               {{QStringLiteral("account_id"), accountId}, {QStringLiteral("app"), app},
                {QStringLiteral("credentials"), credentials.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>())
                                                                      : QVariant(credentials)},
                {QStringLiteral("now"), nowMs()}});
}

bool SqliteStorage::deleteLogin(qint64 accountId, const QString &app)
{
    CachedQuery q(m_statements);
    return run(q, QStringLiteral("delete_login"), {{QStringLiteral("account_id"), accountId}, {QStringLiteral("app"), app}});
}

bool SqliteStorage::deleteLoginsOfAccount(qint64 accountId)
{
    CachedQuery q(m_statements);
    return run(q, QStringLiteral("delete_logins_of_account"), {{QStringLiteral("account_id"), accountId}});
}

std::optional<QList<LoginRecord>> SqliteStorage::loginRows(const QString &queryName, const SqlParams &values)
{
    CachedQuery q(m_statements);
    if (!run(q, queryName, values))
        return std::nullopt;
    QList<LoginRecord> rows;
    while (q.next()) {
        rows.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toByteArray(), fromMs(q.value(3)),
                     q.value(4).toByteArray(), q.value(5).toString(), q.value(6).toString()});
    }
    return rows;
}

std::optional<QList<LoginRecord>> SqliteStorage::logins()
{
    return loginRows(QStringLiteral("select_logins"), {});
}

std::optional<QList<LoginRecord>> SqliteStorage::loginsOfAccount(qint64 accountId)
{
    return loginRows(QStringLiteral("select_logins_of_account"), {{QStringLiteral("account_id"), accountId}});
}

bool SqliteStorage::setLoginCheckpoint(qint64 accountId, const QString &app, const QByteArray &checkpoint)
{
    CachedQuery q(m_statements);
    return run(q, QStringLiteral("update_login_checkpoint"),
               {{QStringLiteral("account_id"), accountId}, {QStringLiteral("app"), app},
                {QStringLiteral("checkpoint"), checkpoint}});
}

bool SqliteStorage::setLoginMonitorState(qint64 accountId, const QString &app, const QString &state,
                                         const QString &error)
{
    CachedQuery q(m_statements);
    return run(q, QStringLiteral("update_login_monitor_state"),
               {{QStringLiteral("account_id"), accountId}, {QStringLiteral("app"), app},
                {QStringLiteral("monitor_state"), text(state)}, {QStringLiteral("monitor_error"), text(error)}});
}

} // namespace herald
