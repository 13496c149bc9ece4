#include "app/StorageFactory.h"

#include "app/ServerConfig.h"
#include "storage/SqliteStorage.h"
#include "storage/postgresql/PostgresStorage.h"

#include <QDir>
#include <QFile>

namespace herald {

std::unique_ptr<Storage> openStorage(const ServerConfig &config, QString *error)
{
    if (!QDir().mkpath(config.dataDir)) {
        *error = QStringLiteral("cannot create the data folder %1").arg(config.dataDir);
        return nullptr;
    }
    QFile::setPermissions(config.dataDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    std::unique_ptr<SqlStorage> storage;
    const Durability durability = durabilityFromName(config.databaseDurability).value_or(Durability::Process);
    if (config.databaseBackend == QLatin1String("sqlite")) {
        storage = std::make_unique<SqliteStorage>(config.effectiveDatabasePath(), durability);
    } else if (config.databaseBackend == QLatin1String("postgresql")) {
        PgConnectOptions options;
        options.uri = config.databaseUri;
        options.passwordFile = config.databasePasswordFile;
        storage = std::make_unique<PostgresStorage>(options, durability);
    }
    if (storage)
        storage->setReadingConnections(config.databaseReadingConnections);
    if (!storage) {
        *error = QStringLiteral("unknown database backend %1").arg(config.databaseBackend);
        return nullptr;
    }
    if (!storage->open(error))
        return nullptr;
    return storage;
}

} // namespace herald
