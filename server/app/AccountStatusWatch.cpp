#include "app/AccountStatusWatch.h"

#include "app/AppLog.h"
#include "monitor/MonitorManager.h"
#include "presence/PresenceTracker.h"
#include "presence/TerminalSession.h"
#include "storage/Storage.h"

namespace herald {

AccountStatusWatch::AccountStatusWatch(Storage &storage, MonitorManager &monitors, PresenceTracker &presence,
                                       QObject *parent)
    : QObject(parent)
    , m_storage(storage)
    , m_monitors(monitors)
    , m_presence(presence)
{
    connect(&m_timer, &QTimer::timeout, this, &AccountStatusWatch::poll);
    // A disabled account's device cannot open a session (DeviceAuthenticator refuses it), but one
    // that authenticated just before the account was disabled may become ready just after.
    connect(&m_presence, &PresenceTracker::sessionReady, this, [this](qint64 deviceId) {
        if (TerminalSession *session = m_presence.session(deviceId); session && m_disabled.contains(session->accountId()))
            m_presence.disconnectDevice(deviceId, "account disabled");
    });
}

void AccountStatusWatch::start(int pollMs)
{
    m_seenChanges = m_storage.targetChangeCount().value_or(-1);
    m_disabled = m_storage.disabledAccountIds().value_or(QSet<qint64>());
    m_timer.start(pollMs);
}

void AccountStatusWatch::poll()
{
    const auto changes = m_storage.targetChangeCount();
    if (!changes || *changes == m_seenChanges)
        return;
    m_seenChanges = *changes;
    check();
}

void AccountStatusWatch::check()
{
    const auto disabled = m_storage.disabledAccountIds();
    if (!disabled) {
        qCWarning(lcApp).noquote() << "cannot read which accounts are disabled:" << m_storage.lastError();
        return;
    }
    for (const qint64 id : *disabled) {
        if (m_disabled.contains(id))
            continue;
        qCInfo(lcApp) << "account" << id << "was disabled: stopping its monitors and sessions";
        m_monitors.suspendAccount(id);
        for (TerminalSession *session : m_presence.sessionsOfAccount(id))
            m_presence.disconnectDevice(session->deviceId(), "account disabled");
    }
    for (const qint64 id : std::as_const(m_disabled)) {
        if (disabled->contains(id))
            continue;
        qCInfo(lcApp) << "account" << id << "was enabled: resuming its monitors";
        m_monitors.resumeAccount(id);
    }
    m_disabled = *disabled;
}

} // namespace herald
