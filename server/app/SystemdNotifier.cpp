#include "app/SystemdNotifier.h"

#include "app/AppLog.h"

#ifdef HERALD_WITH_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

namespace herald {

SystemdNotifier::SystemdNotifier(QObject *parent)
    : QObject(parent)
{
    // The ping must come from the event loop itself: a timer there stops firing when the loop hangs.
    m_watchdog.setTimerType(Qt::CoarseTimer);
    connect(&m_watchdog, &QTimer::timeout, this, [] { send("WATCHDOG=1"); });
}

bool SystemdNotifier::compiledIn()
{
#ifdef HERALD_WITH_SYSTEMD
    return true;
#else
    return false;
#endif
}

void SystemdNotifier::ready(const QString &status)
{
    send("READY=1\nSTATUS=" + status.toUtf8());
#ifdef HERALD_WITH_SYSTEMD
    uint64_t usec = 0;
    // > 0 only when WATCHDOG_USEC is set for this very process (WATCHDOG_PID, if given, matches).
    if (!m_watchdog.isActive() && sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        const qint64 halfMs = qint64(usec / 2000);
        m_watchdog.start(int(qBound(qint64(1), halfMs, qint64(24) * 3600 * 1000)));
        qCInfo(lcApp) << "systemd watchdog: pinging every" << m_watchdog.interval() << "ms";
    }
#endif
}

void SystemdNotifier::reloading()
{
    send("RELOADING=1");
}

void SystemdNotifier::stopping()
{
    m_watchdog.stop();
    send("STOPPING=1");
}

void SystemdNotifier::send(const QByteArray &state)
{
#ifdef HERALD_WITH_SYSTEMD
    // 0 = keep NOTIFY_SOCKET in the environment: later calls (watchdog, stopping) need it too.
    const int rc = sd_notify(0, state.constData());
    if (rc < 0)
        qCWarning(lcApp) << "sd_notify failed:" << rc;
#else
    Q_UNUSED(state);
#endif
}

} // namespace herald
