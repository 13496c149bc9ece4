// session_load hold: see session_load.cpp.
#include "Commands.h"
#include "SessionEngine.h"

namespace sessionload {

int cmdHold(const Args &a)
{
    const auto tokens = readTokens(a.get("tokens"));
    Engine e = makeEngine(a);
    e.tokens = &tokens;
    const long from = a.num("from", 0), count = a.num("count", 1);
    if (from + count > long(tokens.size()))
        die("not enough tokens in the file");
    const double rate = double(a.num("rate", 500));
    const double holdMs = double(a.num("hold-secs", 120)) * 1000;
    const std::string tag = a.get("tag", "hold");
    const long maxPending = a.num("max-pending", 25);
    e.sessions.reserve(size_t(count));
    const double t0 = nowMs();
    double lastStatus = t0, allStartedAt = 0;
    long started = 0;
    auto status = [&](const char *what) {
        std::printf("%s %s t=%.1f started=%ld connected=%ld upgraded=%ld welcomed=%ld failed=%ld closed=%ld "
                    "pongs=%ld errors=%ld%s%s\n",
                    tag.c_str(), what, (nowMs() - t0) / 1000, started, e.connected, e.upgraded, e.welcomed, e.failed,
                    e.closed, e.pongs, e.errors, e.firstFailure.empty() ? "" : " first_failure=",
                    e.firstFailure.c_str());
        std::fflush(stdout);
    };
    double paced = 0; // sessions the rate allows so far; does not bank time lost to max-pending
    double lastTick = t0;
    while (!g_stop) {
        const double now = nowMs();
        paced = std::min(paced + (now - lastTick) * rate / 1000.0, double(started) + rate);
        lastTick = now;
        const long due = std::min<long>(count, long(paced) + 1);
        // Bounded: no more than max-pending sessions between connect and welcome, so a slow server
        // is not buried under handshakes it cannot finish before its 10 s request timeout.
        const long done = (e.mode == Mode::Tcp ? e.connected : e.mode == Mode::NoHello ? e.upgraded : e.welcomed) +
                          e.failed;
        while (started < due && started - done < maxPending)
            e.start(uint32_t(from + started++));
        if (started == count && allStartedAt == 0)
            allStartedAt = now;
        e.poll(5);
        e.pings(nowMs());
        if (nowMs() - lastStatus >= 1000) {
            lastStatus = nowMs();
            status("status");
        }
        if (allStartedAt > 0 && nowMs() - allStartedAt > holdMs)
            break;
    }
    status("final");
    return 0;
}

} // namespace sessionload
