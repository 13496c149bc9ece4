#pragma once

#include "storage/Storage.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

namespace herald::test {

// Which storage engine the server-level tests run on: HERALD_TEST_ENGINE=sqlite (the default: the
// file in the server's data folder) or postgresql (CTest's *.postgresql variants). With PostgreSQL,
// one private instance is started for the test process on first use (PostgresServer) and each
// server data folder gets a database of its own, so tests stay apart as they do with files.
class TestDatabase
{
public:
    static QString engine();
    static bool isPostgres() { return engine() == QLatin1String("postgresql"); }

    // What herald-server needs to use that engine for the data folder (added to every start and
    // every `herald-server user …` command by ServerProcess).
    static QStringList serverArgs(const QString &dataDir);
    // A Storage of its own on the database the server at `dataDir` uses; nullptr with *error.
    static std::unique_ptr<Storage> open(const QString &dataDir, QString *error);
    // Everything stored for `dataDir`, as bytes (the SQLite file and its WAL; pg_dump's output), for
    // "this secret is never stored in clear" checks.
    static QByteArray contents(const QString &dataDir);
    // Runs one SQL statement on that database, outside the server (tests that set up odd rows).
    static bool exec(const QString &dataDir, const QString &sql, QString *error);
    // Stops and starts the tests' PostgreSQL on its port (fast shutdown: every connection ends).
    static bool restartPostgres(QString *error);
    // Stops the tests' PostgreSQL (fast shutdown), and starts it again on the same port.
    static bool stopPostgres(QString *error);
    static bool startPostgres(QString *error);

private:
    static QString databaseName(const QString &dataDir);
    static bool ensureDatabase(const QString &dataDir, QString *error);
};

} // namespace herald::test
