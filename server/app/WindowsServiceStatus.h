#pragma once

#include "app/ServiceStatus.h"

namespace herald {

// ServiceStatus for the Windows Service Control Manager (Windows builds only): passes the
// server's life on to server/winservice's WindowsServiceHost, which speaks to the SCM.
class WindowsServiceStatus : public ServiceStatus
{
public:
    void ready(const QString &status) override;
    void reloading() override;
    void stopping() override;
};

} // namespace herald
