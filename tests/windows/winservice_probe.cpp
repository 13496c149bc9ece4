// A stand-in for herald-server's Windows service side, Qt-free so mingw-w64 can build it and Wine
// run it (tst_windowsservice drives it). It uses the very module herald-server links on Windows:
//   probe run NAME LOG        the service command line: runs under the SCM until stopped
//   probe install NAME LOG | uninstall NAME | start NAME | stop NAME | status NAME
// `run` appends one line per step to LOG, so the test can tell which path a stop took.
#include "WindowsServiceControl.h"
#include "WindowsServiceHost.h"

#include <windows.h>

#include <cstdio>
#include <string>

using herald::win::WindowsServiceControl;
using herald::win::WindowsServiceHost;

namespace {

std::wstring g_log;
HANDLE g_quit = nullptr; // the probe's "event loop": one event a stop request sets

void note(const char *line)
{
    FILE *f = _wfopen(g_log.c_str(), L"a");
    if (!f)
        return;
    std::fprintf(f, "%s\n", line);
    std::fclose(f);
}

int run(const std::wstring &name)
{
    g_quit = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    std::string error;
    // As herald-server does: a stop request only posts a quit to the main thread's loop.
    const auto how = WindowsServiceHost::connect(name, [] { SetEvent(g_quit); }, &error);
    if (how == WindowsServiceHost::Connect::NotAService) {
        std::fprintf(stderr, "probe: not started by the service control manager\n");
        return 3;
    }
    if (how == WindowsServiceHost::Connect::Failed) {
        std::fprintf(stderr, "probe: %s\n", error.c_str());
        return 1;
    }
    note("start-pending");
    WindowsServiceHost::reportRunning();
    note("running");
    WaitForSingleObject(g_quit, INFINITE);
    note("stop-requested");
    WindowsServiceHost::reportStopping();
    note("stopped");
    WindowsServiceHost::reportStopped(0);
    return 0;
}

} // namespace

int wmain(int argc, wchar_t **argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: probe run|install|uninstall|start|stop|status NAME [LOG]\n");
        return 2;
    }
    const std::wstring verb = argv[1];
    const std::wstring name = argv[2];
    if (argc > 3)
        g_log = argv[3];
    if (verb == L"run")
        return run(name);
    WindowsServiceControl::Result r;
    if (verb == L"install") {
        wchar_t self[MAX_PATH];
        GetModuleFileNameW(nullptr, self, MAX_PATH);
        r = WindowsServiceControl::install(name, name + L" probe",
                                           L"\"" + std::wstring(self) + L"\" run " + name + L" \"" + g_log + L"\"",
                                           L"Herald service module test");
    } else if (verb == L"uninstall") {
        r = WindowsServiceControl::uninstall(name, 20000);
    } else if (verb == L"start") {
        r = WindowsServiceControl::start(name, 20000);
    } else if (verb == L"stop") {
        r = WindowsServiceControl::stop(name, 20000);
    } else if (verb == L"status") {
        r = WindowsServiceControl::status(name);
    } else {
        std::fprintf(stderr, "probe: unknown verb\n");
        return 2;
    }
    std::printf("%s\n", r.message.c_str());
    return r.ok ? 0 : 1;
}
