#pragma once

namespace herald {

class SqlStorage;
}
#include <QStringList>
namespace herald {

// Brings a database to the schema version of the SQL resources: sets up an empty one, upgrades
// an older one step by step (each step in its own transaction, so a failed step leaves the
// previous version intact) and refuses one newer than this build understands. Works through the
// storage's own connection, whichever engine it is.
class SchemaMigrator
{
public:
    explicit SchemaMigrator(SqlStorage &storage);

    bool migrate(QString *error);
    // -1: not a Herald database (or unreadable); 0: empty; otherwise the recorded version.
    int currentVersion(QString *error);

private:
    bool runInTransaction(const QStringList &statements, int newVersion, bool insertVersion, QString *error);

    SqlStorage &m_storage;
};

} // namespace herald
