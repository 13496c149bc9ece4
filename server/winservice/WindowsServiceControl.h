#pragma once

// Qt-free: installs and drives a service through the Service Control Manager, for
// `herald-server service install|uninstall|start|stop|status` (and the Wine test's probe).

#include <string>

namespace herald::win {

class WindowsServiceControl
{
public:
    struct Result
    {
        bool ok = false;
        std::string message; // what happened, or why not (with the Win32 error)
    };

    // Registers an auto-start service running as LocalSystem, restarted by the SCM if it fails.
    static Result install(const std::wstring &name, const std::wstring &displayName,
                          const std::wstring &commandLine, const std::wstring &description);
    // Stops it first if it runs, then deletes it.
    static Result uninstall(const std::wstring &name, unsigned timeoutMs);
    // Waits until the service reports RUNNING (ok) or stops again (not ok).
    static Result start(const std::wstring &name, unsigned timeoutMs);
    static Result stop(const std::wstring &name, unsigned timeoutMs);
    // ok: installed; message: running | stopped | start-pending | stop-pending | ...
    static Result status(const std::wstring &name);

    static std::string stateName(unsigned long state);
    static std::string errorText(const char *what, unsigned long error);
};

} // namespace herald::win
