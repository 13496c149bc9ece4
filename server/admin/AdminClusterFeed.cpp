#include "admin/AdminClusterFeed.h"

#include "admin/AdminLog.h"

#include <QDateTime>
#include <QPointer>

namespace herald {

using AdminFeedWire::WatchWord;
using FeedChannel = Storage::FeedChannel;

AdminClusterFeed::AdminClusterFeed(Storage &storage, int heartbeatSecs, int timeoutSecs, QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_heartbeatMs(heartbeatSecs * 1000)
    , m_watchers(qint64(timeoutSecs) * 1000)
{
    m_beat.setInterval(m_heartbeatMs);
    connect(&m_beat, &QTimer::timeout, this, &AdminClusterFeed::beat);
}

AdminClusterFeed::~AdminClusterFeed() = default;

void AdminClusterFeed::start()
{
    m_storage.setFeedReceiver([guard = QPointer<AdminClusterFeed>(this)](FeedChannel channel, const QByteArray &payload) {
        if (guard)
            guard->received(channel, payload);
    });
    m_beat.start();
    // Consoles that already follow the feed elsewhere answer "on": this node's frames reach them
    // from the start instead of after their next heartbeat.
    announce(WatchWord::Ask);
}

void AdminClusterFeed::stop()
{
    m_beat.stop();
    if (m_watching)
        announce(WatchWord::Off);
    m_watching = false;
    m_storage.setFeedReceiver({});
}

void AdminClusterFeed::setWatching(bool on)
{
    if (on == m_watching)
        return;
    m_watching = on;
    if (on) {
        // Listening first: once the others hear "on" they publish, and nothing may be missed.
        if (!m_storage.listenToFeedFrames(true))
            qCWarning(lcAdmin).noquote() << "cannot follow the live feed of the other nodes:" << m_storage.lastError();
        announce(WatchWord::On);
        return;
    }
    announce(WatchWord::Off);
    if (!m_storage.listenToFeedFrames(false))
        qCWarning(lcAdmin).noquote() << "cannot stop following the live feed of the other nodes:" << m_storage.lastError();
    m_lastSeq.clear();
}

void AdminClusterFeed::publish(const QJsonObject &frame)
{
    m_outgoing.append(frame);
    if (!m_flushQueued) {
        m_flushQueued = true;
        QMetaObject::invokeMethod(this, &AdminClusterFeed::flush, Qt::QueuedConnection);
    }
}

void AdminClusterFeed::flush()
{
    m_flushQueued = false;
    const QList<QJsonObject> frames = std::exchange(m_outgoing, {});
    if (frames.isEmpty() || !othersWatch())
        return;
    int tooBig = 0;
    QList<QByteArray> payloads =
        AdminFeedWire::encodeFrames(m_storage.nodeName(), m_storage.claimer(), &m_nextSeq, frames, &tooBig);
    if (tooBig > 0)
        qCWarning(lcAdmin) << tooBig << "live feed frame(s) too large for the other nodes were not sent to them";
    send(FeedChannel::Frames, std::move(payloads));
}

void AdminClusterFeed::send(FeedChannel channel, QList<QByteArray> payloads)
{
    if (payloads.isEmpty())
        return;
    m_storage.writeInBackground(
        [channel, payloads](Storage &storage) {
            for (const QByteArray &payload : payloads)
                if (!storage.notifyFeed(channel, payload))
                    return false;
            return true;
        },
        [channel](bool ok) {
            if (!ok)
                qCWarning(lcAdmin) << "cannot tell the other nodes"
                                   << (channel == FeedChannel::Frames ? "this node's live feed frames"
                                                                      : "whether consoles follow the feed here");
        });
}

void AdminClusterFeed::announce(WatchWord word)
{
    send(FeedChannel::Watchers, {AdminFeedWire::encodeWatch(word, m_storage.claimer(), m_storage.nodeName())});
}

void AdminClusterFeed::beat()
{
    if (m_watching)
        announce(WatchWord::On);
    const QStringList gone = m_watchers.prune(QDateTime::currentMSecsSinceEpoch());
    if (!gone.isEmpty()) // stopped without a word, or its "off" was lost
        qCInfo(lcAdmin).noquote() << "no word for too long from the live feed's consoles on"
                                  << gone.join(QStringLiteral(", ")) << "- no more frames go there";
}

void AdminClusterFeed::received(FeedChannel channel, const QByteArray &payload)
{
    if (channel == FeedChannel::Watchers)
        takeWatch(payload);
    else
        takeFrames(payload);
}

void AdminClusterFeed::takeWatch(const QByteArray &payload)
{
    QString why;
    const auto notice = AdminFeedWire::decodeWatch(payload, &why);
    if (!notice) {
        dropped(why);
        return;
    }
    if (notice->run == m_storage.claimer())
        return; // our own, heard back
    switch (notice->word) {
    case WatchWord::On:
        switch (m_watchers.heard(notice->run, notice->node, QDateTime::currentMSecsSinceEpoch())) {
        case AdminFeedWatchers::Heard::New:
            qCInfo(lcAdmin).noquote() << "consoles on node" << notice->node
                                      << "follow the live feed: this node's frames go there too";
            break;
        case AdminFeedWatchers::Heard::Again:
            break;
        case AdminFeedWatchers::Heard::Refused:
            dropped(QStringLiteral("more watching runs than a cluster has"));
            break;
        }
        break;
    case WatchWord::Off:
        if (m_watchers.left(notice->run))
            qCInfo(lcAdmin).noquote() << "no console on node" << notice->node << "follows the live feed any more";
        break;
    case WatchWord::Ask:
        if (m_watching)
            announce(WatchWord::On);
        break;
    }
}

void AdminClusterFeed::takeFrames(const QByteArray &payload)
{
    if (!m_watching)
        return; // heard between the last console leaving and UNLISTEN
    QString why;
    const auto notice = AdminFeedWire::decodeFrames(payload, &why);
    if (!notice) {
        dropped(why);
        return;
    }
    if (notice->run == m_storage.claimer())
        return; // this node's own: its consoles had them first-hand
    const auto last = m_lastSeq.find(notice->run);
    if (last == m_lastSeq.end()) {
        if (m_lastSeq.size() >= AdminFeedWatchers::MaxRuns)
            m_lastSeq.clear(); // bounded; at worst a gap goes unnoticed
        m_lastSeq.insert(notice->run, notice->seq);
    } else if (notice->seq <= *last) {
        dropped(QStringLiteral("notice %1 of node %2 came again or out of order").arg(notice->seq).arg(notice->node));
        return;
    } else {
        if (notice->seq > *last + 1)
            qCWarning(lcAdmin).noquote() << "missed" << notice->seq - *last - 1 << "live feed notice(s) of node"
                                         << notice->node << "(this connection to the database was lost meanwhile?)";
        *last = notice->seq;
    }
    for (const QJsonObject &frame : notice->frames)
        emit frameArrived(frame, notice->node);
}

void AdminClusterFeed::dropped(const QString &why)
{
    // A channel anyone on the database may write to: a flood of garbage must not flood the log.
    if (m_lastDropLog.isValid() && m_lastDropLog.elapsed() < 60'000) {
        ++m_droppedUnlogged;
        return;
    }
    if (m_droppedUnlogged > 0)
        qCWarning(lcAdmin).noquote() << "dropped a live feed notice from the database:" << why << "(and"
                                     << m_droppedUnlogged << "more in the last minute)";
    else
        qCWarning(lcAdmin).noquote() << "dropped a live feed notice from the database:" << why;
    m_droppedUnlogged = 0;
    m_lastDropLog.start();
}

} // namespace herald
