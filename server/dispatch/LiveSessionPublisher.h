#pragma once

#include "presence/Presence.h"

#include <QHash>
#include <QObject>
#include <QString>

namespace herald {

class PresenceTracker;
class Storage;

// Tells the other nodes of a cluster which session channels this run holds and which app each
// shows in the foreground (Storage::setLiveSession, the live_sessions table), so that an event
// arriving elsewhere is handed here for in-band delivery. Writes go through the background writer,
// one per change of a session's foreground app (not per ping). Only where nodes can message each
// other (Storage::canMessageNodes(): PostgreSQL); on one SQLite file there is no other node.
class LiveSessionPublisher : public QObject
{
    Q_OBJECT
public:
    LiveSessionPublisher(Storage &storage, PresenceTracker &presence, QObject *parent = nullptr);

private:
    void onPresenceChanged(qint64 deviceId, const QString &app, Presence presence);
    void publish(qint64 deviceId, const QString &foregroundApp);
    void drop(qint64 deviceId);

    Storage &m_storage;
    QHash<qint64, QString> m_foreground; // device -> the app published as in the foreground ("" none)
};

} // namespace herald
