#include "storage/SqlStorage.h"

#include "storage/BackgroundReaders.h"
#include "storage/BackgroundWriter.h"
#include "storage/SchemaMigrator.h"
#include "storage/SqlValues.h"
#include "storage/StorageLog.h"

#include <QElapsedTimer>
#include <QUuid>

namespace herald {
namespace {
using namespace sqlvalues;

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

AccountRecord accountFrom(const SqlQuery &q)
{
    return {q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toBool(),
            fromMs(q.value(4))};
}

} // namespace

SqlStorage::QueryLease::QueryLease(SqlStorage &storage)
    : m_storage(storage)
{
    if (!storage.m_idleQueries.empty()) {
        m_query = std::move(storage.m_idleQueries.back());
        storage.m_idleQueries.pop_back();
    } else {
        m_query = storage.createQuery();
    }
}

SqlStorage::QueryLease::~QueryLease()
{
    m_query->release();
    constexpr size_t kMaxIdle = 8; // nesting is shallow: an operation holds two or three at most
    if (m_storage.m_idleQueries.size() < kMaxIdle)
        m_storage.m_idleQueries.push_back(std::move(m_query));
}

SqlStorage::SqlStorage(const QString &engine, const QString &sqlRoot)
    : m_sql(engine, sqlRoot)
    , m_claimer(QUuid::createUuid().toString(QUuid::WithoutBraces))
{
}

SqlStorage::~SqlStorage() = default;

void SqlStorage::dropQueries()
{
    m_idleQueries.clear();
    dropCachedReads();
}

bool SqlStorage::migrateSchema(QString *error)
{
    return SchemaMigrator(*this).migrate(error);
}

int SqlStorage::schemaVersion()
{
    QString error;
    return SchemaMigrator(*this).currentVersion(&error);
}

void SqlStorage::setCommitObserver(std::function<void(double seconds)> observer)
{
    m_commitObserver = observer;
    if (m_writer)
        m_writer->setCommitObserver(std::move(observer));
}

void SqlStorage::writeInBackground(std::function<bool(Storage &)> work, std::function<void(bool ok)> done)
{
    if (m_writer)
        m_writer->submit(std::move(work), std::move(done));
    else
        Storage::writeInBackground(std::move(work), std::move(done));
}

void SqlStorage::startWriter(WorkerOpener open, std::mutex *writeLock)
{
    if (m_writer)
        return;
    auto writer = std::make_unique<BackgroundWriter>();
    writer->setCommitObserver(m_commitObserver);
    QString error;
    if (writer->start(sharingClaimer(std::move(open)), writeLock, &error))
        m_writer = std::move(writer);
    else
        qCWarning(lcStorage).noquote() << error << "- background writes run on the event loop";
}

void SqlStorage::stopWriter()
{
    // Out of m_writer before it drains: a `done` it delivers that writes again runs inline.
    if (auto writer = std::move(m_writer))
        writer->stop();
}

void SqlStorage::writeAloneInBackground(std::function<bool(Storage &)> work, std::function<void(bool ok)> done)
{
    if (m_writer)
        m_writer->submitAlone(std::move(work), std::move(done));
    else
        Storage::writeAloneInBackground(std::move(work), std::move(done));
}

void SqlStorage::readInBackground(std::function<void(Storage &)> work, std::function<void()> done)
{
    if (m_readers)
        m_readers->submit(std::move(work), std::move(done));
    else
        Storage::readInBackground(std::move(work), std::move(done));
}

void SqlStorage::startReaders(WorkerOpener open, int count)
{
    if (m_readers)
        return;
    auto readers = std::make_unique<BackgroundReaders>();
    QString error;
    if (readers->start(sharingClaimer(std::move(open)), count, &error))
        m_readers = std::move(readers);
    else
        qCWarning(lcStorage).noquote() << error << "- reads run on the event loop";
}

SqlStorage::WorkerOpener SqlStorage::sharingClaimer(WorkerOpener open) const
{
    // The outbox rows the background writer inserts belong to this run, not to a run of their own.
    return [open = std::move(open), claimer = m_claimer](QString *error) -> std::unique_ptr<SqlStorage> {
        auto storage = open(error);
        if (storage)
            storage->m_claimer = claimer;
        return storage;
    };
}

void SqlStorage::stopReaders()
{
    // Out of m_readers before they drain: a `done` that reads again runs inline.
    if (auto readers = std::move(m_readers))
        readers->stop();
}

bool SqlStorage::inSavepoint(const std::function<bool()> &work)
{
    if (!execControl(QStringLiteral("SAVEPOINT unit")))
        return false;
    ++m_transactionDepth;
    const bool ok = work();
    --m_transactionDepth;
    if (ok && execControl(QStringLiteral("RELEASE unit")))
        return true;
    const QString error = m_lastError;
    noteRollback();
    execControl(QStringLiteral("ROLLBACK TO unit"));
    execControl(QStringLiteral("RELEASE unit"));
    m_lastError = error;
    return false;
}

bool SqlStorage::runUnits(const std::vector<std::function<bool()>> &units, std::vector<char> *ok)
{
    ok->assign(units.size(), 0);
    // Optimistic first: no savepoint per unit (each costs a statement journal of the pages it
    // touches). Only when a unit fails is the batch run again with each unit in a savepoint.
    for (const bool isolated : {false, true}) {
        if (!execControl(beginWriteStatement()))
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
            noteRollback();
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

bool SqlStorage::commit()
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

std::optional<qint64> SqlStorage::openDeliveryCount()
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("count_open_deliveries")) || !q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

bool SqlStorage::execControl(const QString &sql)
{
    QueryLease lease(*this);
    SqlQuery &q = lease;
    if (!q.borrow(sql, sql, &m_lastError) || !q.exec()) {
        if (!q.errorText().isEmpty())
            m_lastError = q.errorText();
        qCWarning(lcStorage).noquote() << sql << "failed:" << m_lastError;
        return false;
    }
    return true;
}

bool SqlStorage::transaction(const std::function<bool()> &work)
{
    // Nested calls join the outer transaction (neither engine nests BEGIN).
    if (m_transactionDepth > 0)
        return work();
    if (groupCommitting()) {
        // Inside the group-commit batch a unit is a savepoint: a failed one undoes only itself.
        return joinWriteBatch() && inSavepoint(work);
    }
    return inTransaction(beginStatement(), work);
}

bool SqlStorage::inTransaction(const QString &begin, const std::function<bool()> &work)
{
    if (!execControl(begin))
        return false;
    ++m_transactionDepth;
    const bool ok = work();
    --m_transactionDepth;
    if (ok && commit())
        return true;
    const QString error = m_lastError;
    noteRollback();
    execControl(QStringLiteral("ROLLBACK"));
    m_lastError = error;
    return false;
}

bool SqlStorage::run(SqlQuery &query, const QString &name, const SqlParams &values)
{
    QString error;
    if (!query.borrow(name, m_sql, &error)) {
        m_lastError = QStringLiteral("%1: %2").arg(name, error);
        qCWarning(lcStorage) << "prepare failed:" << m_lastError;
        return false;
    }
    if (query.writes() && m_transactionDepth == 0 && !joinWriteBatch()) {
        m_lastError = QStringLiteral("%1: cannot begin the write batch: %2").arg(name, m_lastError);
        return false;
    }
    if (!query.bindAll(values) || !query.exec()) {
        m_lastError = QStringLiteral("%1: %2").arg(name, query.errorText());
        if (query.conflicted()) // the caller runs it again (a claim); not worth a warning each time
            qCDebug(lcStorage) << "query met a concurrent transaction:" << m_lastError;
        else
            qCWarning(lcStorage) << "query failed:" << m_lastError;
        return false;
    }
    return true;
}

std::optional<qint64> SqlStorage::createAccount(const QString &name, const QString &passwordHash)
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("insert_account"),
             {{QStringLiteral("name"), name}, {QStringLiteral("password_hash"), passwordHash},
              {QStringLiteral("created_at"), nowMs()}}))
        return std::nullopt;
    return q.lastInsertId().toLongLong();
}

std::optional<AccountRecord> SqlStorage::accountByName(const QString &name)
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_account_by_name"), {{QStringLiteral("name"), name}}) || !q.next())
        return std::nullopt;
    return accountFrom(q);
}

std::optional<AccountRecord> SqlStorage::accountById(qint64 id)
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_account_by_id"), {{QStringLiteral("id"), id}}) || !q.next())
        return std::nullopt;
    return accountFrom(q);
}

std::optional<QList<AccountRecord>> SqlStorage::accounts()
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_accounts")))
        return std::nullopt;
    QList<AccountRecord> rows;
    while (q.next())
        rows.append(accountFrom(q));
    return rows;
}

std::optional<QSet<qint64>> SqlStorage::disabledAccountIds()
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_disabled_account_ids")))
        return std::nullopt;
    QSet<qint64> ids;
    while (q.next())
        ids.insert(q.value(0).toLongLong());
    return ids;
}

std::optional<qint64> SqlStorage::targetChangeCount()
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_target_change_count")) || !q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

bool SqlStorage::setAccountPassword(qint64 id, const QString &passwordHash)
{
    QueryLease q(*this);
    return run(q, QStringLiteral("update_account_password"),
               {{QStringLiteral("id"), id}, {QStringLiteral("password_hash"), passwordHash}}) &&
           q.numRowsAffected() == 1;
}

bool SqlStorage::setAccountDisabled(qint64 id, bool disabled)
{
    QueryLease q(*this);
    return run(q, QStringLiteral("update_account_disabled"),
               {{QStringLiteral("id"), id}, {QStringLiteral("disabled"), disabled ? 1 : 0}}) &&
           q.numRowsAffected() == 1;
}

std::optional<qint64> SqlStorage::createOperator(const QString &name, const QString &passwordHash,
                                                    const QString &role)
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("insert_operator"),
             {{QStringLiteral("name"), name}, {QStringLiteral("password_hash"), passwordHash},
              {QStringLiteral("role"), role}, {QStringLiteral("created_at"), nowMs()}}))
        return std::nullopt;
    return q.lastInsertId().toLongLong();
}

std::optional<OperatorRecord> SqlStorage::operatorByName(const QString &name)
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_operator_by_name"), {{QStringLiteral("name"), name}}) || !q.next())
        return std::nullopt;
    return OperatorRecord{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                          q.value(3).toString(), q.value(4).toBool(), fromMs(q.value(5))};
}

std::optional<int> SqlStorage::operatorCount()
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("count_operators")) || !q.next())
        return std::nullopt;
    return q.value(0).toInt();
}

std::optional<QList<OperatorRecord>> SqlStorage::operators()
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_operators")))
        return std::nullopt;
    QList<OperatorRecord> rows;
    while (q.next())
        rows.append(OperatorRecord{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                                   q.value(3).toString(), q.value(4).toBool(), fromMs(q.value(5))});
    return rows;
}

std::optional<QHash<qint64, int>> SqlStorage::deviceCountsByAccount()
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_device_counts")))
        return std::nullopt;
    QHash<qint64, int> counts;
    while (q.next())
        counts.insert(q.value(0).toLongLong(), q.value(1).toInt());
    return counts;
}

bool SqlStorage::appendAudit(const AuditRecord &entry)
{
    QueryLease q(*this);
    return run(q, QStringLiteral("insert_audit"),
               {{QStringLiteral("at"), entry.at.isValid() ? toMs(entry.at) : nowMs()},
                {QStringLiteral("operator"), text(entry.operatorName)},
                {QStringLiteral("action"), text(entry.action)},
                {QStringLiteral("target"), text(entry.target)},
                {QStringLiteral("peer"), text(entry.peer)},
                {QStringLiteral("outcome"), text(entry.outcome)}});
}

std::optional<QList<AuditRecord>> SqlStorage::auditEntries(int limit)
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_audit"), {{QStringLiteral("limit"), limit}}))
        return std::nullopt;
    QList<AuditRecord> rows;
    while (q.next())
        rows.append(AuditRecord{q.value(0).toLongLong(), fromMs(q.value(1)), q.value(2).toString(),
                                q.value(3).toString(), q.value(4).toString(), q.value(5).toString(),
                                q.value(6).toString()});
    return rows;
}

bool SqlStorage::upsertDevice(DeviceRecord &device)
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
        QueryLease q(*this);
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
        QueryLease apps(*this);
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

std::optional<QList<DeviceRecord>> SqlStorage::deviceRows(const QString &queryName, const SqlParams &values)
{
    QueryLease q(*this);
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

bool SqlStorage::deviceFrom(const SqlQuery &q, int first, DeviceRecord *out, QString *error)
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

void SqlStorage::rowError(const QString &error)
{
    m_lastError = error;
    qCWarning(lcStorage).noquote() << "unreadable row:" << error;
}

void SqlStorage::dropStaleReads()
{
    const bool targets = targetsMayHaveChanged();
    if (targets)
        dropCachedTargets();
    if (sourcesMayHaveChanged(targets))
        m_sourcesByHash.clear();
}

void SqlStorage::dropCachedReads()
{
    dropCachedTargets();
    m_sourcesByHash.clear();
}

void SqlStorage::dropCachedTargets()
{
    m_targets.clear();
}

std::optional<EventTargets> SqlStorage::eventTargets(const QString &accountName, const QString &app)
{
    constexpr int kMaxCached = 8192; // (account, app) pairs; all of them are read again after a clear
    dropStaleReads();
    if (m_targets.size() >= kMaxCached)
        dropCachedTargets();
    const std::pair<QString, QString> key{accountName, app};
    const auto cached = m_targets.constFind(key);
    if (cached != m_targets.cend())
        return *cached;
    QueryLease q(*this);
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

bool SqlStorage::loadDeviceApps(DeviceRecord &device)
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_device_apps"), {{QStringLiteral("device_id"), device.id}}))
        return false;
    device.apps.clear();
    while (q.next())
        device.apps.append(q.value(0).toString());
    return true;
}

std::optional<DeviceRecord> SqlStorage::deviceByDeviceId(const QString &deviceId)
{
    const auto rows = deviceRows(QStringLiteral("select_device_by_device_id"), {{QStringLiteral("device_id"), deviceId}});
    if (!rows || rows->isEmpty())
        return std::nullopt;
    return rows->constFirst();
}

std::optional<DeviceRecord> SqlStorage::deviceByTokenHash(const QByteArray &tokenHash)
{
    const auto rows =
        deviceRows(QStringLiteral("select_device_by_token_hash"), {{QStringLiteral("token_hash"), tokenHash}});
    if (!rows || rows->isEmpty())
        return std::nullopt;
    return rows->constFirst();
}

std::optional<QList<DeviceRecord>> SqlStorage::devicesOfAccount(qint64 accountId)
{
    return deviceRows(QStringLiteral("select_devices_by_account"), {{QStringLiteral("account_id"), accountId}});
}

bool SqlStorage::deleteDevice(qint64 id)
{
    QueryLease q(*this);
    return run(q, QStringLiteral("delete_device"), {{QStringLiteral("id"), id}}) && q.numRowsAffected() == 1;
}

bool SqlStorage::touchDevices(const QList<LastSeen> &seen)
{
    // Latest time per device: in one UPDATE … FROM a device must match one row only (PostgreSQL
    // would pick one of several arbitrarily).
    QHash<qint64, qint64> latest;
    latest.reserve(seen.size());
    QList<qint64> order; // as given, so statements are the same from run to run
    order.reserve(seen.size());
    for (const auto &[id, at] : seen) {
        auto it = latest.find(id);
        if (it == latest.end()) {
            latest.insert(id, toMs(at));
            order.append(id);
        } else {
            *it = std::max(*it, toMs(at));
        }
    }
    // Each chunk is one statement whose only parameter is a JSON array of [id, ms] pairs, both
    // engines unpacking it themselves (json_each, jsonb_array_elements). It is written from two
    // integers per device and nothing else, so no input can reach it as SQL or even as a string:
    // hostile ids cannot exist by construction, and the text is bound as a value, not spliced.
    for (qsizetype from = 0; from < order.size(); from += kMaxTouchedPerStatement) {
        const qsizetype to = std::min(order.size(), from + kMaxTouchedPerStatement);
        QByteArray pairs;
        pairs.reserve((to - from) * 24 + 2);
        pairs.append('[');
        for (qsizetype i = from; i < to; ++i) {
            if (i > from)
                pairs.append(',');
            pairs.append('[').append(QByteArray::number(order.at(i))).append(',');
            pairs.append(QByteArray::number(latest.value(order.at(i)))).append(']');
        }
        pairs.append(']');
        QueryLease q(*this);
        if (!run(q, QStringLiteral("update_devices_last_seen"),
                 {{QStringLiteral("seen"), QString::fromLatin1(pairs)}}))
            return false;
    }
    return true;
}

} // namespace herald
