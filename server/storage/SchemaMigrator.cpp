#include "storage/SchemaMigrator.h"

#include "storage/StorageLog.h"

#include <QSqlError>
#include <QSqlQuery>

namespace herald {

SchemaMigrator::SchemaMigrator(QSqlDatabase db, const SqlResources &sql)
    : m_db(db)
    , m_sql(sql)
{
}

int SchemaMigrator::currentVersion(QString *error)
{
    const QStringList tables = m_db.tables();
    if (tables.isEmpty())
        return 0;
    if (!tables.contains(QStringLiteral("schema_version"))) {
        *error = QStringLiteral("the database has tables but no schema_version: not a Herald database");
        return -1;
    }
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("SELECT version FROM schema_version")) || !query.next()) {
        *error = QStringLiteral("cannot read the schema version: %1").arg(query.lastError().text());
        return -1;
    }
    return query.value(0).toInt();
}

bool SchemaMigrator::migrate(QString *error)
{
    const int target = m_sql.schemaVersion();
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
        for (const QStringList &script : m_sql.setupScripts())
            statements += script;
        if (!runInTransaction(statements, target, true, error))
            return false;
        qCInfo(lcStorage) << "created schema version" << target;
        return true;
    }
    for (const SqlResources::Upgrade &upgrade : m_sql.upgrades()) {
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
    if (!m_db.transaction()) {
        *error = m_db.lastError().text();
        return false;
    }
    QSqlQuery query(m_db);
    for (const QString &statement : statements) {
        if (!query.exec(statement)) {
            *error = query.lastError().text();
            m_db.rollback();
            return false;
        }
    }
    query.prepare(insertVersion ? QStringLiteral("INSERT INTO schema_version (version) VALUES (:v)")
                                : QStringLiteral("UPDATE schema_version SET version = :v"));
    query.bindValue(QStringLiteral(":v"), newVersion);
    if (!query.exec() || !m_db.commit()) {
        *error = query.lastError().isValid() ? query.lastError().text() : m_db.lastError().text();
        m_db.rollback();
        return false;
    }
    return true;
}

} // namespace herald
