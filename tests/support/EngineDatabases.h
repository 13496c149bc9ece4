#pragma once

#include "PostgresServer.h"
#include "storage/Records.h"
#include "storage/Storage.h"
#include "storage/postgresql/PostgresStorage.h"

#include <QCoreApplication>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace herald::test {

// Fresh databases of one engine for tests of Storage's contract: SQLite files in a temporary
// folder, or databases of a PostgreSQL the test starts (initdb/pg_ctl on loopback). Each test
// function takes a fresh() one; reopen() is another connection to it (another process or node).
class EngineDatabases
{
public:
    // "sqlite" or "postgresql", taken from the front of the command line (CTest registers one test
    // per engine); the rest is left for QTest.
    static QString takeEngine(QStringList *args);

    explicit EngineDatabases(const QString &engine) : m_engine(engine) {}
    bool isPostgres() const { return m_engine == QLatin1String("postgresql"); }
    const QString &engine() const { return m_engine; }
    bool start(QString *error); // starts PostgreSQL when that is the engine
    PostgresServer *server() const { return m_postgres.get(); }
    const QString &current() const { return m_current; } // a file, or a PostgreSQL database name

    // A new database with nothing in it; fresh() also opens a Storage on it (and so sets it up).
    bool empty(QString *error);
    std::unique_ptr<Storage> fresh(QString *error);
    // Another connection to the current database. As a Worker, a PostgreSQL one is what the
    // server's background work opens: it does not LISTEN.
    std::unique_ptr<Storage> reopen(QString *error, PostgresStorage::Role role = PostgresStorage::Role::Main);
    // Raw SQL on the current database, outside Storage; rows as their columns joined with '|'.
    bool raw(const QString &sql, QString *error);
    bool rawRows(const QString &sql, QStringList *rows, QString *error);

private:
    QString m_engine;
    QTemporaryDir m_dir;
    std::unique_ptr<PostgresServer> m_postgres;
    int m_n = 0;
    QString m_current;
};

// main() of a test class built on an engine (`Test(const QString &engine)`): the engine is taken
// from the front of the command line, the rest goes to QTest.
template<typename Test>
int runOnEngine(int argc, char *argv[])
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    const QString engine = EngineDatabases::takeEngine(&args);
    QCoreApplication app(argc, argv);
    Test test(engine);
    return QTest::qExec(&test, args);
}

// Rows the engine tests store.
DeviceRecord engineDevice(qint64 accountId, const QString &id, const QByteArray &tokenHash,
                          const QStringList &apps = {QStringLiteral("mail")});
NotificationRecord engineNotification(const QString &id, qint64 accountId, const QDateTime &at);
DeliveryRecord engineDelivery(const QString &id, const QString &notificationId, qint64 deviceId, const QDateTime &next);

} // namespace herald::test
