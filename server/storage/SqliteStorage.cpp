#include "storage/SqliteStorage.h"
#include "storage/SqlValues.h"

#include "storage/SchemaMigrator.h"
#include "storage/StorageLog.h"
#include "util/RandomToken.h"

#include <QFileInfo>
#include <QSqlError>

namespace herald {
namespace {
using namespace sqlvalues;

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

AccountRecord accountFrom(const QSqlQuery &q)
{
    return {q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toBool(),
            fromMs(q.value(4))};
}

} // namespace

SqliteStorage::SqliteStorage(const QString &path)
    : m_path(path)
    , m_connection(QStringLiteral("herald-sqlite-") + RandomToken::urlSafe(8))
    , m_sql(QStringLiteral("sqlite"))
{
}

SqliteStorage::~SqliteStorage()
{
    close();
}

bool SqliteStorage::open(QString *error)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open()) {
        *error = QStringLiteral("cannot open %1: %2").arg(m_path, db.lastError().text());
        return false;
    }
    QSqlQuery pragma(db);
    const QStringList pragmas{QStringLiteral("PRAGMA journal_mode=WAL"), QStringLiteral("PRAGMA synchronous=NORMAL"),
                              QStringLiteral("PRAGMA foreign_keys=ON")};
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
    return true;
}

void SqliteStorage::close()
{
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
    return SchemaMigrator(database(), m_sql).currentVersion(&error);
}

bool SqliteStorage::transaction(const std::function<bool()> &work)
{
    // Nested calls join the outer transaction: SQLite has no nested BEGIN.
    if (m_transactionDepth > 0) {
        return work();
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

bool SqliteStorage::run(QSqlQuery &query, const QString &name, const QVariantMap &values)
{
    if (!query.prepare(m_sql.query(name))) {
        m_lastError = QStringLiteral("%1: %2").arg(name, query.lastError().text());
        qCWarning(lcStorage) << "prepare failed:" << m_lastError;
        return false;
    }
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        query.bindValue(QLatin1Char(':') + it.key(), it.value());
    if (!query.exec()) {
        m_lastError = QStringLiteral("%1: %2").arg(name, query.lastError().text());
        qCWarning(lcStorage) << "query failed:" << m_lastError;
        return false;
    }
    return true;
}

std::optional<qint64> SqliteStorage::createAccount(const QString &name, const QString &passwordHash)
{
    QSqlQuery q(database());
    if (!run(q, QStringLiteral("insert_account"),
             {{QStringLiteral("name"), name}, {QStringLiteral("password_hash"), passwordHash},
              {QStringLiteral("created_at"), nowMs()}}))
        return std::nullopt;
    return q.lastInsertId().toLongLong();
}

std::optional<AccountRecord> SqliteStorage::accountByName(const QString &name)
{
    QSqlQuery q(database());
    if (!run(q, QStringLiteral("select_account_by_name"), {{QStringLiteral("name"), name}}) || !q.next())
        return std::nullopt;
    return accountFrom(q);
}

std::optional<AccountRecord> SqliteStorage::accountById(qint64 id)
{
    QSqlQuery q(database());
    if (!run(q, QStringLiteral("select_account_by_id"), {{QStringLiteral("id"), id}}) || !q.next())
        return std::nullopt;
    return accountFrom(q);
}

std::optional<QList<AccountRecord>> SqliteStorage::accounts()
{
    QSqlQuery q(database());
    if (!run(q, QStringLiteral("select_accounts")))
        return std::nullopt;
    QList<AccountRecord> rows;
    while (q.next())
        rows.append(accountFrom(q));
    return rows;
}

bool SqliteStorage::setAccountPassword(qint64 id, const QString &passwordHash)
{
    QSqlQuery q(database());
    return run(q, QStringLiteral("update_account_password"),
               {{QStringLiteral("id"), id}, {QStringLiteral("password_hash"), passwordHash}}) &&
           q.numRowsAffected() == 1;
}

bool SqliteStorage::setAccountDisabled(qint64 id, bool disabled)
{
    QSqlQuery q(database());
    return run(q, QStringLiteral("update_account_disabled"),
               {{QStringLiteral("id"), id}, {QStringLiteral("disabled"), disabled ? 1 : 0}}) &&
           q.numRowsAffected() == 1;
}

std::optional<qint64> SqliteStorage::createOperator(const QString &name, const QString &passwordHash,
                                                    const QString &role)
{
    QSqlQuery q(database());
    if (!run(q, QStringLiteral("insert_operator"),
             {{QStringLiteral("name"), name}, {QStringLiteral("password_hash"), passwordHash},
              {QStringLiteral("role"), role}, {QStringLiteral("created_at"), nowMs()}}))
        return std::nullopt;
    return q.lastInsertId().toLongLong();
}

std::optional<OperatorRecord> SqliteStorage::operatorByName(const QString &name)
{
    QSqlQuery q(database());
    if (!run(q, QStringLiteral("select_operator_by_name"), {{QStringLiteral("name"), name}}) || !q.next())
        return std::nullopt;
    return OperatorRecord{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                          q.value(3).toString(), q.value(4).toBool(), fromMs(q.value(5))};
}

std::optional<int> SqliteStorage::operatorCount()
{
    QSqlQuery q(database());
    if (!run(q, QStringLiteral("count_operators")) || !q.next())
        return std::nullopt;
    return q.value(0).toInt();
}

std::optional<QList<OperatorRecord>> SqliteStorage::operators()
{
    QSqlQuery q(database());
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
    QSqlQuery q(database());
    if (!run(q, QStringLiteral("select_device_counts")))
        return std::nullopt;
    QHash<qint64, int> counts;
    while (q.next())
        counts.insert(q.value(0).toLongLong(), q.value(1).toInt());
    return counts;
}

bool SqliteStorage::appendAudit(const AuditRecord &entry)
{
    QSqlQuery q(database());
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
    QSqlQuery q(database());
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
        const QVariantMap values{
            {QStringLiteral("account_id"), device.accountId}, {QStringLiteral("device_id"), device.deviceId},
            {QStringLiteral("platform"), text(device.platform)},    {QStringLiteral("push_token"), text(device.pushToken)},
            {QStringLiteral("name"), text(device.name)},            {QStringLiteral("token_hash"), device.tokenHash},
            {QStringLiteral("now"), nowMs()},                 {QStringLiteral("push_topic"), text(device.pushTopic)},
            {QStringLiteral("locale"), text(device.locale)},        {QStringLiteral("id"), existing ? existing->id : 0}};
        QSqlQuery q(database());
        if (existing) {
            if (!run(q, QStringLiteral("update_device"), values))
                return false;
            device.id = existing->id;
        } else {
            QVariantMap insertValues = values;
            insertValues.remove(QStringLiteral("id"));
            if (!run(q, QStringLiteral("insert_device"), insertValues))
                return false;
            device.id = q.lastInsertId().toLongLong();
        }
        QSqlQuery apps(database());
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

std::optional<QList<DeviceRecord>> SqliteStorage::deviceRows(const QString &queryName, const QVariantMap &values)
{
    QSqlQuery q(database());
    if (!run(q, queryName, values))
        return std::nullopt;
    QList<DeviceRecord> rows;
    while (q.next()) {
        DeviceRecord d;
        d.id = q.value(0).toLongLong();
        d.accountId = q.value(1).toLongLong();
        d.deviceId = q.value(2).toString();
        d.platform = q.value(3).toString();
        d.pushToken = q.value(4).toString();
        d.name = q.value(5).toString();
        d.tokenHash = q.value(6).toByteArray();
        d.createdAt = fromMs(q.value(7));
        d.lastSeen = fromMs(q.value(8));
        d.pushTopic = q.value(9).toString();
        d.locale = q.value(10).toString();
        d.pushTokenState = q.value(11).toString();
        d.pushTokenRetiredReason = q.value(12).toString();
        d.updatedAt = fromMs(q.value(13));
        rows.append(d);
    }
    for (DeviceRecord &d : rows) {
        if (!loadDeviceApps(d))
            return std::nullopt;
    }
    return rows;
}

bool SqliteStorage::loadDeviceApps(DeviceRecord &device)
{
    QSqlQuery q(database());
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
    QSqlQuery q(database());
    return run(q, QStringLiteral("delete_device"), {{QStringLiteral("id"), id}}) && q.numRowsAffected() == 1;
}

bool SqliteStorage::touchDevice(qint64 id, const QDateTime &lastSeen)
{
    QSqlQuery q(database());
    return run(q, QStringLiteral("update_device_last_seen"),
               {{QStringLiteral("id"), id}, {QStringLiteral("last_seen"), toMs(lastSeen)}});
}

bool SqliteStorage::upsertLogin(qint64 accountId, const QString &app, const QByteArray &credentials)
{
    QSqlQuery q(database());
    return run(q, QStringLiteral("upsert_login"),
               {{QStringLiteral("account_id"), accountId}, {QStringLiteral("app"), app},
                {QStringLiteral("credentials"), credentials.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>())
                                                                      : QVariant(credentials)},
                {QStringLiteral("now"), nowMs()}});
}

bool SqliteStorage::deleteLogin(qint64 accountId, const QString &app)
{
    QSqlQuery q(database());
    return run(q, QStringLiteral("delete_login"), {{QStringLiteral("account_id"), accountId}, {QStringLiteral("app"), app}});
}

bool SqliteStorage::deleteLoginsOfAccount(qint64 accountId)
{
    QSqlQuery q(database());
    return run(q, QStringLiteral("delete_logins_of_account"), {{QStringLiteral("account_id"), accountId}});
}

std::optional<QList<LoginRecord>> SqliteStorage::loginRows(const QString &queryName, const QVariantMap &values)
{
    QSqlQuery q(database());
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
    QSqlQuery q(database());
    return run(q, QStringLiteral("update_login_checkpoint"),
               {{QStringLiteral("account_id"), accountId}, {QStringLiteral("app"), app},
                {QStringLiteral("checkpoint"), checkpoint}});
}

bool SqliteStorage::setLoginMonitorState(qint64 accountId, const QString &app, const QString &state,
                                         const QString &error)
{
    QSqlQuery q(database());
    return run(q, QStringLiteral("update_login_monitor_state"),
               {{QStringLiteral("account_id"), accountId}, {QStringLiteral("app"), app},
                {QStringLiteral("monitor_state"), text(state)}, {QStringLiteral("monitor_error"), text(error)}});
}

} // namespace herald
