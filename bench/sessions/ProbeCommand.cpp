// session_load probe: see session_load.cpp.
#include "Commands.h"
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

// One keep-alive HTTPS connection for POST /v1/events, non-blocking, one request in flight.
struct EventConn
{
    int fd = -1;
    SSL *ssl = nullptr;
    bool ready = false;
    std::string in, out;
    long inflight = -1; // index into the event list
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
    std::vector<EventConn> ec(static_cast<size_t>(conns));
    int ecEpfd = epoll_create1(0);
    for (auto &c : ec) {
        c.fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(uint16_t(e.port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(c.fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
            die("event connection failed");
        int one = 1;
        setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c.ssl = SSL_new(e.ctx);
        SSL_set_fd(c.ssl, c.fd);
        if (SSL_connect(c.ssl) != 1)
            die("event connection TLS failed");
        fcntl(c.fd, F_SETFL, fcntl(c.fd, F_GETFL) | O_NONBLOCK);
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLET;
        ev.data.ptr = &c;
        epoll_ctl(ecEpfd, EPOLL_CTL_ADD, c.fd, &ev);
        c.ready = true;
    }
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

    auto pumpConn = [&](EventConn &c) {
        while (!c.out.empty()) {
            ERR_clear_error(); // SSL_get_error() reads this thread's queue: sessions share it
            const int n = SSL_write(c.ssl, c.out.data(), int(c.out.size()));
            if (n <= 0)
                break;
            c.out.erase(0, size_t(n));
        }
        char buf[4096];
        for (;;) {
            ERR_clear_error();
            const int n = SSL_read(c.ssl, buf, sizeof buf);
            if (n <= 0)
                break;
            c.in.append(buf, size_t(n));
        }
        for (;;) {
            const size_t he = c.in.find("\r\n\r\n");
            if (he == std::string::npos)
                return;
            std::string head = c.in.substr(0, he);
            for (auto &ch : head)
                ch = char(std::tolower(ch));
            const size_t p = head.find("content-length:");
            const size_t cl = p == std::string::npos ? 0 : std::strtoul(head.c_str() + p + 15, nullptr, 10);
            if (c.in.size() < he + 4 + cl)
                return;
            const std::string body = c.in.substr(he + 4, cl);
            if (c.inflight >= 0) {
                EventRec &r = events[size_t(c.inflight)];
                r.status = std::atoi(c.in.c_str() + 9);
                r.nid = jsonString(body, "id");
                if (r.status != 202)
                    std::fprintf(stderr, "event answered %d %s\n", r.status, body.c_str());
            }
            c.in.erase(0, he + 4 + cl);
            c.inflight = -1;
        }
    };
    auto sendEvent = [&](EventConn &c, long idx) {
        EventRec &r = events[size_t(idx)];
        const TokenLine &t = tokens[r.dev];
        const std::string body = "{\"account\":\"" + t.account + "\",\"app\":\"mail\",\"eventId\":\"bench-" + runTag +
                                 "-" + std::to_string(idx) +
                                 "\",\"sender\":\"bench@example.org\",\"subject\":\"latency probe\",\"body\":\"hello\"}";
        c.out = "POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer " +
                sourceToken + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        c.inflight = idx;
        r.eventSent = nowMs();
        pumpConn(c);
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
        epoll_event evs[16];
        const int n = epoll_wait(ecEpfd, evs, 16, 0);
        for (int i = 0; i < n; ++i)
            pumpConn(*static_cast<EventConn *>(evs[i].data.ptr));
        // Round robin over the connections, so that none sits idle: the server closes a connection
        // that sends no first request within its request timeout (10 s).
        for (size_t k = 0; k < ec.size() && !queue.empty(); ++k) {
            EventConn &c = ec[(nextConn + k) % ec.size()];
            if (c.inflight < 0) {
                const long idx = queue.front();
                queue.erase(queue.begin());
                sendEvent(c, idx);
                nextConn = (nextConn + k + 1) % ec.size();
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
