#pragma once

#include <QString>

namespace herald {

// What a service manager is told about the server's life: systemd's sd_notify on Linux
// (SystemdNotifier), the Service Control Manager on Windows (WindowsServiceStatus). serve() in
// main.cpp reports through this and stays the same on both.
class ServiceStatus
{
public:
    virtual ~ServiceStatus() = default;
    virtual void ready(const QString &status) = 0; // listening, storage open
    virtual void reloading() = 0;                  // SIGHUP received; ready() follows when done
    virtual void stopping() = 0;                   // shutdown begins
};

} // namespace herald
