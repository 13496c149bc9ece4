#include "storage/SchemaMigrator.h"

#include "storage/SqlStorage.h"
#include "storage/StorageLog.h"

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
        *error = QStringLiteral("the database is at schema version %1, newer than this herald-server knows (%2)")
                     .arg(current)
                     .arg(target);
        return false;
    }
    if (current == target)
        return true;
    if (current == 0) {
        QStringList statements;
        for (const QStringList &script : m_storage.m_sql.setupScripts())
            statements += script;
        if (!runInTransaction(statements, target, true, error))
            return false;
        qCInfo(lcStorage) << "created schema version" << target;
        return true;
    }
    for (const SqlResources::Upgrade &upgrade : m_storage.m_sql.upgrades()) {
        if (upgrade.version <= current)
            continue;
        if (!runInTransaction(upgrade.statements, upgrade.version, false, error)) {
            *error = QStringLiteral("upgrade %1 failed: %2").arg(upgrade.name, *error);
            return false;
        }
        qCInfo(lcStorage) << "upgraded schema to version" << upgrade.version << "with" << upgrade.name;
    }
    return true;
}

bool SchemaMigrator::runInTransaction(const QStringList &statements, int newVersion, bool insertVersion,
                                      QString *error)
{
    bool ok = m_storage.execControl(QStringLiteral("BEGIN"));
    for (qsizetype i = 0; ok && i < statements.size(); ++i) {
        ok = m_storage.execScript(statements.at(i), error);
    }
    if (ok) {
        SqlStorage::QueryLease q(m_storage);
        ok = m_storage.run(q, insertVersion ? QStringLiteral("insert_schema_version") : QStringLiteral("update_schema_version"),
                           {{QStringLiteral("version"), newVersion}});
        if (!ok)
            *error = m_storage.lastError();
    } else if (error->isEmpty()) {
        *error = m_storage.lastError();
    }
    if (ok && m_storage.execControl(QStringLiteral("COMMIT")))
        return true;
    if (ok)
        *error = m_storage.lastError();
    const QString kept = *error;
    m_storage.noteRollback();
    m_storage.execControl(QStringLiteral("ROLLBACK"));
    *error = kept;
    return false;
}

} // namespace herald
