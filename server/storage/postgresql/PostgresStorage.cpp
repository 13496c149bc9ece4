#include "storage/postgresql/PostgresStorage.h"

#include "storage/BackgroundWriter.h"
#include "storage/StorageLog.h"
#include "storage/postgresql/PgQuery.h"

#include <libpq-fe.h>

namespace herald {
namespace {
// Held while the schema is set up or upgraded, so that nodes starting together do it once.
constexpr const char *kMigrationLock = "SELECT pg_advisory_lock(7311000001)";
constexpr const char *kMigrationUnlock = "SELECT pg_advisory_unlock(7311000001)";
} // namespace

PostgresStorage::PostgresStorage(const PgConnectOptions &options, Durability durability, Role role)
    : SqlStorage(QStringLiteral("postgresql"))
    , m_options(options)
    , m_durability(durability)
    , m_role(role)
{
}

PostgresStorage::~PostgresStorage()
{
    close();
}

bool PostgresStorage::open(QString *error)
{
    if (!m_connection.open(m_options, error))
        return false;
    const QString where = PgConnection::redactedUri(m_options.uri);
    const QString synchronous = m_durability == Durability::Power ? QStringLiteral("SET synchronous_commit = on")
                                                                  : QStringLiteral("SET synchronous_commit = off");
    if (!m_connection.addSessionSetup(synchronous, error) ||
        (m_role == Role::Main && !m_connection.addSessionSetup(QStringLiteral("LISTEN herald_targets"), error)) ||
        (m_role == Role::Main && !m_connection.addSessionSetup(QStringLiteral("LISTEN herald_sources"), error)) ||
        (m_role == Role::Main &&
         !m_connection.addSessionSetup(QStringLiteral("LISTEN \"%1\"").arg(nodeChannel(claimer())), error)) ||
        !m_connection.exec(QString::fromLatin1(kMigrationLock), error)) {
        *error = QStringLiteral("%1: %2").arg(where, *error);
        close();
        return false;
    }
    const bool migrated = migrateSchema(error);
    QString unlockError;
    m_connection.exec(QString::fromLatin1(kMigrationUnlock), &unlockError);
    if (!migrated) {
        *error = QStringLiteral("%1: %2").arg(where, *error);
        close();
        return false;
    }
    m_changed = true;
    return true;
}

void PostgresStorage::setGroupCommit(bool on)
{
    if (!on) {
        stopReaders(); // first: a read's `done` may write
        stopWriter();
        return;
    }
    if (m_role == Role::Worker)
        return;
    auto openWorker = [options = m_options, durability = m_durability](QString *error) -> std::unique_ptr<SqlStorage> {
        auto storage = std::make_unique<PostgresStorage>(options, durability, Role::Worker);
        if (!storage->open(error))
            return nullptr;
        return storage;
    };
    startWriter(openWorker, nullptr);
    startReaders(openWorker, readingConnections());
}

void PostgresStorage::whenDurable(std::function<void(bool ok)> done)
{
    // This connection's own writes committed when they returned; what is left is the background
    // writes submitted so far.
    if (!m_writer) {
        done(true);
        return;
    }
    m_writer->whenDone(m_writer->submitted(), [done = std::move(done)] { done(true); });
}

void PostgresStorage::close()
{
    m_reconnector.reset();
    m_watch.reset();
    setGroupCommit(false); // drains the readers and the background writer
    dropQueries();
    m_connection.close();
}

std::unique_ptr<SqlQuery> PostgresStorage::createQuery()
{
    return std::make_unique<PgQuery>(m_connection);
}

bool PostgresStorage::execScript(const QString &sql, QString *error)
{
    return m_connection.exec(sql, error);
}

bool PostgresStorage::targetsMayHaveChanged()
{
    // Notifications of committed changes, this connection's own included, arrive with the answers
    // to its statements or wait on the socket; either way PQconsumeInput hands them over.
    PGconn *conn = m_connection.handle();
    if (!conn || m_role == Role::Worker)
        return true; // a writer does not LISTEN, so it keeps nothing it could not tell is stale
    if (!PQconsumeInput(conn)) {
        qCWarning(lcStorage).noquote() << "PostgreSQL connection:" << m_connection.lastErrorMessage();
        return true;
    }
    // After a reconnect, NOTIFYs sent while this connection was gone were never seen.
    if (m_connection.generation() != m_seenGeneration)
        m_changed = m_sourcesChanged = true;
    m_seenGeneration = m_connection.generation();
    takeNotifications();
    const bool changed = m_changed;
    m_changed = false;
    return changed;
}

bool PostgresStorage::sourcesMayHaveChanged(bool targetsChanged)
{
    Q_UNUSED(targetsChanged); // a channel of their own: registrations and logins leave them alone
    if (m_role == Role::Worker)
        return true;
    const bool changed = m_sourcesChanged;
    m_sourcesChanged = false;
    return changed;
}

void PostgresStorage::takeNotifications()
{
    PGconn *conn = m_connection.handle();
    if (m_watch)
        m_watch->follow(conn ? PQsocket(conn) : -1, m_connection.generation()); // a new socket after a reconnect
    if (!conn)
        return;
    if (!PQconsumeInput(conn)) {
        qCWarning(lcStorage).noquote() << "PostgreSQL connection:" << m_connection.lastErrorMessage();
        if (m_watch)
            m_watch->follow(-1, m_connection.generation()); // a dead socket stays readable
        if (m_reconnector)
            m_reconnector->connectionLost(); // else only the next statement would connect again
        return;
    }
    const QByteArray mine = nodeChannel(claimer()).toUtf8();
    const QByteArray frames = feedChannel(FeedChannel::Frames).toUtf8();
    const QByteArray watchers = feedChannel(FeedChannel::Watchers).toUtf8();
    QStringList handedOver;
    QStringList withdrawn;
    QList<std::pair<FeedChannel, QByteArray>> feed;
    while (PGnotify *notify = PQnotifies(conn)) {
        if (mine == notify->relname) {
            const QString payload = QString::fromUtf8(notify->extra);
            if (payload.startsWith(WithdrawNotice))
                withdrawn.append(payload.mid(WithdrawNotice.size()));
            else
                handedOver.append(payload);
        }
        else if (frames == notify->relname)
            feed.append({FeedChannel::Frames, QByteArray(notify->extra)});
        else if (watchers == notify->relname)
            feed.append({FeedChannel::Watchers, QByteArray(notify->extra)});
        else if (qstrcmp(notify->relname, "herald_sources") == 0)
            m_sourcesChanged = true;
        else
            m_changed = true;
        PQfreemem(notify);
    }
    // Not from inside whatever read took them (an event's targets, say).
    const auto passOn = [this](const std::function<void(const QString &)> &receiver, const QStringList &ids) {
        if (ids.isEmpty() || !receiver || !m_watch)
            return;
        QMetaObject::invokeMethod(
            m_watch.get(),
            [receiver, ids] {
                for (const QString &id : ids)
                    receiver(id);
            },
            Qt::QueuedConnection);
    };
    passOn(m_handOverReceiver, handedOver);
    passOn(m_withdrawReceiver, withdrawn);
    if (!feed.isEmpty() && m_feedReceiver && m_watch) {
        QMetaObject::invokeMethod(
            m_watch.get(),
            [receiver = m_feedReceiver, feed] {
                for (const auto &[channel, payload] : feed)
                    receiver(channel, payload);
            },
            Qt::QueuedConnection);
    }
}

void PostgresStorage::setHandOverReceiver(std::function<void(const QString &deliveryId)> receiver)
{
    if (m_role != Role::Main)
        return;
    m_handOverReceiver = std::move(receiver);
    updateWatch();
}

void PostgresStorage::setWithdrawReceiver(std::function<void(const QString &deliveryId)> receiver)
{
    if (m_role != Role::Main)
        return;
    m_withdrawReceiver = std::move(receiver);
    updateWatch();
}

void PostgresStorage::updateWatch()
{
    if (!m_handOverReceiver && !m_feedReceiver && !m_withdrawReceiver) {
        m_reconnector.reset();
        m_watch.reset();
        return;
    }
    if (m_watch)
        return;
    m_watch = std::make_unique<PgNotificationWatch>([this] { takeNotifications(); });
    m_reconnector = std::make_unique<PgReconnector>(m_connection, [this] { takeNotifications(); });
    PGconn *conn = m_connection.handle();
    m_watch->follow(conn ? PQsocket(conn) : -1, m_connection.generation());
}

QString PostgresStorage::feedChannel(FeedChannel channel)
{
    return channel == FeedChannel::Frames ? QStringLiteral("herald_feed") : QStringLiteral("herald_feed_watch");
}

bool PostgresStorage::notifyFeed(FeedChannel channel, const QByteArray &payload)
{
    QueryLease q(*this);
    return run(q, QStringLiteral("notify_node"),
               {{QStringLiteral("channel"), feedChannel(channel)}, {QStringLiteral("payload"), QString::fromUtf8(payload)}});
}

void PostgresStorage::setFeedReceiver(std::function<void(FeedChannel channel, const QByteArray &payload)> receiver)
{
    if (m_role != Role::Main)
        return;
    m_feedReceiver = std::move(receiver);
    const QString listen = QStringLiteral("LISTEN ") + feedChannel(FeedChannel::Watchers);
    QString error;
    if (m_feedReceiver && !m_listensToFeedWatchers) {
        m_listensToFeedWatchers = m_connection.addSessionSetup(listen, &error);
        if (!m_listensToFeedWatchers)
            qCWarning(lcStorage).noquote() << "cannot listen for the live feed of other nodes:" << error;
    } else if (!m_feedReceiver) {
        listenToFeedFrames(false);
        if (std::exchange(m_listensToFeedWatchers, false) &&
            !m_connection.dropSessionSetup(listen, QStringLiteral("UN") + listen, &error))
            qCWarning(lcStorage).noquote() << "cannot stop listening for the live feed of other nodes:" << error;
    }
    updateWatch();
}

bool PostgresStorage::listenToFeedFrames(bool on)
{
    if (m_role != Role::Main || on == m_listensToFeedFrames)
        return true;
    const QString listen = QStringLiteral("LISTEN ") + feedChannel(FeedChannel::Frames);
    QString error;
    const bool ok = on ? m_connection.addSessionSetup(listen, &error)
                       : m_connection.dropSessionSetup(listen, QStringLiteral("UN") + listen, &error);
    if (!ok) {
        m_lastError = error;
        // Off stays off: dropped from the set-up, so the next reconnect forgets the LISTEN anyway.
        m_listensToFeedFrames = false;
        return false;
    }
    m_listensToFeedFrames = on;
    return true;
}

bool PostgresStorage::notifyNode(const QString &toClaimer, const QString &deliveryId)
{
    // Inside the hand-over's transaction: PostgreSQL sends it when that commits, and not at all
    // when it rolls back.
    QueryLease q(*this);
    return run(q, QStringLiteral("notify_node"),
               {{QStringLiteral("channel"), nodeChannel(toClaimer)}, {QStringLiteral("payload"), deliveryId}});
}

} // namespace herald
