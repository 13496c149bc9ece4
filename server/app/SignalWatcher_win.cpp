#include "app/SignalWatcher.h"

#include <windows.h>

#include <atomic>

namespace herald {
namespace {
std::atomic<SignalWatcher *> g_watcher{nullptr}; // read on Windows' handler threads

// Runs on a thread Windows creates for it: only queue the request.
BOOL WINAPI consoleHandler(DWORD type)
{
    switch (type) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
    case CTRL_CLOSE_EVENT:
    case CTRL_SHUTDOWN_EVENT:
        if (SignalWatcher *watcher = g_watcher.load())
            watcher->requestTerminate(int(type));
        return TRUE;
    default:
        return FALSE;
    }
}
} // namespace

SignalWatcher::SignalWatcher(QObject *parent)
    : QObject(parent)
{
    g_watcher = this;
    SetConsoleCtrlHandler(consoleHandler, TRUE);
}

SignalWatcher::~SignalWatcher()
{
    SetConsoleCtrlHandler(consoleHandler, FALSE);
    g_watcher = nullptr;
}

void SignalWatcher::requestTerminateOfCurrent(int code)
{
    if (SignalWatcher *watcher = g_watcher.load())
        watcher->requestTerminate(code);
}

// Windows has no SIGHUP; reloading there is a service restart (README, "Reloading").
void SignalWatcher::handler(int)
{
}

} // namespace herald
