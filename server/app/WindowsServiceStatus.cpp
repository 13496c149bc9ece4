#include "app/WindowsServiceStatus.h"

#include "winservice/WindowsServiceHost.h"

namespace herald {

void WindowsServiceStatus::ready(const QString &)
{
    win::WindowsServiceHost::reportRunning();
}

void WindowsServiceStatus::reloading()
{
}

void WindowsServiceStatus::stopping()
{
    win::WindowsServiceHost::reportStopping();
}

} // namespace herald
