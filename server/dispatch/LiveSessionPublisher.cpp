#include "dispatch/LiveSessionPublisher.h"

#include "dispatch/DispatchLog.h"
#include "presence/PresenceTracker.h"
#include "storage/Storage.h"

namespace herald {

LiveSessionPublisher::LiveSessionPublisher(Storage &storage, PresenceTracker &presence, QObject *parent)
    : QObject(parent), m_storage(storage)
{
    // A new session (a reconnect replaces the old one) starts with no app on screen until its
    // first state frame, whatever the old one said.
    connect(&presence, &PresenceTracker::sessionReady, this, [this](qint64 deviceId) { publish(deviceId, QString()); });
    connect(&presence, &PresenceTracker::presenceChanged, this, &LiveSessionPublisher::onPresenceChanged);
    connect(&presence, &PresenceTracker::sessionClosed, this, &LiveSessionPublisher::drop);
}

void LiveSessionPublisher::onPresenceChanged(qint64 deviceId, const QString &app, Presence presence)
{
    if (presence == Presence::Foreground) {
        publish(deviceId, app);
        return;
    }
    const auto known = m_foreground.constFind(deviceId);
    if (known != m_foreground.cend() && *known == app)
        publish(deviceId, QString()); // the app left the screen; nothing else took it (yet)
}

void LiveSessionPublisher::publish(qint64 deviceId, const QString &foregroundApp)
{
    const auto known = m_foreground.constFind(deviceId);
    if (known != m_foreground.cend() && *known == foregroundApp)
        return;
    m_foreground.insert(deviceId, foregroundApp);
    m_storage.writeInBackground(
        [deviceId, foregroundApp](Storage &storage) { return storage.setLiveSession(deviceId, foregroundApp); },
        [deviceId](bool ok) {
            if (!ok)
                qCWarning(lcDispatch) << "cannot publish the session of device" << deviceId << "to the other nodes";
        });
}

void LiveSessionPublisher::drop(qint64 deviceId)
{
    if (!m_foreground.remove(deviceId))
        return;
    m_storage.writeInBackground([deviceId](Storage &storage) { return storage.dropLiveSession(deviceId); },
                                [deviceId](bool ok) {
                                    if (!ok)
                                        qCWarning(lcDispatch) << "cannot withdraw the session of device" << deviceId
                                                              << "from the other nodes";
                                });
}

} // namespace herald
