#pragma once

#include "presence/Presence.h"
#include "timing/TimerWheel.h"

#include <QDateTime>
#include <QHash>
#include <QObject>

namespace herald {

class TerminalSession;

// Who is connected and which app is on which screen. One live session per device: a newer one
// replaces an older (the terminal reconnected before the old one timed out).
class PresenceTracker : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~PresenceTracker() override;

    // The sessions' silence timers: one wheel for all of them, not a QTimer each.
    TimerWheel &timers() { return m_timers; }

    void attach(TerminalSession *session);
    TerminalSession *session(qint64 deviceId) const { return m_sessions.value(deviceId); }
    Presence presence(qint64 deviceId, const QString &app) const;
    // The last frame heard from the device this run (invalid if none).
    QDateTime lastActivity(qint64 deviceId) const;
    QList<TerminalSession *> sessionsOfAccount(qint64 accountId) const;
    int sessionCount() const { return int(m_sessions.size()); }
    QList<TerminalSession *> sessions() const { return m_sessions.values(); }
    // Ends the device's session (token revoked or replaced, device removed).
    void disconnectDevice(qint64 deviceId, const QByteArray &reason);

signals:
    void presenceChanged(qint64 deviceId, const QString &app, herald::Presence presence);
    void sessionReady(qint64 deviceId);
    void sessionClosed(qint64 deviceId);
    void acked(qint64 deviceId, const QString &notificationId);

private:
    TimerWheel m_timers{250, 1024}; // 250 ms ticks, ~4 min a revolution: silences are 2 x heartbeat
    QHash<qint64, TerminalSession *> m_sessions;
    QHash<qint64, QDateTime> m_lastActivity; // survives the session, for the "latest device" policy
};

} // namespace herald
