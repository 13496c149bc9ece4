#pragma once

#include "storage/Records.h"
#include "storage/Storage.h"

#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

namespace herald {

// This run's side of the claimed outbox (Storage.h): its heartbeat in the nodes table, and the
// claim passes that take the unfinished deliveries no live run owns — at start, and whenever
// another run stops beating. Every statement runs on the background writer's connection, so a
// PostgreSQL round trip (or a claim retried after a serialization conflict) never holds up the
// event loop; the claim is a unit alone there, in its own REPEATABLE READ transaction.
//
// A pass claims a page at a time. Each page is handed to pageClaimed(), whose receiver takes the
// rows over at once; the next page is claimed only after what that receiver wrote and scheduled
// for the page is committed, so at most about a page is ever held.
class OutboxClaims : public QObject
{
    Q_OBJECT
public:
    OutboxClaims(Storage &storage, int heartbeatSecs, int timeoutSecs, QObject *parent = nullptr);

    // The first heartbeat, then the first pass; from then on a heartbeat every heartbeatSecs.
    void start();
    bool isClaiming() const { return m_pass != nullptr; }
    void setPageSize(int rows) { m_pageSize = std::max(1, rows); }
    // Whether the last heartbeat saw other runs with a heartbeat within the timeout. A node that
    // joined is known here within one heartbeat interval.
    bool hasOtherLiveNodes() const { return m_live.size() > 1; }
    qint64 aliveSince() const; // a run with no heartbeat since then counts as stopped
    // What each heartbeat reports of this run (Storage::NodeReport), asked on the event loop
    // just before the heartbeat goes to the writer. Without one the report is empty.
    using Reporter = std::function<Storage::NodeReport()>;
    void setReporter(Reporter reporter) { m_reporter = std::move(reporter); }

signals:
    void pageClaimed(const QList<herald::DeliveryRecord> &rows); // take them over now
    // Where nodes hand deliveries over: pending deliveries of this run that nobody wrote for two
    // heartbeats (Storage::strandedDeliveries). The receiver routes the ones it does not hold.
    void strandedFound(const QStringList &deliveryIds);
    void pageRead(int rows);
    void passFinished(int claimed); // the start's pass, and each takeover from a stopped run

private:
    struct Pass
    {
        Storage::OpenDeliveryCursor cursor;
        qint64 aliveSinceMs = 0;          // a run with no heartbeat since then has stopped
        QList<Storage::NodeRun> stale; // dropped from the nodes table once their rows are claimed
        int claimed = 0;
    };
    void beat(); // the heartbeat, and a look for runs that stopped beating
    void startPass(QList<Storage::NodeRun> stale);
    void claimPage();
    void pageDone(const QList<DeliveryRecord> &rows);
    void endPass();
    void noteLiveNodes(const QList<Storage::NodeRun> &live);
    Storage::NodeReport report() const { return m_reporter ? m_reporter() : Storage::NodeReport{}; }

    static constexpr int MaxStranded = 500; // per heartbeat
    Storage &m_storage;
    const int m_heartbeatSecs;
    const int m_timeoutSecs;
    int m_pageSize = 500;
    QTimer m_timer;
    bool m_beating = false;       // a heartbeat unit is on its way
    std::unique_ptr<Pass> m_pass; // while a pass is still claiming pages
    QList<Storage::NodeRun> m_live; // as the last heartbeat read them, this run included
    Reporter m_reporter;
};

} // namespace herald
