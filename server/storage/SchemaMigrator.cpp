#include "storage/SchemaMigrator.h"

#include "storage/SqlStorage.h"
#include "storage/StorageLog.h"

#include <optional>

namespace herald {

SchemaMigrator::SchemaMigrator(SqlStorage &storage)
    : m_storage(storage)
{
}

int SchemaMigrator::currentVersion(QString *error)
{
    // The engine's catalogue, asked through resources/sql/<engine>/list_tables.sql. For SQLite
    // this is also where a file that is not a database shows itself (the first real read).
    QStringList tables;
    {
        SqlStorage::QueryLease q(m_storage);
        if (!m_storage.run(q, QStringLiteral("list_tables"))) {
            *error = m_storage.lastError();
            return -1;
        }
        while (q.next())
            tables.append(q.value(0).toString());
    }
    if (tables.isEmpty())
        return 0;
    if (!tables.contains(QStringLiteral("schema_version"))) {
        *error = QStringLiteral("the database has tables but no schema_version: not a Herald database");
        return -1;
    }
    SqlStorage::QueryLease q(m_storage);
    if (!m_storage.run(q, QStringLiteral("select_schema_version")) || !q.next()) {
        *error = QStringLiteral("cannot read the schema version: %1").arg(m_storage.lastError());
        return -1;
    }
    return q.value(0).toInt();
}

bool SchemaMigrator::migrate(QString *error)
{
    const int target = m_storage.m_sql.schemaVersion();
    const int current = currentVersion(error);
    if (current < 0)
        return false;
    if (current > target) {
        *error = newerThanKnown(current, target);
        return false;
    }
    if (current == target)
        return true;
    if (current == 0) {
        QStringList statements;
        for (const QStringList &script : m_storage.m_sql.setupScripts())
            statements += script;
        const Step step = runStep(statements, target, true, error);
        if (step == Step::Failed)
            return false;
        if (step == Step::Done)
            qCInfo(lcStorage) << "created schema version" << target;
        else
            qCInfo(lcStorage) << "another server created the schema first";
        return true;
    }
    for (const SqlResources::Upgrade &upgrade : m_storage.m_sql.upgrades()) {
        if (upgrade.version <= current)
            continue;
        const Step step = runStep(upgrade.statements, upgrade.version, false, error);
        if (step == Step::Failed) {
            *error = QStringLiteral("upgrade %1 failed: %2").arg(upgrade.name, *error);
            return false;
        }
        if (step == Step::Done)
            qCInfo(lcStorage) << "upgraded schema to version" << upgrade.version << "with" << upgrade.name;
    }
    return true;
}

QString SchemaMigrator::newerThanKnown(int current, int target)
{
    return QStringLiteral("the database is at schema version %1, newer than this herald-server knows (%2)")
        .arg(current)
        .arg(target);
}

SchemaMigrator::Step SchemaMigrator::runStep(const QStringList &statements, int newVersion, bool insertVersion,
                                             QString *error)
{
    bool ok = m_storage.execControl(QStringLiteral("BEGIN"));
    // The nodes of a cluster may all start at once, on an empty database or after an upgrade of
    // the binary. One takes the schema lock (on PostgreSQL an advisory lock held until this
    // transaction ends) and makes the change; the others wait for it and then find it made.
    std::optional<Step> outcome;
    if (ok) {
        SqlStorage::QueryLease lock(m_storage);
        ok = m_storage.run(lock, QStringLiteral("lock_schema"));
    }
    if (ok) {
        const int now = currentVersion(error);
        ok = now >= 0;
        if (ok && now > m_storage.m_sql.schemaVersion()) {
            *error = newerThanKnown(now, m_storage.m_sql.schemaVersion());
            ok = false;
        } else if (ok && (insertVersion ? now != 0 : now >= newVersion)) {
            outcome = Step::Skipped;
        }
    }
    for (qsizetype i = 0; ok && !outcome && i < statements.size(); ++i)
        ok = m_storage.execScript(statements.at(i), error);
    if (ok && !outcome) {
        SqlStorage::QueryLease q(m_storage);
        ok = m_storage.run(q, insertVersion ? QStringLiteral("insert_schema_version") : QStringLiteral("update_schema_version"),
                           {{QStringLiteral("version"), newVersion}});
        if (!ok)
            *error = m_storage.lastError();
    } else if (!ok && error->isEmpty()) {
        *error = m_storage.lastError();
    }
    if (ok && m_storage.execControl(QStringLiteral("COMMIT")))
        return outcome.value_or(Step::Done);
    if (ok)
        *error = m_storage.lastError();
    const QString kept = *error;
    m_storage.noteRollback();
    m_storage.execControl(QStringLiteral("ROLLBACK"));
    *error = kept;
    return Step::Failed;
}

} // namespace herald
