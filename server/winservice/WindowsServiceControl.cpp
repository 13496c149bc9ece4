#include "WindowsServiceControl.h"

#include <windows.h>

namespace herald::win {
namespace {

// Closes SCM handles on every path out.
struct ScHandle
{
    SC_HANDLE h = nullptr;
    explicit ScHandle(SC_HANDLE handle) : h(handle) {}
    ~ScHandle()
    {
        if (h)
            CloseServiceHandle(h);
    }
    ScHandle(const ScHandle &) = delete;
    ScHandle &operator=(const ScHandle &) = delete;
    explicit operator bool() const { return h != nullptr; }
};

using Result = WindowsServiceControl::Result;

Result fail(const char *what, DWORD error = GetLastError())
{
    return {false, WindowsServiceControl::errorText(what, error)};
}

bool query(SC_HANDLE service, SERVICE_STATUS_PROCESS *status)
{
    DWORD needed = 0;
    return QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, reinterpret_cast<BYTE *>(status),
                                sizeof *status, &needed) != 0;
}

// Polls until the state is `want` or no longer `pending`; the SCM has no "wait for state" call.
Result waitFor(SC_HANDLE service, DWORD pending, DWORD want, unsigned timeoutMs)
{
    const ULONGLONG deadline = GetTickCount64() + timeoutMs;
    SERVICE_STATUS_PROCESS status = {};
    for (;;) {
        if (!query(service, &status))
            return fail("cannot query the service");
        if (status.dwCurrentState == want)
            return {true, WindowsServiceControl::stateName(want)};
        if (status.dwCurrentState != pending) {
            std::string message = "the service is " + WindowsServiceControl::stateName(status.dwCurrentState);
            if (status.dwWin32ExitCode == ERROR_SERVICE_SPECIFIC_ERROR)
                message += " (exit code " + std::to_string(status.dwServiceSpecificExitCode) + ")";
            else if (status.dwWin32ExitCode != 0)
                message += " (" + WindowsServiceControl::errorText("error", status.dwWin32ExitCode) + ")";
            return {false, message};
        }
        if (GetTickCount64() >= deadline)
            return {false, "timed out; the service is " + WindowsServiceControl::stateName(status.dwCurrentState)};
        Sleep(100);
    }
}

} // namespace

std::string WindowsServiceControl::stateName(unsigned long state)
{
    switch (state) {
    case SERVICE_STOPPED: return "stopped";
    case SERVICE_START_PENDING: return "start-pending";
    case SERVICE_STOP_PENDING: return "stop-pending";
    case SERVICE_RUNNING: return "running";
    case SERVICE_CONTINUE_PENDING: return "continue-pending";
    case SERVICE_PAUSE_PENDING: return "pause-pending";
    case SERVICE_PAUSED: return "paused";
    default: return "unknown (" + std::to_string(state) + ")";
    }
}

std::string WindowsServiceControl::errorText(const char *what, unsigned long error)
{
    char *text = nullptr;
    const DWORD n = FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                                   nullptr, error, 0, reinterpret_cast<char *>(&text), 0, nullptr);
    std::string message = std::string(what) + ": Win32 error " + std::to_string(error);
    if (n > 0 && text) {
        std::string detail(text, n);
        while (!detail.empty() && (detail.back() == '\n' || detail.back() == '\r' || detail.back() == ' '))
            detail.pop_back();
        message += " (" + detail + ")";
    }
    if (text)
        LocalFree(text);
    return message;
}

Result WindowsServiceControl::install(const std::wstring &name, const std::wstring &displayName,
                                      const std::wstring &commandLine, const std::wstring &description)
{
    ScHandle scm(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CREATE_SERVICE));
    if (!scm)
        return fail("cannot open the service control manager (run as administrator)");
    ScHandle service(CreateServiceW(scm.h, name.c_str(), displayName.c_str(), SERVICE_ALL_ACCESS,
                                    SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START, SERVICE_ERROR_NORMAL,
                                    commandLine.c_str(), nullptr, nullptr, nullptr, nullptr, nullptr));
    if (!service)
        return fail("cannot create the service");
    std::string note;
    SERVICE_DESCRIPTIONW text = {const_cast<LPWSTR>(description.c_str())};
    if (!ChangeServiceConfig2W(service.h, SERVICE_CONFIG_DESCRIPTION, &text))
        note += "; " + errorText("description not set", GetLastError());
    // Like Restart=on-failure in the systemd unit: restart after 5 s, forget failures after a day.
    SC_ACTION actions[3] = {{SC_ACTION_RESTART, 5000}, {SC_ACTION_RESTART, 5000}, {SC_ACTION_NONE, 0}};
    SERVICE_FAILURE_ACTIONSW failure = {};
    failure.dwResetPeriod = 24 * 3600;
    failure.cActions = 3;
    failure.lpsaActions = actions;
    if (!ChangeServiceConfig2W(service.h, SERVICE_CONFIG_FAILURE_ACTIONS, &failure))
        note += "; " + errorText("restart on failure not set", GetLastError());
    return {true, "installed" + note};
}

Result WindowsServiceControl::uninstall(const std::wstring &name, unsigned timeoutMs)
{
    ScHandle scm(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
    if (!scm)
        return fail("cannot open the service control manager (run as administrator)");
    ScHandle service(OpenServiceW(scm.h, name.c_str(), SERVICE_STOP | SERVICE_QUERY_STATUS | DELETE));
    if (!service)
        return fail("cannot open the service");
    SERVICE_STATUS_PROCESS status = {};
    if (query(service.h, &status) && status.dwCurrentState != SERVICE_STOPPED) {
        const Result stopped = stop(name, timeoutMs);
        if (!stopped.ok)
            return {false, "cannot stop it before removal: " + stopped.message};
    }
    if (!DeleteService(service.h))
        return fail("cannot delete the service");
    return {true, "uninstalled"};
}

Result WindowsServiceControl::start(const std::wstring &name, unsigned timeoutMs)
{
    ScHandle scm(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
    if (!scm)
        return fail("cannot open the service control manager");
    ScHandle service(OpenServiceW(scm.h, name.c_str(), SERVICE_START | SERVICE_QUERY_STATUS));
    if (!service)
        return fail("cannot open the service");
    if (!StartServiceW(service.h, 0, nullptr)) {
        const DWORD error = GetLastError();
        if (error != ERROR_SERVICE_ALREADY_RUNNING)
            return fail("cannot start the service", error);
    }
    return waitFor(service.h, SERVICE_START_PENDING, SERVICE_RUNNING, timeoutMs);
}

Result WindowsServiceControl::stop(const std::wstring &name, unsigned timeoutMs)
{
    ScHandle scm(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
    if (!scm)
        return fail("cannot open the service control manager");
    ScHandle service(OpenServiceW(scm.h, name.c_str(), SERVICE_STOP | SERVICE_QUERY_STATUS));
    if (!service)
        return fail("cannot open the service");
    SERVICE_STATUS status = {};
    if (!ControlService(service.h, SERVICE_CONTROL_STOP, &status)) {
        const DWORD error = GetLastError();
        if (error == ERROR_SERVICE_NOT_ACTIVE)
            return {true, "stopped"};
        if (error != ERROR_SERVICE_CANNOT_ACCEPT_CTRL)
            return fail("cannot stop the service", error);
    }
    return waitFor(service.h, SERVICE_STOP_PENDING, SERVICE_STOPPED, timeoutMs);
}

Result WindowsServiceControl::status(const std::wstring &name)
{
    ScHandle scm(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
    if (!scm)
        return fail("cannot open the service control manager");
    ScHandle service(OpenServiceW(scm.h, name.c_str(), SERVICE_QUERY_STATUS));
    if (!service) {
        const DWORD error = GetLastError();
        if (error == ERROR_SERVICE_DOES_NOT_EXIST)
            return {false, "not installed"};
        return fail("cannot open the service", error);
    }
    SERVICE_STATUS_PROCESS status = {};
    if (!query(service.h, &status))
        return fail("cannot query the service");
    std::string message = stateName(status.dwCurrentState);
    if (status.dwCurrentState == SERVICE_RUNNING)
        message += " (pid " + std::to_string(status.dwProcessId) + ")";
    return {true, message};
}

} // namespace herald::win
