#pragma once

#include "storage/Durability.h"
#include "storage/SqlStorage.h"
#include "storage/postgresql/PgConnection.h"
#include "storage/postgresql/PgNotificationWatch.h"
#include "storage/postgresql/PgReconnector.h"

#include <QStringList>

#include <memory>

namespace herald {

// The networked engine ([database] backend = postgresql): SqlStorage's operations over one libpq
// connection, with resources/sql/postgresql/. Every statement outside transaction() commits on
// its own: a write on this connection has committed when its call returns.
// With group commit on (the server's write mode), writeInBackground() runs on a second connection
// on a thread of its own (BackgroundWriter): the outbox's writes cost the event loop no round
// trips, and each batch of them shares one COMMIT. whenDurable() then waits for every background
// write submitted before it, and readInBackground() runs on readingConnections() more connections,
// so that the reads requests wait for cost the event loop no round trips either. Durability::Process maps to synchronous_commit=off (a commit survives
// Herald being killed, the database server must stay up), Power to on.
// Other connections' changes to event targets arrive as NOTIFY herald_targets, to sources as NOTIFY
// herald_sources (schema triggers), and deliveries other runs hand to this one as NOTIFY
// "herald_node_<claimer>" (the run's channel). The admin live feed crosses nodes on the shared
// channels herald_feed_watch and herald_feed (Storage::FeedChannel).
class PostgresStorage : public SqlStorage
{
public:
    // A Worker connection serves BackgroundWriter or BackgroundReaders: it does not LISTEN (nobody
    // would read the notifications) and keeps no cached targets.
    enum class Role { Main, Worker };

    explicit PostgresStorage(const PgConnectOptions &options, Durability durability = Durability::Process,
                             Role role = Role::Main);
    ~PostgresStorage() override;

    bool open(QString *error) override;
    void close() override;
    void setGroupCommit(bool on) override;
    void whenDurable(std::function<void(bool ok)> done) override;
    bool canMessageNodes() const override { return true; }
    void setHandOverReceiver(std::function<void(const QString &deliveryId)> receiver) override;
    void setWithdrawReceiver(std::function<void(const QString &deliveryId)> receiver) override;
    bool notifyFeed(FeedChannel channel, const QByteArray &payload) override;
    void setFeedReceiver(std::function<void(FeedChannel channel, const QByteArray &payload)> receiver) override;
    bool listenToFeedFrames(bool on) override;

protected:
    std::unique_ptr<SqlQuery> createQuery() override;
    bool execScript(const QString &sql, QString *error) override;
    bool targetsMayHaveChanged() override;
    bool sourcesMayHaveChanged(bool targetsChanged) override;
    void noteRollback() override { m_changed = m_sourcesChanged = true; }
    QString claimBeginStatement() const override { return QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ"); }

private:
    bool notifyNode(const QString &toClaimer, const QString &deliveryId) override;
    static QString nodeChannel(const QString &claimer) { return QStringLiteral("herald_node_") + claimer; }
    static QString feedChannel(FeedChannel channel);
    // The socket watch runs while anything is to be received: hand-overs or feed notices.
    void updateWatch();
    // Takes the notifications that arrived: target and source changes set m_changed and
    // m_sourcesChanged; deliveries handed to this run go to the receiver on a later pass of the
    // event loop.
    void takeNotifications();

    PgConnectOptions m_options;
    Durability m_durability;
    Role m_role;
    PgConnection m_connection;
    bool m_changed = true;        // NOTIFY herald_targets seen: cached event targets may be stale
    bool m_sourcesChanged = true; // NOTIFY herald_sources seen (schema 16): cached source tokens may be stale
    int m_seenGeneration = 0;
    std::function<void(const QString &)> m_handOverReceiver;
    std::function<void(const QString &)> m_withdrawReceiver;
    std::function<void(FeedChannel, const QByteArray &)> m_feedReceiver;
    bool m_listensToFeedWatchers = false;
    bool m_listensToFeedFrames = false;
    std::unique_ptr<PgNotificationWatch> m_watch; // while a receiver is set
    std::unique_ptr<PgReconnector> m_reconnector; // with the watch: its connection runs no statements to notice a loss
};

} // namespace herald
