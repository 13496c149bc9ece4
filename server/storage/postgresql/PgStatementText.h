#pragma once

#include <QString>
#include <QStringList>

namespace herald {

// The SQL resources name their parameters (":account_id"), as SQLite reads them; libpq wants
// positional ones ("$1"). This rewrites a statement once, when it is prepared: each distinct name
// becomes one position (a name used twice is one parameter), in order of first use. Quoted text,
// quoted identifiers, comments and `::` casts are left alone.
struct PgStatementText
{
    QString sql;           // with $1 … $n
    QStringList parameters; // names without ':', by position - 1

    static PgStatementText fromNamed(const QString &namedSql);
};

} // namespace herald
