// session_load probe: see session_load.cpp.
#include "Commands.h"
#include "EventPoster.h"
#include "SessionEngine.h"

namespace sessionload {

struct Percentiles
{
    std::vector<double> v;
    std::string summary() const
    {
        if (v.empty())
            return "n=0";
        std::vector<double> s = v;
        std::sort(s.begin(), s.end());
        auto at = [&](double q) { return s[std::min(s.size() - 1, size_t(q * double(s.size())))]; };
        char buf[200];
        std::snprintf(buf, sizeof buf, "n=%zu p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms", s.size(), at(0.5),
                      at(0.9), at(0.99), s.back());
        return buf;
    }
};

struct EventRec
{
    int phase; // 0 fg, 1 bg
    uint32_t dev;
    double stateSent = 0, eventSent = 0;
    std::string nid;
    int status = 0;
};

int cmdProbe(const Args &a)
{
    const auto tokens = readTokens(a.get("tokens"));
    Engine e = makeEngine(a);
    e.tokens = &tokens;
    e.heartbeatMs = int(a.num("heartbeat", 30)) * 1000;
    const std::string sourceToken = a.get("source-token");
    const std::string pushesPath = a.get("pushes");
    const double rate = double(a.num("rate", 50));
    const double secs = double(a.num("secs", 20));
    const int conns = int(a.num("event-conns", 4));

    std::unordered_map<std::string, double> delivered; // nid -> deliver frame received
    std::unordered_map<std::string, uint32_t> deliveredTo;
    std::unordered_map<std::string, double> pushed;    // nid -> push line seen
    e.onText = [&](Sess &s, const std::string &payload) {
        if (jsonString(payload, "type") != "deliver")
            return;
        const std::string id = jsonString(payload, "id");
        delivered.emplace(id, nowMs());
        deliveredTo.emplace(id, s.idx);
        e.sendFrame(s, "{\"type\":\"ack\",\"id\":\"" + id + "\"}");
    };
    for (uint32_t i = 0; i < tokens.size(); ++i)
        e.start(i);
    const double setupDeadline = nowMs() + 30000;
    while (!g_stop && e.welcomed + e.failed < long(tokens.size()) && nowMs() < setupDeadline)
        e.poll(10);
    if (e.welcomed != long(tokens.size()))
        die("probe sessions not all welcomed: " + std::to_string(e.welcomed) + " " + e.firstFailure);

    // Event connections: blocking connect + handshake, then non-blocking.
    EventPoster poster;
    poster.open(e.ctx, {e.port}, conns);
    int pushFd = ::open(pushesPath.c_str(), O_RDONLY | O_CREAT, 0600);
    if (pushFd < 0)
        die("cannot open " + pushesPath);
    ::lseek(pushFd, 0, SEEK_END);
    std::string pushBuf;

    std::vector<EventRec> events;
    events.reserve(size_t(rate * secs * 2 + 10));
    std::vector<long> queue; // events waiting for a free connection
    long nextEventNo = 0;
    const std::string runTag = std::to_string(long(nowMs()));

    poster.onAnswer = [&](long idx, int status, const std::string &body) {
        EventRec &r = events[size_t(idx)];
        r.status = status;
        r.nid = jsonString(body, "id");
        if (r.status != 202)
            std::fprintf(stderr, "event answered %d %s\n", r.status, body.c_str());
    };
    auto sendEvent = [&](EventConn &c, long idx) {
        EventRec &r = events[size_t(idx)];
        r.eventSent = nowMs();
        poster.send(c, idx, sourceToken,
                    mailEventBody(tokens[r.dev].account, "bench-" + runTag + "-" + std::to_string(idx)));
    };
    auto readPushes = [&] {
        char buf[65536];
        for (;;) {
            const ssize_t n = ::read(pushFd, buf, sizeof buf);
            if (n <= 0)
                break;
            pushBuf.append(buf, size_t(n));
        }
        const double t = nowMs();
        size_t nl;
        while ((nl = pushBuf.find('\n')) != std::string::npos) {
            const std::string nid = jsonString(pushBuf.substr(0, nl), "nid");
            pushed.emplace(nid, t);
            pushBuf.erase(0, nl + 1);
        }
    };
    size_t nextConn = 0;
    auto pollAll = [&](int ms) {
        e.poll(ms); // sessions: deliver frames are timestamped as they arrive
        poster.poll();
        // Round robin over the connections, so that none sits idle: the server closes a connection
        // that sends no first request within its request timeout (10 s).
        const size_t nc = poster.conns.size();
        for (size_t k = 0; k < nc && !queue.empty(); ++k) {
            EventConn &c = *poster.conns[(nextConn + k) % nc];
            if (c.inflight < 0) {
                const long idx = queue.front();
                queue.erase(queue.begin());
                sendEvent(c, idx);
                nextConn = (nextConn + k + 1) % nc;
                k = size_t(-1); // search again from the one after it
            }
        }
        e.poll(0);
        readPushes();
        e.pings(nowMs());
    };

    const uint32_t devs = uint32_t(tokens.size());
    const uint32_t half = devs / 2; // devices [0,half) for fg, [half,devs) for bg
    std::string phaseReport[2];
    for (int phase = 0; phase < 2 && !g_stop; ++phase) {
        const char *ui = phase == 0 ? "foreground" : "background";
        const uint32_t base = phase == 0 ? 0 : half, n = phase == 0 ? half : devs - half;
        // Before the phase: fg devices go foreground (and stay), bg devices go foreground (and each
        // event flips one to background right before its event).
        for (uint32_t d = base; d < base + n; ++d)
            e.sendFrame(*e.sessions[d], "{\"type\":\"state\",\"app\":\"mail\",\"ui\":\"foreground\"}");
        const double settle = nowMs() + 500;
        while (nowMs() < settle)
            pollAll(5);
        const long first = long(events.size());
        const double t0 = nowMs();
        uint32_t rr = 0;
        std::vector<double> restoreAt(devs, 0); // bg devices: when to send foreground again
        std::vector<long> lastEvent(devs, 0);
        while (!g_stop && nowMs() - t0 < secs * 1000) {
            const long due = long((nowMs() - t0) * rate / 1000.0) + 1;
            while (nextEventNo - first < due) {
                EventRec r;
                r.phase = phase;
                r.dev = base + (rr++ % n);
                Sess &s = *e.sessions[r.dev];
                if (phase == 1) {
                    // state change immediately followed by the event: the decision must see it
                    r.stateSent = nowMs();
                    e.sendFrame(s, std::string("{\"type\":\"state\",\"app\":\"mail\",\"ui\":\"") + ui + "\"}");
                    restoreAt[r.dev] = nowMs() + 300;
                    lastEvent[r.dev] = long(events.size());
                }
                events.push_back(r);
                queue.push_back(long(events.size()) - 1);
                ++nextEventNo;
            }
            pollAll(1);
            if (phase == 1) {
                const double now = nowMs();
                for (uint32_t d = base; d < base + n; ++d) {
                    // back to foreground once the push for its event was seen (or after 300 ms)
                    const EventRec &last = events[size_t(lastEvent[d])];
                    if (restoreAt[d] > 0 && (restoreAt[d] <= now || (!last.nid.empty() && pushed.count(last.nid)))) {
                        restoreAt[d] = 0;
                        e.sendFrame(*e.sessions[d], "{\"type\":\"state\",\"app\":\"mail\",\"ui\":\"foreground\"}");
                    }
                }
            }
        }
        // Events the server did not take in time are not sent late (they would spill into the
        // next phase): they are counted as not_sent. Then up to 5 s for answers, deliveries, pushes.
        queue.clear();
        const double drainUntil = nowMs() + 5000;
        for (;;) {
            pollAll(5);
            bool pending = !queue.empty();
            for (long i = first; i < long(events.size()) && !pending; ++i) {
                const EventRec &r = events[size_t(i)];
                if (r.eventSent == 0)
                    continue;
                pending = r.nid.empty() || (phase == 0 ? !delivered.count(r.nid) : !pushed.count(r.nid));
            }
            if (!pending || nowMs() > drainUntil)
                break;
        }
        if (phase == 1) { // any stray in-band delivery of a bg event shows up within a second
            const double until = nowMs() + 1000;
            while (nowMs() < until)
                pollAll(5);
        }
        Percentiles lat, stateLat;
        long missing = 0, wrong = 0, answered = 0, notSent = 0;
        for (long i = first; i < long(events.size()); ++i) {
            const EventRec &r = events[size_t(i)];
            if (r.eventSent == 0) {
                ++notSent;
                continue;
            }
            if (r.status == 202)
                ++answered;
            if (phase == 0) {
                auto it = delivered.find(r.nid);
                if (r.nid.empty() || it == delivered.end()) {
                    ++missing;
                    if (pushed.count(r.nid))
                        ++wrong;
                } else {
                    lat.v.push_back(it->second - r.eventSent);
                }
            } else {
                if (delivered.count(r.nid))
                    ++wrong;
                auto it = pushed.find(r.nid);
                if (r.nid.empty() || it == pushed.end()) {
                    ++missing;
                } else {
                    lat.v.push_back(it->second - r.eventSent);
                    stateLat.v.push_back(it->second - r.stateSent);
                }
            }
        }
        std::ostringstream os;
        if (phase == 0)
            os << "probe fg events=" << (long(events.size()) - first) << " not_sent=" << notSent << " accepted=" << answered
               << " delivered_inband_missing=" << missing << " pushed_instead=" << wrong
               << " event_to_deliver " << lat.summary();
        else
            os << "probe bg events=" << (long(events.size()) - first) << " not_sent=" << notSent << " accepted=" << answered
               << " push_missing=" << missing << " wrongly_inband=" << wrong << " event_to_push " << lat.summary()
               << " | state_to_push " << stateLat.summary();
        phaseReport[phase] = os.str();
        std::printf("%s\n", phaseReport[phase].c_str());
        std::fflush(stdout);
    }
    std::printf("probe sessions welcomed=%ld failed=%ld closed=%ld errors=%ld%s%s\n", e.welcomed, e.failed, e.closed,
                e.errors, e.firstFailure.empty() ? "" : " first_failure=", e.firstFailure.c_str());
    return 0;
}

} // namespace sessionload
