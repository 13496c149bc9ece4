#pragma once

#include "admin/AdminFeedWatchers.h"
#include "admin/AdminFeedWire.h"
#include "storage/Storage.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

namespace herald {

// The live feed across the nodes of a cluster on one PostgreSQL (docs/architecture.md, "Cluster"):
// this node's frames to the consoles of the others, and theirs to the consoles here.
//
// Two channels every node shares (Storage::FeedChannel, AdminFeedWire for what they carry). On
// Watchers a node with consoles says "on" (at once, then every heartbeat) and "off" when the last
// leaves; a node that starts asks who watches. A node publishes its frames only while another
// watches, so with no console anywhere the feed costs nothing per event. It collects the frames
// of one event-loop pass into as few NOTIFYs as fit and sends them as one unit through the
// background writer: the event loop never waits for them, and they leave in order when the unit
// commits. A node hears Frames only while consoles here follow the feed, takes each run's notices
// in order and once (its sequence numbers), and hands the frames to AdminLiveFeed, which reads the
// names they show and tags them with their node.
class AdminClusterFeed : public QObject
{
    Q_OBJECT
public:
    AdminClusterFeed(Storage &storage, int heartbeatSecs, int timeoutSecs, QObject *parent = nullptr);
    ~AdminClusterFeed() override;

    void start();
    void stop(); // says "off" if consoles here watched, and hears nothing more
    bool othersWatch() const { return !m_watchers.isEmpty(); }
    // A frame made here (names as row ids, "at" set), for the consoles of other nodes.
    void publish(const QJsonObject &frame);
    // Consoles here follow the feed (the first came), or no longer (the last left).
    void setWatching(bool on);

signals:
    void frameArrived(const QJsonObject &frame, const QString &node);

private:
    void received(Storage::FeedChannel channel, const QByteArray &payload);
    void takeWatch(const QByteArray &payload);
    void takeFrames(const QByteArray &payload);
    void flush();
    void beat();
    void announce(AdminFeedWire::WatchWord word);
    void send(Storage::FeedChannel channel, QList<QByteArray> payloads);
    void dropped(const QString &why); // a warning, at most one a minute with the count

    Storage &m_storage;
    const int m_heartbeatMs;
    AdminFeedWatchers m_watchers;
    QTimer m_beat;
    bool m_watching = false;
    QList<QJsonObject> m_outgoing; // this pass's frames
    bool m_flushQueued = false;
    qint64 m_nextSeq = 1;
    QHash<QString, qint64> m_lastSeq; // per run heard from: its notices come in order, each once
    int m_droppedUnlogged = 0;
    QElapsedTimer m_lastDropLog;
};

} // namespace herald
