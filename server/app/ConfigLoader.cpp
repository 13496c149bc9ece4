#include "app/ConfigLoader.h"

#include "app/IniFile.h"

#include <QDir>
#include <QUrl>
#include <QStandardPaths>

#ifndef Q_OS_WIN
#include <unistd.h>
#endif

namespace herald {
namespace {

using Apply = std::function<QString(const QString &, ServerConfig &)>;

Apply intIn(qint64 min, qint64 max, std::function<void(ServerConfig &, qint64)> set)
{
    return [=](const QString &value, ServerConfig &config) -> QString {
        bool ok = false;
        const qint64 n = value.trimmed().toLongLong(&ok);
        if (!ok)
            return QStringLiteral("'%1' is not a whole number").arg(value.left(80));
        if (n < min || n > max)
            return QStringLiteral("%1 is out of range (%2 to %3)").arg(n).arg(min).arg(max);
        set(config, n);
        return {};
    };
}

Apply oneOf(QStringList allowed, std::function<void(ServerConfig &, const QString &)> set)
{
    return [=](const QString &value, ServerConfig &config) -> QString {
        if (!allowed.contains(value))
            return QStringLiteral("'%1' is not one of: %2").arg(value.left(80), allowed.join(QStringLiteral(", ")));
        set(config, value);
        return {};
    };
}

Apply path(std::function<void(ServerConfig &, const QString &)> set, bool allowEmpty = false)
{
    return [=](const QString &value, ServerConfig &config) -> QString {
        if (value.isEmpty() && !allowEmpty)
            return QStringLiteral("a path is required");
        if (value.contains(QChar(0)))
            return QStringLiteral("the path contains a NUL character");
        set(config, value.isEmpty() ? value : QDir::cleanPath(value));
        return {};
    };
}

Apply rate(RateLimit LimitSettings::*member)
{
    return [member](const QString &value, ServerConfig &config) -> QString {
        QString error;
        const auto limit = RateLimit::parse(value, &error);
        if (!limit)
            return error;
        config.limits.*member = *limit;
        return {};
    };
}

// "none", or a comma-separated list of addresses and subnets ("127.0.0.0/8, ::1, 10.1.2.3").
// A libpq URI, checked here so that a typo is a configuration error rather than a failed start.
// A password in it is accepted (libpq takes it) but the docs point to password_file instead.
QString applyDatabaseUri(const QString &value, ServerConfig &config)
{
    constexpr int kMaxLength = 4096;
    if (value.size() > kMaxLength)
        return QStringLiteral("longer than %1 characters").arg(kMaxLength);
    for (const QChar c : value) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return QStringLiteral("contains a control character");
    }
    if (!value.startsWith(QLatin1String("postgresql://")) && !value.startsWith(QLatin1String("postgres://")))
        return QStringLiteral("must start with postgresql://");
    const QUrl url(value, QUrl::StrictMode);
    if (!url.isValid())
        return QStringLiteral("not a valid URI: %1").arg(url.errorString());
    if (url.path().size() <= 1)
        return QStringLiteral("names no database (postgresql://USER@HOST:PORT/DATABASE)");
    config.databaseUri = value;
    return QString();
}

QString applyExemptAddresses(const QString &value, ServerConfig &config)
{
    QList<QPair<QHostAddress, int>> subnets;
    const QString list = value.trimmed();
    if (list != QLatin1String("none") && !list.isEmpty()) {
        for (const QString &item : list.split(QLatin1Char(','))) {
            const QString text = item.trimmed();
            auto subnet = QHostAddress::parseSubnet(text.contains(QLatin1Char('/')) ? text
                                                    : text + (text.contains(QLatin1Char(':')) ? QStringLiteral("/128")
                                                                                               : QStringLiteral("/32")));
            if (subnet.first.isNull())
                return QStringLiteral("'%1' is not an address or ADDRESS/PREFIX").arg(text.left(80));
            subnets.append(subnet);
        }
    }
    config.limits.exemptAddresses = subnets;
    return {};
}

QString parseHostPort(const QString &value, QHostAddress *outAddress, quint16 *outPort)
{
    const int colon = value.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return QStringLiteral("'%1' is not HOST:PORT").arg(value.left(80));
    QString host = value.left(colon);
    bool ok = false;
    const uint port = value.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535)
        return QStringLiteral("'%1' has no valid port (0 to 65535)").arg(value.left(80));
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    QHostAddress address;
    if (host == QLatin1String("localhost"))
        address = QHostAddress::LocalHost;
    else if (host == QLatin1String("*"))
        address = QHostAddress::Any;
    else if (!address.setAddress(host))
        return QStringLiteral("'%1' is not an IP address, 'localhost' or '*'").arg(host.left(80));
    *outAddress = address;
    *outPort = quint16(port);
    return {};
}

QString applyListen(const QString &value, ServerConfig &config)
{
    return parseHostPort(value, &config.listenAddress, &config.listenPort);
}

QString applyMetricsListen(const QString &value, ServerConfig &config)
{
    if (value.trimmed().isEmpty()) {
        config.metrics.separate = false;
        return {};
    }
    const QString error = parseHostPort(value.trimmed(), &config.metrics.address, &config.metrics.port);
    config.metrics.separate = error.isEmpty();
    return error;
}

QString applyMetricsToken(const QString &value, ServerConfig &config)
{
    // Printable ASCII without spaces: it travels in an Authorization header as is.
    if (value.isEmpty()) {
        config.metrics.token.clear();
        return {};
    }
    if (value.size() < 16 || value.size() > 256)
        return QStringLiteral("the token must have 16 to 256 characters");
    for (QChar c : value) {
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7f)
            return QStringLiteral("the token may only hold printable ASCII characters without spaces");
    }
    config.metrics.token = value;
    return {};
}

} // namespace

QString ConfigLoader::defaultDataDir()
{
#ifdef Q_OS_WIN
    // The service runs as LocalSystem; its data lives where Windows keeps machine-wide app data.
    return QDir(qEnvironmentVariable("ProgramData", QStringLiteral("C:\\ProgramData"))).filePath(QStringLiteral("Herald"));
#else
    if (::geteuid() == 0)
        return QStringLiteral("/var/lib/herald");
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
        .filePath(QStringLiteral("herald"));
#endif
}

bool ConfigLoader::isPassThroughSection(const QString &section)
{
    static const QStringList prefixes{QStringLiteral("push."), QStringLiteral("imap."), QStringLiteral("app.")};
    for (const QString &prefix : prefixes) {
        if (section.startsWith(prefix) && section.size() > prefix.size())
            return true;
    }
    return false;
}

const QList<ConfigOption> &ConfigLoader::options()
{
    static const QList<ConfigOption> table{
        {QStringLiteral("server"), QStringLiteral("listen"), QStringLiteral("listen"), QStringLiteral("HOST:PORT"),
         QStringLiteral("Address of the HTTPS listener (default 127.0.0.1:7443; port 0 picks a free one)."),
         applyListen},
        {QStringLiteral("server"), QStringLiteral("data_dir"), QStringLiteral("data-dir"), QStringLiteral("DIR"),
         QStringLiteral("Folder for the database, the generated certificate and keys."),
         path([](ServerConfig &c, const QString &v) { c.dataDir = v; })},
        {QStringLiteral("server"), QStringLiteral("credential_key_file"), QStringLiteral("credential-key-file"),
         QStringLiteral("FILE"),
         QStringLiteral("Key that seals stored app passwords (default <data-dir>/credentials.key, made 0600 when "
                        "missing); every node of a cluster must name a copy of the same key."),
         path([](ServerConfig &c, const QString &v) { c.credentialKeyFile = v; })},
        {QStringLiteral("server"), QStringLiteral("pid_file"), QStringLiteral("pid-file"), QStringLiteral("FILE"),
         QStringLiteral("Write the process id here (default <data-dir>/herald.pid when daemonized)."),
         path([](ServerConfig &c, const QString &v) { c.pidFile = v; })},
        {QStringLiteral("server"), QStringLiteral("log_rules"), QStringLiteral("log-rules"), QStringLiteral("RULES"),
         QStringLiteral("Logging rules, e.g. 'herald.*.debug=true;herald.storage.info=false'."),
         [](const QString &v, ServerConfig &c) -> QString {
             if (v.size() > 4096)
                 return QStringLiteral("rules longer than 4096 characters");
             c.logRules = v;
             return {};
         }},
        {QStringLiteral("tls"), QStringLiteral("cert_file"), QStringLiteral("tls-cert"), QStringLiteral("FILE"),
         QStringLiteral("PEM certificate chain (default: a self-signed one generated in the data folder)."),
         path([](ServerConfig &c, const QString &v) { c.tlsCertFile = v; }, true)},
        {QStringLiteral("tls"), QStringLiteral("key_file"), QStringLiteral("tls-key"), QStringLiteral("FILE"),
         QStringLiteral("PEM private key for --tls-cert."),
         path([](ServerConfig &c, const QString &v) { c.tlsKeyFile = v; }, true)},
        {QStringLiteral("limits"), QStringLiteral("max_body_bytes"), QStringLiteral("max-body-bytes"),
         QStringLiteral("BYTES"), QStringLiteral("Largest request body accepted (default 65536)."),
         intIn(1024, 16 * 1024 * 1024, [](ServerConfig &c, qint64 n) { c.maxBodyBytes = n; })},
        {QStringLiteral("limits"), QStringLiteral("request_timeout_secs"), QStringLiteral("request-timeout-secs"),
         QStringLiteral("S"),
         QStringLiteral("A request (and a new connection's TLS handshake) must arrive within this (default 10)."),
         intIn(1, 600, [](ServerConfig &c, qint64 n) { c.requestTimeoutSecs = int(n); })},
        {QStringLiteral("limits"), QStringLiteral("register_per_address"), QStringLiteral("limit-register-per-address"),
         QStringLiteral("RATE"),
         QStringLiteral("POST /v1/register per client address, as RATE/UNIT [burst N] or off (default 20/s burst 600)."),
         rate(&LimitSettings::registerPerAddress)},
        {QStringLiteral("limits"), QStringLiteral("register_per_account"), QStringLiteral("limit-register-per-account"),
         QStringLiteral("RATE"),
         QStringLiteral("Failed POST /v1/register password checks per username (default 10/min)."),
         rate(&LimitSettings::registerPerAccount)},
        {QStringLiteral("limits"), QStringLiteral("login_per_address"), QStringLiteral("limit-login-per-address"),
         QStringLiteral("RATE"), QStringLiteral("POST /v1/login per client address (default 50/s burst 1000)."),
         rate(&LimitSettings::loginPerAddress)},
        {QStringLiteral("limits"), QStringLiteral("login_per_account"), QStringLiteral("limit-login-per-account"),
         QStringLiteral("RATE"), QStringLiteral("POST /v1/login per account (default 60/min)."),
         rate(&LimitSettings::loginPerAccount)},
        {QStringLiteral("limits"), QStringLiteral("session_per_address"), QStringLiteral("limit-session-per-address"),
         QStringLiteral("RATE"),
         QStringLiteral("New GET /v1/session upgrades per client address (default 50/s burst 1000)."),
         rate(&LimitSettings::sessionPerAddress)},
        {QStringLiteral("limits"), QStringLiteral("events_per_source"), QStringLiteral("limit-events-per-source"),
         QStringLiteral("RATE"), QStringLiteral("POST /v1/events per source token (default 2000/s burst 10000)."),
         rate(&LimitSettings::eventsPerSource)},
        {QStringLiteral("limits"), QStringLiteral("max_buckets"), QStringLiteral("limit-max-buckets"), QStringLiteral("N"),
         QStringLiteral("Clients (addresses, accounts, tokens) each rate limit tracks at most (default 100000)."),
         intIn(16, 10'000'000, [](ServerConfig &c, qint64 n) { c.limits.maxBuckets = int(n); })},
        {QStringLiteral("limits"), QStringLiteral("exempt_addresses"), QStringLiteral("limit-exempt-addresses"),
         QStringLiteral("LIST"),
         QStringLiteral("Addresses/subnets the per-address limits skip, comma-separated, or none "
                        "(default 127.0.0.0/8, ::1)."),
         applyExemptAddresses},
        {QStringLiteral("security"), QStringLiteral("kdf_memory_kib"), QStringLiteral("kdf-memory-kib"),
         QStringLiteral("KIB"), QStringLiteral("Argon2id memory cost for stored passwords (default 19456)."),
         intIn(64, 4 * 1024 * 1024, [](ServerConfig &c, qint64 n) { c.kdfMemoryKib = int(n); })},
        {QStringLiteral("security"), QStringLiteral("kdf_iterations"), QStringLiteral("kdf-iterations"),
         QStringLiteral("N"), QStringLiteral("Argon2id time cost (default 2)."),
         intIn(1, 64, [](ServerConfig &c, qint64 n) { c.kdfIterations = int(n); })},
        {QStringLiteral("limits"), QStringLiteral("password_workers"), QStringLiteral("password-workers"),
         QStringLiteral("N"),
         QStringLiteral("Threads that hash and check passwords off the event loop (default 0: one per core)."),
         intIn(0, 256, [](ServerConfig &c, qint64 n) { c.passwordWorkers = int(n); })},
        {QStringLiteral("limits"), QStringLiteral("password_queue"), QStringLiteral("password-queue"),
         QStringLiteral("N"),
         QStringLiteral("Password checks that may wait for a worker; beyond that 503 + Retry-After (default 64)."),
         intIn(0, 100'000, [](ServerConfig &c, qint64 n) { c.passwordQueue = int(n); })},
        {QStringLiteral("database"), QStringLiteral("backend"), QStringLiteral("database"), QStringLiteral("NAME"),
         QStringLiteral("Storage engine: sqlite (default, one file in the data folder) or postgresql ([database] uri)."),
         oneOf({QStringLiteral("sqlite"), QStringLiteral("postgresql")},
               [](ServerConfig &c, const QString &v) { c.databaseBackend = v; })},
        {QStringLiteral("database"), QStringLiteral("uri"), QStringLiteral("database-uri"), QStringLiteral("URI"),
         QStringLiteral("PostgreSQL to use with backend postgresql: postgresql://USER@HOST:PORT/DATABASE, TLS "
                        "options as libpq takes them (?sslmode=verify-full&sslrootcert=FILE)."),
         applyDatabaseUri},
        {QStringLiteral("database"), QStringLiteral("password_file"), QStringLiteral("database-password-file"),
         QStringLiteral("FILE"),
         QStringLiteral("PostgreSQL password file in .pgpass format (default: PGPASSFILE or ~/.pgpass)."),
         path([](ServerConfig &c, const QString &v) { c.databasePasswordFile = v; })},
        {QStringLiteral("database"), QStringLiteral("path"), QStringLiteral("database-path"), QStringLiteral("FILE"),
         QStringLiteral("SQLite database file (default <data-dir>/herald.sqlite)."),
         path([](ServerConfig &c, const QString &v) { c.databasePath = v; })},
        {QStringLiteral("database"), QStringLiteral("durability"), QStringLiteral("database-durability"),
         QStringLiteral("LEVEL"),
         QStringLiteral("What a stored event survives before it is acknowledged: process (default; a crash or kill "
                        "of the server) or power (an OS crash or power loss too, at the cost of a disk sync per "
                        "commit)."),
         oneOf({QStringLiteral("process"), QStringLiteral("power")},
               [](ServerConfig &c, const QString &v) { c.databaseDurability = v; })},
        {QStringLiteral("database"), QStringLiteral("reading_connections"), QStringLiteral("database-reading-connections"),
         QStringLiteral("N"),
         QStringLiteral("Connections, each on a thread of its own, that run the reads requests wait for (bearer "
                        "tokens, lists, console searches) off the event loop (default 2)."),
         intIn(1, 64, [](ServerConfig &c, qint64 n) { c.databaseReadingConnections = int(n); })},
        {QStringLiteral("session"), QStringLiteral("heartbeat_secs"), QStringLiteral("heartbeat-secs"),
         QStringLiteral("S"), QStringLiteral("Ping interval asked of terminals; silent for 2xS = offline (default 30)."),
         intIn(1, 3600, [](ServerConfig &c, qint64 n) { c.session.heartbeatSecs = int(n); })},
        {QStringLiteral("session"), QStringLiteral("ack_timeout_secs"), QStringLiteral("ack-timeout-secs"),
         QStringLiteral("S"), QStringLiteral("How long an in-band delivery may go unacked before a push (default 10)."),
         intIn(1, 600, [](ServerConfig &c, qint64 n) { c.dispatch.ackTimeoutSecs = int(n); })},
        {QStringLiteral("session"), QStringLiteral("last_seen_interval_secs"), QStringLiteral("last-seen-interval-secs"),
         QStringLiteral("S"),
         QStringLiteral("A device's last-seen time is written at most once per S seconds (default 30; 0: every time)."),
         intIn(0, 3600, [](ServerConfig &c, qint64 n) { c.lastSeenIntervalSecs = int(n); })},
        {QStringLiteral("cluster"), QStringLiteral("heartbeat_secs"), QStringLiteral("node-heartbeat-secs"),
         QStringLiteral("S"),
         QStringLiteral("How often this node writes its heartbeat and looks at the others (default 10)."),
         intIn(1, 300, [](ServerConfig &c, qint64 n) { c.dispatch.nodeHeartbeatSecs = int(n); })},
        {QStringLiteral("cluster"), QStringLiteral("node_timeout_secs"), QStringLiteral("node-timeout-secs"),
         QStringLiteral("S"),
         QStringLiteral("A node whose heartbeat is older than this counts as stopped: its deliveries are taken over "
                        "and its sessions count as offline (default 60; more than twice the heartbeat)."),
         intIn(3, 3600, [](ServerConfig &c, qint64 n) { c.dispatch.nodeTimeoutSecs = int(n); })},
        {QStringLiteral("dispatch"), QStringLiteral("target_policy"), QStringLiteral("target-policy"),
         QStringLiteral("POLICY"), QStringLiteral("Which devices get a notification: latest (default) or all."),
         oneOf({QStringLiteral("latest"), QStringLiteral("all")},
               [](ServerConfig &c, const QString &v) { c.dispatch.targetPolicy = v; })},
        {QStringLiteral("dispatch"), QStringLiteral("ttl_secs"), QStringLiteral("notification-ttl-secs"),
         QStringLiteral("S"), QStringLiteral("How long a notification stays deliverable and openable (default 604800)."),
         intIn(60, 90 * 24 * 3600, [](ServerConfig &c, qint64 n) { c.dispatch.notificationTtlSecs = int(n); })},
        {QStringLiteral("dispatch"), QStringLiteral("max_push_attempts"), QStringLiteral("max-push-attempts"),
         QStringLiteral("N"), QStringLiteral("Push attempts per delivery before it is given up (default 8)."),
         intIn(1, 100, [](ServerConfig &c, qint64 n) { c.dispatch.maxPushAttempts = int(n); })},
        {QStringLiteral("dispatch"), QStringLiteral("held_pushes"), QStringLiteral("held-pushes"),
         QStringLiteral("N"),
         QStringLiteral("Pushes waiting for a busy provider that keep their text in memory, per provider; the "
                        "rest are read back from storage in turn (default 10000)."),
         intIn(0, 10'000'000, [](ServerConfig &c, qint64 n) { c.dispatch.heldPushes = int(n); })},
        {QStringLiteral("dispatch"), QStringLiteral("group_window_secs"), QStringLiteral("group-window-secs"),
         QStringLiteral("S"),
         QStringLiteral("Pushes for one account and app less than S seconds apart update one notification on the "
                        "phone (\"5 new mails — Alice, Bob and 3 others\") instead of adding one each (default 120; "
                        "0: one notification per event)."),
         intIn(0, 24 * 3600, [](ServerConfig &c, qint64 n) { c.dispatch.groupWindowSecs = int(n); })},
        {QStringLiteral("metrics"), QStringLiteral("enabled"), QStringLiteral("metrics"), QStringLiteral("BOOL"),
         QStringLiteral("Serve GET /metrics in the Prometheus text format: true or false (default false)."),
         oneOf({QStringLiteral("true"), QStringLiteral("false")},
               [](ServerConfig &c, const QString &v) { c.metrics.enabled = v == QLatin1String("true"); })},
        {QStringLiteral("metrics"), QStringLiteral("listen"), QStringLiteral("metrics-listen"), QStringLiteral("HOST:PORT"),
         QStringLiteral("Serve /metrics on a listener of its own (same certificate) instead of the main one."),
         applyMetricsListen},
        {QStringLiteral("metrics"), QStringLiteral("token"), QStringLiteral("metrics-token"), QStringLiteral("TOKEN"),
         QStringLiteral("Bearer token /metrics asks for (16 to 256 printable characters; default none)."),
         applyMetricsToken},
    };
    return table;
}

bool ConfigLoader::load(const QString &configFile, const QHash<QString, QString> &cliValues,
                        const QProcessEnvironment &env, ServerConfig *out)
{
    m_error.clear();
    ServerConfig config;
    config.dataDir = defaultDataDir();
    config.configFile = !configFile.isEmpty() ? configFile : env.value(QStringLiteral("HERALD_CONFIG"));

    if (!config.configFile.isEmpty()) {
        IniFile ini;
        if (!ini.load(config.configFile))
            return fail(ini.errorString());
        for (auto section = ini.sections().cbegin(); section != ini.sections().cend(); ++section) {
            if (isPassThroughSection(section.key())) {
                ConfigSection pass{section.key(), config.configFile, {}, {}};
                for (auto it = section->cbegin(); it != section->cend(); ++it) {
                    pass.values.insert(it.key(), it->value);
                    pass.lines.insert(it.key(), it->line);
                }
                config.sections.insert(section.key(), pass);
                continue;
            }
            bool knownSection = false;
            for (const ConfigOption &option : options())
                knownSection = knownSection || option.section == section.key();
            if (!knownSection)
                return fail(QStringLiteral("%1: unknown section [%2]").arg(config.configFile, section.key()));
            for (auto it = section->cbegin(); it != section->cend(); ++it) {
                const ConfigOption *match = nullptr;
                for (const ConfigOption &option : options()) {
                    if (option.section == section.key() && option.key == it.key())
                        match = &option;
                }
                const QString where = QStringLiteral("%1:%2").arg(config.configFile).arg(it->line);
                if (!match)
                    return fail(QStringLiteral("%1: unknown setting '%2' in [%3]").arg(where, it.key(), section.key()));
                const QString error = match->apply(it->value, config);
                if (!error.isEmpty())
                    return fail(QStringLiteral("%1: %2: %3").arg(where, match->qualifiedKey(), error));
            }
        }
    }

    for (const ConfigOption &option : options()) {
        if (!env.contains(option.envName()))
            continue;
        const QString error = option.apply(env.value(option.envName()), config);
        if (!error.isEmpty())
            return fail(QStringLiteral("environment %1: %2").arg(option.envName(), error));
    }
    for (const ConfigOption &option : options()) {
        if (!cliValues.contains(option.cliName))
            continue;
        const QString error = option.apply(cliValues.value(option.cliName), config);
        if (!error.isEmpty())
            return fail(QStringLiteral("--%1: %2").arg(option.cliName, error));
    }

    if (config.tlsCertFile.isEmpty() != config.tlsKeyFile.isEmpty())
        return fail(QStringLiteral("[tls] cert_file and key_file must be given together"));
    if (config.databaseBackend == QLatin1String("postgresql") && config.databaseUri.isEmpty())
        return fail(QStringLiteral("[database] backend postgresql needs [database] uri (or --database-uri)"));
    if (config.dispatch.nodeTimeoutSecs <= 2 * config.dispatch.nodeHeartbeatSecs)
        return fail(QStringLiteral("[cluster] node_timeout_secs (%1) must be more than twice heartbeat_secs (%2): "
                                   "one late heartbeat must not make a live node count as stopped")
                        .arg(config.dispatch.nodeTimeoutSecs)
                        .arg(config.dispatch.nodeHeartbeatSecs));
    config.dataDir = QDir(config.dataDir).absolutePath();
    *out = config;
    return true;
}

bool ConfigLoader::fail(const QString &error)
{
    m_error = error;
    return false;
}

} // namespace herald
