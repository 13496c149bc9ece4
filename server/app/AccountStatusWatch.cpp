#include "app/AccountStatusWatch.h"

#include "app/AppLog.h"
#include "monitor/MonitorManager.h"
#include "presence/PresenceTracker.h"
#include "presence/TerminalSession.h"
#include "storage/Storage.h"

#include <QPointer>

#include <memory>
#include <optional>
#include <utility>

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
    read(false);
}

void AccountStatusWatch::check()
{
    // The change that asked for this may still be in the event loop's write batch, which a reading
    // connection does not see: read once it is committed.
    m_storage.whenDurable([guard = QPointer<AccountStatusWatch>(this)](bool) {
        if (guard)
            guard->read(true);
    });
}

void AccountStatusWatch::read(bool evenIfUnchanged)
{
    if (m_reading) {
        m_readAgain = m_readAgain || evenIfUnchanged; // a poll meanwhile has nothing to add
        return;
    }
    m_reading = true;
    struct Read
    {
        std::optional<qint64> changes;
        std::optional<QSet<qint64>> disabled;
        QString error;
    };
    auto found = std::make_shared<Read>();
    m_storage.readInBackground(
        [found, evenIfUnchanged, seen = m_seenChanges](Storage &storage) {
            found->changes = storage.targetChangeCount();
            if (!found->changes) {
                found->error = storage.lastError();
                return;
            }
            if (!evenIfUnchanged && *found->changes == seen)
                return;
            found->disabled = storage.disabledAccountIds();
            if (!found->disabled)
                found->error = storage.lastError();
        },
        [guard = QPointer<AccountStatusWatch>(this), found] {
            if (!guard)
                return;
            guard->m_reading = false;
            if (!found->error.isEmpty())
                qCWarning(lcApp).noquote() << "cannot read which accounts are disabled:" << found->error;
            else if (found->disabled) {
                guard->m_seenChanges = *found->changes; // only once what it stands for is applied
                guard->apply(*found->disabled);
            }
            if (std::exchange(guard->m_readAgain, false))
                guard->read(true);
        });
}

void AccountStatusWatch::apply(const QSet<qint64> &disabled)
{
    for (const qint64 id : disabled) {
        if (m_disabled.contains(id))
            continue;
        qCInfo(lcApp) << "account" << id << "was disabled: stopping its monitors and sessions";
        m_monitors.suspendAccount(id);
        for (TerminalSession *session : m_presence.sessionsOfAccount(id))
            m_presence.disconnectDevice(session->deviceId(), "account disabled");
    }
    for (const qint64 id : std::as_const(m_disabled)) {
        if (disabled.contains(id))
            continue;
        qCInfo(lcApp) << "account" << id << "was enabled: resuming its monitors";
        m_monitors.resumeAccount(id);
    }
    m_disabled = disabled;
}

} // namespace herald
