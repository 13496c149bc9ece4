#include "WindowsServiceHost.h"

#include "WindowsServiceControl.h"

#include <windows.h>

namespace herald::win {
namespace {

// ServiceMain and the control handler are plain C callbacks: what they share lives here.
struct HostState
{
    std::wstring name;
    std::function<void()> onStop;
    SERVICE_STATUS_HANDLE handle = nullptr;
    SERVICE_STATUS status = {};
    CRITICAL_SECTION lock;
    HANDLE mainEntered = nullptr; // ServiceMain runs, or the dispatcher gave up
    HANDLE released = nullptr;    // reportStopped(): ServiceMain may return
    HANDLE dispatcher = nullptr;
    DWORD dispatcherError = 0;
    bool stopRequested = false;

    HostState() { InitializeCriticalSection(&lock); }
};

HostState &host()
{
    static HostState state;
    return state;
}

void setState(DWORD state, DWORD waitHintMs, int exitCode = 0)
{
    HostState &h = host();
    EnterCriticalSection(&h.lock);
    h.status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    h.status.dwCurrentState = state;
    h.status.dwControlsAccepted =
        state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0;
    h.status.dwWin32ExitCode = exitCode == 0 ? NO_ERROR : ERROR_SERVICE_SPECIFIC_ERROR;
    h.status.dwServiceSpecificExitCode = DWORD(exitCode);
    h.status.dwWaitHint = waitHintMs;
    h.status.dwCheckPoint = (state == SERVICE_RUNNING || state == SERVICE_STOPPED) ? 0 : h.status.dwCheckPoint + 1;
    if (h.handle)
        SetServiceStatus(h.handle, &h.status);
    LeaveCriticalSection(&h.lock);
}

DWORD WINAPI controlHandler(DWORD control, DWORD, void *, void *)
{
    HostState &h = host();
    switch (control) {
    case SERVICE_CONTROL_STOP:
    case SERVICE_CONTROL_SHUTDOWN: {
        EnterCriticalSection(&h.lock);
        const bool first = !h.stopRequested;
        h.stopRequested = true;
        LeaveCriticalSection(&h.lock);
        // Stop and shutdown are one request: the first is passed on, repeats only re-report.
        setState(SERVICE_STOP_PENDING, 30000);
        if (first && h.onStop)
            h.onStop();
        return NO_ERROR;
    }
    case SERVICE_CONTROL_INTERROGATE:
        EnterCriticalSection(&h.lock);
        if (h.handle)
            SetServiceStatus(h.handle, &h.status);
        LeaveCriticalSection(&h.lock);
        return NO_ERROR;
    default:
        return ERROR_CALL_NOT_IMPLEMENTED;
    }
}

void WINAPI serviceMain(DWORD, LPWSTR *)
{
    HostState &h = host();
    h.handle = RegisterServiceCtrlHandlerExW(h.name.c_str(), controlHandler, nullptr);
    if (!h.handle) {
        h.dispatcherError = GetLastError();
        SetEvent(h.mainEntered);
        return;
    }
    // Opening storage and the listener can take a while on a cold machine: ask for a minute.
    setState(SERVICE_START_PENDING, 60000);
    SetEvent(h.mainEntered);
    // Returning ends the service for the SCM: wait until the server has really stopped.
    WaitForSingleObject(h.released, INFINITE);
}

DWORD WINAPI dispatcherThread(void *)
{
    HostState &h = host();
    SERVICE_TABLE_ENTRYW table[] = {{const_cast<LPWSTR>(h.name.c_str()), serviceMain}, {nullptr, nullptr}};
    if (!StartServiceCtrlDispatcherW(table)) {
        h.dispatcherError = GetLastError();
        SetEvent(h.mainEntered);
    }
    return 0;
}

} // namespace

WindowsServiceHost::Connect WindowsServiceHost::connect(const std::wstring &name, std::function<void()> onStop,
                                                        std::string *error)
{
    HostState &h = host();
    h.name = name;
    h.onStop = std::move(onStop);
    h.mainEntered = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    h.released = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    h.dispatcher = CreateThread(nullptr, 0, dispatcherThread, nullptr, 0, nullptr);
    if (!h.mainEntered || !h.released || !h.dispatcher) {
        *error = WindowsServiceControl::errorText("cannot start the service dispatcher", GetLastError());
        return Connect::Failed;
    }
    WaitForSingleObject(h.mainEntered, INFINITE);
    if (h.dispatcherError == 0)
        return Connect::Service;
    WaitForSingleObject(h.dispatcher, INFINITE);
    CloseHandle(h.dispatcher);
    h.dispatcher = nullptr;
    if (h.dispatcherError == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT)
        return Connect::NotAService;
    *error = WindowsServiceControl::errorText("cannot connect to the service control manager", h.dispatcherError);
    return Connect::Failed;
}

bool WindowsServiceHost::connected()
{
    return host().handle != nullptr;
}

void WindowsServiceHost::reportRunning()
{
    if (connected())
        setState(SERVICE_RUNNING, 0);
}

void WindowsServiceHost::reportStopping()
{
    if (connected())
        setState(SERVICE_STOP_PENDING, 30000);
}

void WindowsServiceHost::reportStopped(int exitCode)
{
    HostState &h = host();
    if (!connected())
        return;
    setState(SERVICE_STOPPED, 0, exitCode);
    SetEvent(h.released);
    // The dispatcher returns once ServiceMain has: after that the SCM has seen everything.
    WaitForSingleObject(h.dispatcher, 10000);
    CloseHandle(h.dispatcher);
    h.dispatcher = nullptr;
    h.handle = nullptr;
}

} // namespace herald::win
