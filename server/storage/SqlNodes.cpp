// SqlStorage: the outbox's claims and the heartbeats of the server runs that hold them (nodes).
// Why claims exist, and the rules, are in Storage.h; this file only runs the statements.
#include "storage/SqlStorage.h"

#include "storage/SqlValues.h"
#include "storage/StorageLog.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QThread>

#include <algorithm>
#include <optional>
#include <tuple>

namespace herald {

bool SqlStorage::joinNodes(const QString &node)
{
    m_node = node;
    // One transaction: no moment in which this node's earlier runs are gone and this one is not
    // yet there matters, but a half-done join should not be left behind either.
    return transaction([&] {
        QueryLease drop(*this);
        if (!run(drop, QStringLiteral("delete_node_runs"), {{QStringLiteral("node"), node}}) || !enterNodes(node))
            return false;
        QueryLease orphans(*this); // the sessions the dropped runs held ended with them
        return run(orphans, QStringLiteral("delete_orphan_live_sessions"));
    });
}

bool SqlStorage::enterNodes(const QString &node, const NodeReport &report)
{
    QueryLease enter(*this);
    return run(enter, QStringLiteral("insert_node"),
               {{QStringLiteral("claimer"), m_claimer},
                {QStringLiteral("node"), node},
                {QStringLiteral("now"), QDateTime::currentMSecsSinceEpoch()},
                {QStringLiteral("address"), sqlvalues::text(report.address)},
                {QStringLiteral("version"), sqlvalues::text(report.version)},
                {QStringLiteral("sessions"), report.sessions},
                {QStringLiteral("monitors"), report.monitors},
                {QStringLiteral("activity"), sqlvalues::text(QString::fromUtf8(report.activity))}});
}

bool SqlStorage::beatNode(const QString &node, const NodeReport &report)
{
    {
        QueryLease q(*this);
        if (!run(q, QStringLiteral("update_node_heartbeat"),
                 {{QStringLiteral("now"), QDateTime::currentMSecsSinceEpoch()},
                  {QStringLiteral("claimer"), m_claimer},
                  {QStringLiteral("address"), sqlvalues::text(report.address)},
                  {QStringLiteral("version"), sqlvalues::text(report.version)},
                  {QStringLiteral("sessions"), report.sessions},
                  {QStringLiteral("monitors"), report.monitors},
                  {QStringLiteral("activity"), sqlvalues::text(QString::fromUtf8(report.activity))}}))
            return false;
        if (q.numRowsAffected() == 1)
            return true;
    }
    // Not there: never entered (no joinNodes(), as in tools and tests: the run is its own node),
    // or another run took this one for dead (its heartbeat stalled past the limit) and dropped it,
    // and what it owned may have been taken over. Enter it so that what it owns now stays its own.
    if (node != m_claimer)
        qCWarning(lcStorage) << "this server's heartbeat had stopped long enough for another to drop it;"
                             << "its unfinished deliveries may have been taken over";
    return enterNodes(node.isEmpty() ? m_claimer : node, report);
}

bool SqlStorage::leaveNodes()
{
    return transaction([&] {
        QueryLease sessions(*this);
        if (!run(sessions, QStringLiteral("delete_live_sessions_of_run"), {{QStringLiteral("claimer"), m_claimer}}))
            return false;
        QueryLease logins(*this); // their monitors stopped with this run: free for the others now
        if (!run(logins, QStringLiteral("release_logins_of_run"), {{QStringLiteral("claimer"), m_claimer}}))
            return false;
        QueryLease node(*this);
        return run(node, QStringLiteral("delete_node_run"), {{QStringLiteral("claimer"), m_claimer}});
    });
}

std::optional<QList<Storage::NodeRun>> SqlStorage::nodeRows(const QString &queryName, qint64 aliveSinceMs)
{
    QueryLease q(*this);
    if (!run(q, queryName, {{QStringLiteral("alive_since"), aliveSinceMs}}))
        return std::nullopt;
    QList<NodeRun> rows;
    while (q.next())
        rows.append({q.value(0).toString(), q.value(1).toString()});
    return rows;
}

std::optional<QList<Storage::NodeRun>> SqlStorage::staleNodes(qint64 aliveSinceMs)
{
    return nodeRows(QStringLiteral("select_stale_nodes"), aliveSinceMs);
}

std::optional<QList<Storage::NodeRun>> SqlStorage::liveNodes(qint64 aliveSinceMs)
{
    return nodeRows(QStringLiteral("select_live_nodes"), aliveSinceMs);
}

std::optional<QList<NodeRecord>> SqlStorage::nodes()
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_nodes")))
        return std::nullopt;
    QList<NodeRecord> rows;
    while (q.next()) {
        NodeRecord r;
        r.claimer = q.value(0).toString();
        r.node = q.value(1).toString();
        r.address = q.value(2).toString();
        r.version = q.value(3).toString();
        r.startedAt = sqlvalues::fromMs(q.value(4));
        r.heartbeatAt = sqlvalues::fromMs(q.value(5));
        r.sessions = q.value(6).toInt();
        r.monitors = q.value(7).toInt();
        r.activity = q.value(8).toString().toUtf8();
        rows.append(r);
    }
    return rows;
}

bool SqlStorage::forgetStaleNode(const QString &claimer, qint64 aliveSinceMs)
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("delete_stale_node"),
             {{QStringLiteral("claimer"), claimer}, {QStringLiteral("alive_since"), aliveSinceMs}}))
        return false;
    QueryLease orphans(*this);
    return run(orphans, QStringLiteral("delete_orphan_live_sessions"));
}

bool SqlStorage::setLiveSession(qint64 deviceId, const QString &foregroundApp)
{
    QueryLease q(*this);
    return run(q, QStringLiteral("upsert_live_session"),
               {{QStringLiteral("device_id"), deviceId},
                {QStringLiteral("claimer"), m_claimer},
                {QStringLiteral("foreground_app"), sqlvalues::text(foregroundApp)},
                {QStringLiteral("now"), QDateTime::currentMSecsSinceEpoch()}});
}

bool SqlStorage::dropLiveSession(qint64 deviceId)
{
    QueryLease q(*this);
    return run(q, QStringLiteral("delete_live_session"),
               {{QStringLiteral("device_id"), deviceId}, {QStringLiteral("claimer"), m_claimer}});
}

std::optional<QString> SqlStorage::sessionHolder(qint64 deviceId, const QString &app, qint64 aliveSinceMs)
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_session_holder"),
             {{QStringLiteral("device_id"), deviceId},
              {QStringLiteral("app"), app},
              {QStringLiteral("claimer"), m_claimer},
              {QStringLiteral("alive_since"), aliveSinceMs}}))
        return std::nullopt;
    return q.next() ? q.value(0).toString() : QString();
}

std::optional<QList<Storage::SessionElsewhere>> SqlStorage::sessionsElsewhere(qint64 aliveSinceMs,
                                                                              const QList<qint64> *deviceIds)
{
    SqlParams values{{QStringLiteral("claimer"), m_claimer}, {QStringLiteral("alive_since"), aliveSinceMs}};
    if (deviceIds) {
        QJsonArray ids;
        for (const qint64 id : *deviceIds)
            ids.append(id);
        values.set(QStringLiteral("ids"), QString::fromUtf8(QJsonDocument(ids).toJson(QJsonDocument::Compact)));
    }
    QueryLease q(*this);
    if (!run(q, deviceIds ? QStringLiteral("select_sessions_elsewhere_of") : QStringLiteral("select_sessions_elsewhere"),
             values))
        return std::nullopt;
    QList<SessionElsewhere> rows;
    while (q.next())
        rows.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString()});
    return rows;
}

std::optional<QStringList> SqlStorage::strandedDeliveries(qint64 untouchedSinceMs, int limit)
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("select_stranded_deliveries"),
             {{QStringLiteral("claimer"), m_claimer},
              {QStringLiteral("before"), untouchedSinceMs},
              {QStringLiteral("limit"), limit}}))
        return std::nullopt;
    QStringList ids;
    while (q.next())
        ids.append(q.value(0).toString());
    return ids;
}

std::optional<bool> SqlStorage::handOverDelivery(const QString &deliveryId, const QString &toClaimer)
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("update_delivery_hand_over"),
             {{QStringLiteral("id"), deliveryId}, {QStringLiteral("to"), toClaimer}, {QStringLiteral("claimer"), m_claimer}}))
        return std::nullopt;
    if (q.numRowsAffected() != 1)
        return false;
    if (!notifyNode(toClaimer, deliveryId))
        return std::nullopt;
    return true;
}

std::optional<QList<DeliveryRecord>> SqlStorage::claimOpenDeliveries(OpenDeliveryCursor *cursor, qint64 aliveSinceMs,
                                                                        int limit)
{
    // PostgreSQL at READ COMMITTED would be wrong here. A claim that meets a row another claimer
    // changed after its snapshot re-checks the row's new version (claimed_by = the other run) but
    // reads nodes with the old snapshot, which may predate the other run's entry: the run looks
    // dead and the row is taken twice. REPEATABLE READ fails such a claim instead (SQLSTATE
    // 40001), and it is run again on a fresh snapshot. Rows another transaction still holds are
    // skipped either way (SKIP LOCKED). tst_storageengines caught the double claim.
    std::optional<QList<DeliveryRecord>> rows;
    const OpenDeliveryCursor before = *cursor;
    const bool ok = runClaim([&](bool *conflicted) {
        *cursor = before; // an attempt rolled back claimed nothing of its page
        rows = claimPage(cursor, aliveSinceMs, limit, conflicted);
        return rows.has_value();
    });
    if (!ok)
        *cursor = before;
    return ok ? rows : std::nullopt;
}

bool SqlStorage::runClaim(const std::function<bool(bool *conflicted)> &claim)
{
    const QString begin = claimBeginStatement();
    if (begin.isEmpty() || m_transactionDepth > 0 || groupCommitting()) {
        bool conflicted = false;
        return claim(&conflicted);
    }
    constexpr int MaxAttempts = 20;
    for (int attempt = 1;; ++attempt) {
        bool conflicted = false;
        if (inTransaction(begin, [&] { return claim(&conflicted); }))
            return true;
        if (!conflicted || attempt == MaxAttempts)
            return false;
        // Two claimers walking the same front of the queue fail each other again and again when
        // they retry in step (CI saw 20 immediate attempts all fail under load). A short random
        // pause lets one get ahead; only claimers racing on one database ever get here.
        QThread::usleep(QRandomGenerator::global()->bounded(100u, 1000u * quint32(qMin(attempt, 5)) + 100u));
    }
}

std::optional<QList<DeliveryRecord>> SqlStorage::claimPage(OpenDeliveryCursor *cursor, qint64 aliveSinceMs, int limit,
                                                           bool *conflicted)
{
    QueryLease q(*this);
    if (!run(q, QStringLiteral("claim_open_deliveries"),
             {{QStringLiteral("next_attempt_at"), cursor->nextAttemptAtMs},
              {QStringLiteral("created_at"), cursor->createdAtMs},
              {QStringLiteral("rowid"), cursor->rowId},
              {QStringLiteral("alive_since"), aliveSinceMs},
              {QStringLiteral("limit"), limit},
              {QStringLiteral("claimer"), m_claimer}})) {
        *conflicted = q.conflicted();
        return std::nullopt;
    }
    // UPDATE … RETURNING gives the rows in no promised order: sort them by the raw column values
    // (what the cursor compares, exactly as stored) and move the cursor to the last.
    struct Claimed
    {
        std::tuple<qint64, qint64, qint64> key;
        DeliveryRecord delivery;
    };
    QList<Claimed> claimed;
    QString error;
    std::optional<std::tuple<qint64, qint64, qint64>> last; // over every claimed row, readable or not
    while (q.next()) {
        Claimed c;
        c.key = {q.value(6).toLongLong(), q.value(9).toLongLong(), q.value(11).toLongLong()};
        if (deliveryFromRow(q, &c.delivery, &error))
            claimed.append(c);
        else
            rowError(error); // this version cannot push it: logged, left out, the rest go on
        last = last ? std::max(*last, c.key) : c.key;
    }
    std::sort(claimed.begin(), claimed.end(), [](const Claimed &a, const Claimed &b) { return a.key < b.key; });
    if (last)
        std::tie(cursor->nextAttemptAtMs, cursor->createdAtMs, cursor->rowId) = *last;
    QList<DeliveryRecord> rows;
    rows.reserve(claimed.size());
    for (const Claimed &c : std::as_const(claimed))
        rows.append(c.delivery);
    return rows;
}

} // namespace herald
