#pragma once

#include "config/ConfigSection.h"
#include "dispatch/DispatchSettings.h"
#include "limits/LimitSettings.h"
#include "metrics/MetricsSettings.h"
#include "presence/SessionSettings.h"

#include <QHash>
#include <QHostAddress>
#include <QMap>
#include <QString>

namespace herald {

// The effective configuration after defaults, file, environment and command line were merged.
struct ServerConfig
{
    QString configFile;
    QString dataDir;
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 listenPort = 7443;
    QString pidFile;
    QString logRules;
    QString credentialKeyFile; // empty: <dataDir>/credentials.key

    QString tlsCertFile; // empty: self-signed in the data folder
    QString tlsKeyFile;

    qint64 maxBodyBytes = 64 * 1024;
    int requestTimeoutSecs = 10; // head and body of a request, and a new connection's handshake (slowloris)

    int kdfMemoryKib = 19 * 1024; // OWASP's Argon2id minimum: m=19 MiB, t=2, p=1
    int kdfIterations = 2;
    // Argon2id runs on a pool of worker threads (0: one per core) with a bounded queue; a full
    // queue answers 503 + Retry-After.
    int passwordWorkers = 0;
    int passwordQueue = 64;
    LimitSettings limits; // [limits] rate limits

    QString databaseBackend = QStringLiteral("sqlite");
    QString databasePath; // empty: <dataDir>/herald.sqlite
    QString databaseUri;          // backend postgresql: postgresql://USER@HOST:PORT/DATABASE
    QString databasePasswordFile; // .pgpass format; empty: libpq's default
    QString databaseDurability = QStringLiteral("process"); // see storage/Durability.h
    int databaseReadingConnections = 2; // BackgroundReaders: reads requests wait for, off the event loop

    SessionSettings session;
    DispatchSettings dispatch;
    int lastSeenIntervalSecs = 30; // a device's last_seen is written at most once per this

    QMap<QString, ConfigSection> sections;

    MetricsSettings metrics;

    QString effectiveDatabasePath() const;
    QString listenString() const;
    static QString hostPortString(const QHostAddress &address, quint16 port);
};

} // namespace herald
