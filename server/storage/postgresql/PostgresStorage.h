#pragma once

#include "storage/Durability.h"
#include "storage/SqlStorage.h"
#include "storage/postgresql/PgConnection.h"

namespace herald {

// The networked engine ([database] backend = postgresql): SqlStorage's operations over one libpq
// connection, with resources/sql/postgresql/. Every statement outside transaction() commits on
// its own, so whenDurable() and writeInBackground() keep Storage's synchronous defaults: a write
// has committed when its call returns. Durability::Process maps to synchronous_commit=off (a
// commit survives Herald being killed, the database server must stay up), Power to on.
// Other connections' changes to event targets arrive as NOTIFY herald_targets (schema triggers).
class PostgresStorage : public SqlStorage
{
public:
    explicit PostgresStorage(const PgConnectOptions &options, Durability durability = Durability::Process);
    ~PostgresStorage() override;

    bool open(QString *error) override;
    void close() override;

protected:
    std::unique_ptr<SqlQuery> createQuery() override;
    bool execScript(const QString &sql, QString *error) override;
    bool targetsMayHaveChanged() override;
    void noteRollback() override { m_changed = true; }

private:
    PgConnectOptions m_options;
    Durability m_durability;
    PgConnection m_connection;
    bool m_changed = true;
    int m_seenGeneration = 0;
};

} // namespace herald
