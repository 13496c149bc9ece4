#pragma once

#include "app/ServiceStatus.h"

#include <QObject>
#include <QTimer>

namespace herald {

// Tells systemd how the service is doing (sd_notify): READY=1 once the listener is up and storage
// open, RELOADING=1/READY=1 around a reload, STOPPING=1 on shutdown, and WATCHDOG=1 at half the
// unit's WatchdogSec= from the event loop, so a loop that is stuck stops the pings and systemd
// restarts the service. Without NOTIFY_SOCKET (not started by systemd) or without libsystemd at
// build time (HERALD_WITH_SYSTEMD off) every call does nothing.
class SystemdNotifier : public QObject, public ServiceStatus
{
    Q_OBJECT
public:
    explicit SystemdNotifier(QObject *parent = nullptr);

    static bool compiledIn();
    void ready(const QString &status) override;
    void reloading() override;
    void stopping() override;
    // The ping interval in use (0: no watchdog asked for), for logs and tests.
    int watchdogIntervalMs() const { return m_watchdog.isActive() ? m_watchdog.interval() : 0; }

private:
    static void send(const QByteArray &state);
    QTimer m_watchdog;
};

} // namespace herald
