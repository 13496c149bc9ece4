#pragma once

#include "limits/LimitSettings.h"

#include <QHash>
#include <QHostAddress>
#include <QMap>
#include <QString>

namespace herald {

// A section the core does not interpret itself ([push.*], [imap.*], [app.*]): handed as is to the
// part that owns it, with enough to point errors at the right file and line.
struct ConfigSection
{
    QString name;
    QString fileName;
    QHash<QString, QString> values;
    QHash<QString, int> lines;

    // "<file>:<line>: [<section>] <key>", the prefix of every error about one of its settings.
    QString where(const QString &key) const;
};

// The effective configuration after defaults, file, environment and command line were merged.
struct ServerConfig
{
    QString configFile;
    QString dataDir;
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 listenPort = 7443;
    QString pidFile;
    QString logRules;

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
    QString databaseDurability = QStringLiteral("process"); // see storage/Durability.h

    int heartbeatSecs = 30;
    int ackTimeoutSecs = 10;
    int lastSeenIntervalSecs = 30; // a device's last_seen is written at most once per this
    QString targetPolicy = QStringLiteral("latest");
    int notificationTtlSecs = 7 * 24 * 3600;
    int maxPushAttempts = 8;
    int heldPushes = 10000; // per provider: waiting pushes kept whole in memory, beyond that ids only
    int groupWindowSecs = 120; // pushes of one account and app this close together become one notification

    QMap<QString, ConfigSection> sections;

    // GET /metrics: off unless enabled; on the main listener unless [metrics] listen is set.
    bool metricsEnabled = false;
    bool metricsSeparate = false;
    QHostAddress metricsAddress = QHostAddress::LocalHost;
    quint16 metricsPort = 0;
    QString metricsToken; // empty: no bearer token asked

    QString effectiveDatabasePath() const;
    QString listenString() const;
    static QString hostPortString(const QHostAddress &address, quint16 port);
};

} // namespace herald
