#pragma once

namespace herald {

class SqlStorage;
}
#include <QStringList>
namespace herald {

// Brings a database to the schema version of the SQL resources: sets up an empty one, upgrades
// an older one step by step and refuses one newer than this build understands. Each step runs in
// its own transaction, so a failed step leaves the previous version intact, and under a schema
// lock, so that nodes of a cluster starting at once make it once. Works through the storage's
// own connection, whichever engine it is.
class SchemaMigrator
{
public:
    explicit SchemaMigrator(SqlStorage &storage);

    bool migrate(QString *error);
    // -1: not a Herald database (or unreadable); 0: empty; otherwise the recorded version.
    int currentVersion(QString *error);

private:
    enum class Step
    {
        Done,
        Skipped, // another server made it while this one waited for the schema lock
        Failed,
    };
    // One step in its own transaction, under the schema lock.
    Step runStep(const QStringList &statements, int newVersion, bool insertVersion, QString *error);
    static QString newerThanKnown(int current, int target);

    SqlStorage &m_storage;
};

} // namespace herald
