#include "presence/PresenceTracker.h"

#include "presence/PresenceLog.h"
#include "presence/TerminalSession.h"
#include "presence/WebSocketConnection.h"

namespace herald {

PresenceTracker::~PresenceTracker()
{
    // The sessions (children, so normally deleted after the members) hold timers on m_timers.
    qDeleteAll(findChildren<TerminalSession *>(Qt::FindDirectChildrenOnly));
}

void PresenceTracker::attach(TerminalSession *session)
{
    const qint64 deviceId = session->deviceId();
    connect(session, &TerminalSession::ready, this, [this, session, deviceId] {
        if (TerminalSession *old = m_sessions.value(deviceId); old && old != session)
            old->close(4000, "replaced by a newer session");
        m_sessions.insert(deviceId, session);
        m_lastActivity.insert(deviceId, QDateTime::currentDateTimeUtc());
        qCInfo(lcPresence) << "device" << deviceId << "connected";
        Q_EMIT sessionReady(deviceId);
    });
    connect(session, &TerminalSession::stateChanged, this, [this, deviceId](const QString &app, Presence p) {
        m_lastActivity.insert(deviceId, QDateTime::currentDateTimeUtc());
        qCDebug(lcPresence) << "device" << deviceId << "app" << app << presenceName(p);
        Q_EMIT presenceChanged(deviceId, app, p);
    });
    connect(session, &TerminalSession::acked, this,
            [this, deviceId](const QString &id) { Q_EMIT acked(deviceId, id); });
    connect(session, &TerminalSession::closed, this, [this, session, deviceId] {
        m_lastActivity.insert(deviceId, session->lastActivity());
        if (m_sessions.value(deviceId) == session) {
            m_sessions.remove(deviceId);
            qCInfo(lcPresence) << "device" << deviceId << "offline";
            for (auto it = session->appStates().cbegin(); it != session->appStates().cend(); ++it)
                Q_EMIT presenceChanged(deviceId, it.key(), Presence::Offline);
            Q_EMIT sessionClosed(deviceId);
        }
        session->deleteLater();
    });
}

Presence PresenceTracker::presence(qint64 deviceId, const QString &app) const
{
    const TerminalSession *s = m_sessions.value(deviceId);
    return s ? s->presence(app) : Presence::Offline;
}

QDateTime PresenceTracker::lastActivity(qint64 deviceId) const
{
    if (const TerminalSession *s = m_sessions.value(deviceId))
        return s->lastActivity();
    return m_lastActivity.value(deviceId);
}

QList<TerminalSession *> PresenceTracker::sessionsOfAccount(qint64 accountId) const
{
    QList<TerminalSession *> out;
    for (TerminalSession *s : m_sessions) {
        if (s->accountId() == accountId)
            out.append(s);
    }
    return out;
}

void PresenceTracker::disconnectDevice(qint64 deviceId, const QByteArray &reason)
{
    if (TerminalSession *s = m_sessions.value(deviceId))
        s->close(4001, reason);
}

} // namespace herald
