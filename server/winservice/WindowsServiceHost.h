#pragma once

// Qt-free on purpose: this is the Win32 side of running as a Windows service, small enough to be
// cross-compiled with mingw-w64 and exercised under Wine without a Qt for Windows (see
// tests/windows). herald-server links it on Windows only.

#include <functional>
#include <string>

namespace herald::win {

// The process's link to the Service Control Manager while it runs as a service. The SCM's
// dispatcher gets a thread of its own so the caller's thread stays free for the server's event
// loop; stop and shutdown requests arrive on that thread and are handed to `onStop`, which must
// only post the request (the same path SIGTERM takes on POSIX) and return at once.
class WindowsServiceHost
{
public:
    enum class Connect { Service, NotAService, Failed };

    // NotAService: the process was started from a console, not by the SCM (nothing else applies).
    static Connect connect(const std::wstring &name, std::function<void()> onStop, std::string *error);
    static bool connected();
    // START_PENDING -> RUNNING once the server listens; STOP_PENDING while it shuts down.
    static void reportRunning();
    static void reportStopping();
    // The last call: the SCM may end the process right after it.
    static void reportStopped(int exitCode);
};

} // namespace herald::win
