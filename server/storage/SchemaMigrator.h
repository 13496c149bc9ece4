#pragma once

#include "storage/SqlResources.h"

#include <QSqlDatabase>

namespace herald {

// Brings a database to the schema version of the SQL resources: sets up an empty one, upgrades
// an older one step by step (each step in its own transaction, so a failed step leaves the
// previous version intact) and refuses one newer than this build understands.
class SchemaMigrator
{
public:
    SchemaMigrator(QSqlDatabase db, const SqlResources &sql);

    bool migrate(QString *error);
    // -1: not a Herald database; 0: empty; otherwise the recorded version.
    int currentVersion(QString *error);

private:
    bool runInTransaction(const QStringList &statements, int newVersion, bool insertVersion, QString *error);

    QSqlDatabase m_db;
    const SqlResources &m_sql;
};

} // namespace herald
