#include "dispatch/OutboxClaims.h"

#include "dispatch/DispatchLog.h"

#include <QDateTime>
#include <QPointer>
#include <QStringList>

namespace herald {

OutboxClaims::OutboxClaims(Storage &storage, int heartbeatSecs, int timeoutSecs, QObject *parent)
    : QObject(parent), m_storage(storage), m_heartbeatSecs(std::max(1, heartbeatSecs)), m_timeoutSecs(timeoutSecs)
{
    connect(&m_timer, &QTimer::timeout, this, &OutboxClaims::beat);
}

qint64 OutboxClaims::aliveSince() const
{
    return QDateTime::currentMSecsSinceEpoch() - m_timeoutSecs * 1000LL;
}

void OutboxClaims::start()
{
    // This run beats before it claims anything: what it inserts from now on is its own, and no
    // pass of its own may take it back as a stopped run's.
    m_pass = std::make_unique<Pass>();
    struct First
    {
        std::optional<QList<Storage::NodeRun>> live;
        QString error;
    };
    auto first = std::make_shared<First>();
    m_storage.writeInBackground(
        [node = m_storage.nodeName(), report = report(), aliveSince = aliveSince(), first](Storage &s) {
            *first = First{}; // a unit may run twice (see beat())
            if (s.beatNode(node, report))
                first->live = s.liveNodes(aliveSince);
            if (!first->live)
                first->error = s.lastError();
            return first->live.has_value();
        },
        [self = QPointer<OutboxClaims>(this), first](bool ok) {
            if (!self)
                return;
            if (!ok || !first->live) {
                qCCritical(lcDispatch) << "cannot enter this server in the nodes table:" << first->error;
                self->m_pass.reset();
                return;
            }
            self->noteLiveNodes(*first->live);
            self->m_timer.start(self->m_heartbeatSecs * 1000);
            self->m_pass->aliveSinceMs = self->aliveSince();
            self->claimPage();
        });
}

void OutboxClaims::beat()
{
    if (m_beating)
        return; // the last one has not come back yet: the database is slow, do not pile up
    m_beating = true;
    struct Beat
    {
        bool beaten = false;
        std::optional<QList<Storage::NodeRun>> stale;
        std::optional<QList<Storage::NodeRun>> live;
        std::optional<QStringList> stranded;
        QString error;
    };
    auto result = std::make_shared<Beat>();
    const bool lookForStranded = m_storage.canMessageNodes();
    const qint64 untouchedSince = QDateTime::currentMSecsSinceEpoch() - 2LL * m_heartbeatSecs * 1000;
    m_storage.writeInBackground(
        [node = m_storage.nodeName(), report = report(), aliveSince = aliveSince(), result, lookForStranded,
         untouchedSince](Storage &s) {
            // A failed statement fails the unit (PostgreSQL aborts the transaction around it). The
            // unit may run twice (a batch is run again when another unit of it fails): start afresh.
            *result = Beat{};
            result->beaten = s.beatNode(node, report);
            if (result->beaten)
                result->stale = s.staleNodes(aliveSince);
            if (result->stale)
                result->live = s.liveNodes(aliveSince);
            if (result->live)
                result->stranded = lookForStranded ? s.strandedDeliveries(untouchedSince, MaxStranded) : QStringList();
            if (!result->stranded)
                result->error = s.lastError();
            return result->stranded.has_value();
        },
        [self = QPointer<OutboxClaims>(this), result](bool) {
            if (!self)
                return;
            self->m_beating = false;
            if (!result->beaten) {
                qCWarning(lcDispatch) << "cannot write this server's heartbeat:" << result->error;
                return;
            }
            if (!result->live) {
                qCWarning(lcDispatch) << "cannot read the nodes table:" << result->error;
                return;
            }
            self->noteLiveNodes(*result->live);
            if (result->stranded && !result->stranded->isEmpty())
                Q_EMIT self->strandedFound(*result->stranded);
            if (self->m_pass || result->stale->isEmpty())
                return; // a pass under way sees their rows too
            QStringList names;
            for (const Storage::NodeRun &node : std::as_const(*result->stale))
                names.append(node.node);
            qCInfo(lcDispatch).noquote() << "taking over the unfinished deliveries of stopped server(s):"
                                         << names.join(QStringLiteral(", "));
            self->startPass(*result->stale);
        });
}

void OutboxClaims::noteLiveNodes(const QList<Storage::NodeRun> &live)
{
    auto names = [](const QList<Storage::NodeRun> &runs) {
        QStringList out;
        for (const Storage::NodeRun &run : runs)
            out.append(run.node);
        return out;
    };
    const QStringList now = names(live);
    if (now == names(m_live))
        return;
    m_live = live;
    qCInfo(lcDispatch).noquote() << "nodes alive:" << now.join(QStringLiteral(", "));
}

void OutboxClaims::startPass(QList<Storage::NodeRun> stale)
{
    m_pass = std::make_unique<Pass>();
    m_pass->aliveSinceMs = aliveSince();
    m_pass->stale = std::move(stale);
    claimPage();
}

void OutboxClaims::claimPage()
{
    if (!m_pass)
        return;
    struct Page
    {
        Storage::OpenDeliveryCursor cursor;
        std::optional<QList<DeliveryRecord>> rows;
        QString error;
    };
    auto page = std::make_shared<Page>();
    page->cursor = m_pass->cursor;
    m_storage.writeAloneInBackground(
        [page, aliveSinceMs = m_pass->aliveSinceMs, limit = m_pageSize](Storage &s) {
            page->rows = s.claimOpenDeliveries(&page->cursor, aliveSinceMs, limit);
            if (!page->rows)
                page->error = s.lastError();
            return page->rows.has_value();
        },
        [self = QPointer<OutboxClaims>(this), page](bool ok) {
            if (!self || !self->m_pass)
                return;
            if (!ok || !page->rows) {
                qCCritical(lcDispatch) << "cannot claim unfinished deliveries:"
                                       << (page->error.isEmpty() ? QStringLiteral("commit failed") : page->error);
                self->m_pass.reset();
                return;
            }
            self->m_pass->cursor = page->cursor;
            self->pageDone(*page->rows);
        });
}

void OutboxClaims::pageDone(const QList<DeliveryRecord> &rows)
{
    m_pass->claimed += int(rows.size());
    Q_EMIT pageRead(int(rows.size()));
    if (rows.isEmpty()) {
        // Until a page comes back empty: PostgreSQL's SKIP LOCKED may return a short page with
        // more behind it.
        endPass();
        return;
    }
    Q_EMIT pageClaimed(rows);
    // Once what the receiver wrote for this page is committed (and so its reads of these rows are
    // queued on the writer), on a later pass of the event loop: pages never pile up, and new
    // events, acks and requests are served between them.
    m_storage.whenDurable([self = QPointer<OutboxClaims>(this)](bool) {
        if (self)
            QMetaObject::invokeMethod(self, &OutboxClaims::claimPage, Qt::QueuedConnection);
    });
}

void OutboxClaims::endPass()
{
    const QList<Storage::NodeRun> stale = m_pass->stale;
    const qint64 aliveSinceMs = m_pass->aliveSinceMs;
    const int claimed = m_pass->claimed;
    m_pass.reset();
    if (!stale.isEmpty()) {
        m_storage.writeInBackground(
            [stale, aliveSinceMs](Storage &s) {
                for (const Storage::NodeRun &node : stale) {
                    if (!s.forgetStaleNode(node.claimer, aliveSinceMs))
                        return false;
                }
                return true;
            },
            [](bool ok) {
                if (!ok)
                    qCWarning(lcDispatch) << "cannot drop stopped servers from the nodes table; the next pass tries again";
            });
    }
    if (claimed)
        qCInfo(lcDispatch) << "took over" << claimed << "unfinished deliveries";
    Q_EMIT passFinished(claimed);
}

} // namespace herald
