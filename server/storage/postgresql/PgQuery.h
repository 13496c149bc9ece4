#pragma once

#include "storage/SqlQuery.h"
#include "storage/postgresql/PgConnection.h"

#include <QByteArray>
#include <QVarLengthArray>

struct pg_result;
typedef struct pg_result PGresult;

namespace herald {

// SqlQuery over libpq: parameters go as text (blobs as binary), results come back as text and
// are turned into the QVariant types SQLite's rows carry, by each column's type.
class PgQuery : public SqlQuery
{
public:
    explicit PgQuery(PgConnection &connection);
    ~PgQuery() override;
    PgQuery(const PgQuery &) = delete;
    PgQuery &operator=(const PgQuery &) = delete;

    bool borrow(const QString &name, const SqlResources &resources, QString *error) override;
    bool borrow(const QString &name, const QString &sql, QString *error) override;
    bool bindAll(const SqlParams &values) override;
    bool writes() const override { return !m_direct && m_prepared && m_prepared->writes; }
    bool exec() override;
    bool next() override;
    QVariant value(int column) const override;
    QVariant lastInsertId() const override;
    int numRowsAffected() const override { return m_changes; }
    QString errorText() const override { return m_error; }
    bool conflicted() const override { return m_sqlState == "40001" || m_sqlState == "40P01"; }
    void release() override { reset(); }

    // The SQLSTATE of the last failure ("23505" for a unique violation), empty when none.
    QByteArray sqlState() const { return m_sqlState; }

private:
    void reset();

    PgConnection &m_connection;
    const PgConnection::Prepared *m_prepared = nullptr;
    // Statements given as text (BEGIN, COMMIT, SAVEPOINT …) run through the simple protocol:
    // nothing to bind, and PgConnection sees them (transaction state, lost connections).
    bool m_direct = false;
    bool m_bound = false; // bindAll() ran since the last borrow
    QString m_directSql;
    PGresult *m_result = nullptr;
    int m_row = -1;
    int m_rows = 0;
    int m_changes = 0;
    QString m_error;
    QByteArray m_sqlState;
    QVarLengthArray<QByteArray, 16> m_values;
    QVarLengthArray<const char *, 16> m_valuePointers;
    QVarLengthArray<int, 16> m_lengths;
    QVarLengthArray<int, 16> m_formats;
};

} // namespace herald
