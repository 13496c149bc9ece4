#include "TestDatabase.h"

#include "PostgresServer.h"
#include "storage/SqliteStorage.h"
#include "storage/postgresql/PostgresStorage.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace herald::test {
namespace {

PostgresServer *g_postgres = nullptr;
QSet<QString> *g_databases = nullptr;

void stopPostgres()
{
    delete g_postgres;
    g_postgres = nullptr;
    delete g_databases;
    g_databases = nullptr;
}

// The process's PostgreSQL, started on first use and stopped when the application object goes.
PostgresServer *postgres(QString *error)
{
    if (g_postgres)
        return g_postgres->isRunning() ? g_postgres : nullptr;
    g_postgres = new PostgresServer();
    g_databases = new QSet<QString>();
    if (QCoreApplication::instance())
        qAddPostRoutine(stopPostgres);
    if (!g_postgres->start(error)) {
        *error = QStringLiteral("cannot start PostgreSQL for the tests: %1\n%2").arg(*error, g_postgres->log());
        return nullptr;
    }
    return g_postgres;
}

QString sqlitePath(const QString &dataDir) { return QDir(dataDir).filePath(QStringLiteral("herald.sqlite")); }

} // namespace

QString TestDatabase::engine()
{
    const QString e = QProcessEnvironment::systemEnvironment().value(QStringLiteral("HERALD_TEST_ENGINE"));
    return e.isEmpty() ? QStringLiteral("sqlite") : e;
}

QString TestDatabase::databaseName(const QString &dataDir)
{
    const QByteArray digest = QCryptographicHash::hash(QDir(dataDir).absolutePath().toUtf8(), QCryptographicHash::Sha1);
    return QStringLiteral("h") + QString::fromLatin1(digest.toHex().left(20));
}

bool TestDatabase::ensureDatabase(const QString &dataDir, QString *error)
{
    PostgresServer *pg = postgres(error);
    if (!pg)
        return false;
    const QString name = databaseName(dataDir);
    if (g_databases->contains(name))
        return true;
    if (!pg->createDatabase(name, error))
        return false;
    g_databases->insert(name);
    return true;
}

QStringList TestDatabase::serverArgs(const QString &dataDir)
{
    if (!isPostgres())
        return {};
    QString error;
    if (!ensureDatabase(dataDir, &error)) {
        qWarning("%s", qPrintable(error));
        // The server then fails to start and says why; the test reports it.
        return {QStringLiteral("--database"), QStringLiteral("postgresql"), QStringLiteral("--database-uri"),
                QStringLiteral("postgresql://nobody@127.0.0.1:1/unavailable")};
    }
    return {QStringLiteral("--database"), QStringLiteral("postgresql"), QStringLiteral("--database-uri"),
            g_postgres->uri(databaseName(dataDir))};
}

std::unique_ptr<Storage> TestDatabase::open(const QString &dataDir, QString *error)
{
    std::unique_ptr<Storage> storage;
    if (isPostgres()) {
        if (!ensureDatabase(dataDir, error))
            return nullptr;
        storage = std::make_unique<PostgresStorage>(PgConnectOptions{g_postgres->uri(databaseName(dataDir))});
    } else {
        storage = std::make_unique<SqliteStorage>(sqlitePath(dataDir));
    }
    if (!storage->open(error))
        return nullptr;
    return storage;
}

QByteArray TestDatabase::contents(const QString &dataDir)
{
    if (!isPostgres()) {
        QByteArray bytes;
        for (const QString &suffix : {QString(), QStringLiteral("-wal")}) {
            QFile f(sqlitePath(dataDir) + suffix);
            if (f.open(QIODevice::ReadOnly))
                bytes += f.readAll();
        }
        return bytes;
    }
    QString error;
    if (!ensureDatabase(dataDir, &error))
        return {};
    QProcess dump;
    dump.start(PostgresServer::binDir() + QStringLiteral("/pg_dump"),
               {QStringLiteral("-h"), g_postgres->host(), QStringLiteral("-p"), QString::number(g_postgres->port()),
                QStringLiteral("-U"), g_postgres->superuser(), databaseName(dataDir)});
    if (!dump.waitForFinished(60000) || dump.exitCode() != 0)
        qWarning("pg_dump failed: %s", dump.readAllStandardError().constData());
    return dump.readAllStandardOutput();
}

bool TestDatabase::exec(const QString &dataDir, const QString &sql, QString *error)
{
    if (isPostgres())
        return ensureDatabase(dataDir, error) && g_postgres->psql(databaseName(dataDir), sql, error);
    const QString name = QStringLiteral("test-database-exec");
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(sqlitePath(dataDir));
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        ok = db.open();
        QSqlQuery q(db);
        ok = ok && q.exec(sql);
        if (!ok)
            *error = q.lastError().text();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

bool TestDatabase::restartPostgres(QString *error)
{
    PostgresServer *server = postgres(error);
    return server && server->restart(error);
}

bool TestDatabase::stopPostgres(QString *error)
{
    PostgresServer *server = postgres(error);
    if (!server)
        return false;
    server->stop();
    return true;
}

bool TestDatabase::startPostgres(QString *error)
{
    if (!g_postgres)
        return postgres(error) != nullptr; // never started: the first start
    return g_postgres->isRunning() || g_postgres->start(error);
}

} // namespace herald::test
