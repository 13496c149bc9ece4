#include "api/LoginMonitorWait.h"

#include "monitor/MonitorManager.h"

namespace herald {

LoginMonitorWait::LoginMonitorWait(MonitorManager &monitors, qint64 accountId, QStringList apps, int timeoutMs,
                                   std::function<void(bool settled)> done)
    : QObject(&monitors)
    , m_monitors(monitors)
    , m_accountId(accountId)
    , m_apps(std::move(apps))
    , m_done(std::move(done))
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] { finish(allSettled()); });
    connect(&m_monitors, &MonitorManager::monitorStateChanged, this, [this](qint64 accountId, const QString &app) {
        if (accountId == m_accountId && m_apps.contains(app))
            check();
    });
    m_timeout.start(timeoutMs);
    check(); // a monitor may have failed before this existed (no such section)
}

bool LoginMonitorWait::allSettled() const
{
    for (const QString &app : m_apps) {
        const auto status = m_monitors.status(m_accountId, app);
        if (status && !status->settled())
            return false;
    }
    return true;
}

void LoginMonitorWait::check()
{
    if (m_checkQueued || !allSettled())
        return;
    // Answered from the event loop, not from inside the monitor's signal: a failure may be
    // refined right after it is first reported (a failed login is then named auth_failed).
    m_checkQueued = true;
    QMetaObject::invokeMethod(this, [this] { finish(true); }, Qt::QueuedConnection);
}

void LoginMonitorWait::finish(bool settled)
{
    if (!m_done)
        return;
    m_timeout.stop();
    const auto done = std::move(m_done);
    m_done = nullptr;
    done(settled);
    deleteLater();
}

} // namespace herald
