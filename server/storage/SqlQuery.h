#pragma once

#include "storage/SqlParams.h"

#include <QString>
#include <QVariant>

namespace herald {

class SqlResources;

// One statement run against one engine, seen the same way whichever engine runs it: the row
// source that Storage's operations are written against once. Values come back as SQLite's did
// (integers as qlonglong, text as QString, blobs as QByteArray, NULL as a null QVariant), so row
// mapping needs no engine-specific code.
class SqlQuery
{
public:
    virtual ~SqlQuery() = default;

    // Takes the statement named `name` from the engine's resources (prepared once per connection).
    virtual bool borrow(const QString &name, const SqlResources &resources, QString *error) = 0;
    // The same for a statement given as text (BEGIN, COMMIT, SAVEPOINT …), keyed by `name`.
    virtual bool borrow(const QString &name, const QString &sql, QString *error) = 0;
    virtual bool bindAll(const SqlParams &values) = 0; // parameters missing from values are NULL
    virtual bool writes() const = 0;                   // not read-only: joins a write batch
    virtual bool exec() = 0;                           // runs the statement
    virtual bool next() = 0;                           // the first call lands on the first row
    virtual QVariant value(int column) const = 0;
    // The row id an INSERT made: SQLite's last_insert_rowid, PostgreSQL's `RETURNING id`.
    virtual QVariant lastInsertId() const = 0;
    virtual int numRowsAffected() const = 0;
    virtual QString errorText() const = 0;
    // The last failure was a conflict with a concurrent transaction (a serialization failure or a
    // deadlock): the same work in a new transaction may succeed.
    virtual bool conflicted() const { return false; }
    // Lets go of the statement and its rows (SQLite: ends the read transaction the statement holds).
    virtual void release() = 0;
};

} // namespace herald
