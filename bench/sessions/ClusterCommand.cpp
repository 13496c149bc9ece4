// session_load cluster: see session_load.cpp. Events into a cluster of herald-server nodes, with
// the sessions spread over the nodes, timed per hop (same node or another node), and the CPU time
// every node and the database spent per event.
#include "Commands.h"
#include "EventPoster.h"
#include "SessionEngine.h"

#include <deque>
#include <dirent.h>
#include <sys/resource.h>

namespace sessionload {

namespace {

std::vector<long> numberList(const std::string &text)
{
    std::vector<long> out;
    std::istringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
        if (!item.empty())
            out.push_back(std::strtol(item.c_str(), nullptr, 10));
    return out;
}

// utime + stime of one process in seconds; 0 when it is gone.
double processCpu(long pid, long *parent = nullptr)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    std::ifstream f(path);
    std::string text;
    if (!f || !std::getline(f, text))
        return 0;
    const size_t close = text.rfind(')');
    if (close == std::string::npos)
        return 0;
    std::istringstream rest(text.substr(close + 2)); // from field 3 (state) on
    std::vector<std::string> fields;
    std::string field;
    while (rest >> field && fields.size() < 13)
        fields.push_back(field);
    if (fields.size() < 13)
        return 0;
    if (parent)
        *parent = std::strtol(fields[1].c_str(), nullptr, 10); // field 4
    static const double hz = double(sysconf(_SC_CLK_TCK));
    return double(std::strtoull(fields[11].c_str(), nullptr, 10) + std::strtoull(fields[12].c_str(), nullptr, 10)) / hz;
}

// A process and every process it started (PostgreSQL's postmaster and its backends, as long as
// they live: a backend's time is lost when it exits).
double treeCpu(long root)
{
    if (root <= 0)
        return 0;
    double total = processCpu(root);
    DIR *dir = opendir("/proc");
    if (!dir)
        return total;
    while (dirent *e = readdir(dir)) {
        const long pid = std::strtol(e->d_name, nullptr, 10);
        if (pid <= 0 || pid == root)
            continue;
        long parent = 0;
        const double cpu = processCpu(pid, &parent);
        if (parent == root)
            total += cpu;
    }
    closedir(dir);
    return total;
}

double selfCpu()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct CpuSample
{
    double at = 0; // ms
    std::vector<double> nodes;
    double db = 0, client = 0;
};

std::string percentiles(std::vector<double> v)
{
    if (v.empty())
        return "n=0";
    std::sort(v.begin(), v.end());
    auto at = [&](double q) { return v[std::min(v.size() - 1, size_t(q * double(v.size())))]; };
    char buf[200];
    std::snprintf(buf, sizeof buf, "n=%zu p50=%.2f p90=%.2f p99=%.2f max=%.2f", v.size(), at(0.5), at(0.9), at(0.99),
                  v.back());
    return buf;
}

struct ClusterEvent
{
    uint32_t dev = 0;
    uint16_t postNode = 0, sessionNode = 0;
    double sent = 0, delivered = 0;
    int status = 0;
    std::string nid;
};

} // namespace

int cmdCluster(const Args &a)
{
    const auto tokens = readTokens(a.get("tokens"));
    std::vector<int> ports;
    for (long p : numberList(a.get("ports")))
        ports.push_back(int(p));
    const std::vector<long> pids = numberList(a.get("pids"));
    if (ports.empty() || pids.size() != ports.size())
        die("cluster needs --ports and --pids, one per node");
    const size_t nodes = ports.size();
    const long dbPid = a.num("db-pid", 0);
    const std::string sourceToken = a.get("source-token");
    const double idleSecs = double(a.num("idle-secs", 5));
    const int conns = int(std::max<long>(long(nodes), a.num("event-conns", 32)));
    const double settleMs = double(a.num("settle-ms", 2000));
    const std::string tag = "nodes=" + std::to_string(nodes);

    Engine e = makeEngine(a);
    e.tokens = &tokens;
    const uint32_t devs = uint32_t(tokens.size());
    // Event k goes to device k % devs, posted to node (device % nodes): round robin over the nodes.
    // The device's session is on node (device + device / nodes) % nodes, so one event in `nodes`
    // (on average) finds its session on the node it was posted to, the others on another node.
    auto postNode = [&](uint32_t d) { return uint16_t(d % nodes); };
    auto sessionNode = [&](uint32_t d) { return uint16_t((d + d / nodes) % nodes); };

    std::vector<ClusterEvent> events;
    std::unordered_map<std::string, long> byNid;          // notification id -> event
    std::unordered_map<std::string, double> earlyFrames;  // deliver frames that beat their event's answer
    long wrongDevice = 0, duplicates = 0, early = 0;
    e.onText = [&](Sess &s, const std::string &payload) {
        if (jsonString(payload, "type") != "deliver")
            return;
        const double t = nowMs();
        const std::string id = jsonString(payload, "id");
        e.sendFrame(s, "{\"type\":\"ack\",\"id\":\"" + id + "\"}");
        const auto it = byNid.find(id);
        if (it == byNid.end()) { // the answer is still on its way on the event connection
            ++early;
            earlyFrames.emplace(id, t);
            return;
        }
        ClusterEvent &ev = events[size_t(it->second)];
        if (ev.delivered == 0)
            ev.delivered = t;
        else
            ++duplicates;
        if (ev.dev != s.idx)
            ++wrongDevice;
    };

    for (uint32_t d = 0; d < devs; ++d)
        e.start(d, ports[sessionNode(d)]);
    const double setupDeadline = nowMs() + 60000;
    while (!g_stop && e.welcomed + e.failed < long(devs) && nowMs() < setupDeadline)
        e.poll(10);
    if (e.welcomed != long(devs))
        die("probe sessions not all welcomed: " + std::to_string(e.welcomed) + " " + e.firstFailure);
    for (uint32_t d = 0; d < devs; ++d)
        e.sendFrame(*e.sessions[d], "{\"type\":\"state\",\"app\":\"mail\",\"ui\":\"foreground\"}");

    EventPoster poster;
    std::vector<std::vector<EventConn *>> byNode(nodes);
    poster.onAnswer = [&](long idx, int status, const std::string &body) {
        ClusterEvent &ev = events[size_t(idx)];
        ev.status = status;
        ev.nid = jsonString(body, "id");
        if (status != 202) {
            std::fprintf(stderr, "event answered %d %s\n", status, body.c_str());
            return;
        }
        byNid[ev.nid] = idx;
        const auto frame = earlyFrames.find(ev.nid);
        if (frame != earlyFrames.end()) {
            ev.delivered = frame->second;
            earlyFrames.erase(frame);
        }
    };
    std::vector<std::deque<long>> queues(nodes);
    std::vector<size_t> nextConn(nodes, 0);
    const std::string runTag = std::to_string(long(nowMs()));
    auto pollAll = [&](int ms) {
        e.poll(ms);
        poster.poll();
        // Each node's connections in turn, so that none sits idle: the server closes a connection
        // that sends no first request within its request timeout (10 s).
        for (size_t n = 0; n < nodes; ++n) {
            auto &q = queues[n];
            const auto &mine = byNode[n];
            for (size_t k = 0; k < mine.size() && !q.empty(); ++k) {
                EventConn &c = *mine[(nextConn[n] + k) % mine.size()];
                if (c.inflight >= 0)
                    continue;
                const long idx = q.front();
                q.pop_front();
                ClusterEvent &ev = events[size_t(idx)];
                ev.sent = nowMs();
                poster.send(c, idx, sourceToken,
                            mailEventBody(tokens[ev.dev].account, "cluster-" + runTag + "-" + std::to_string(idx)));
                nextConn[n] = (nextConn[n] + k + 1) % mine.size();
                k = size_t(-1); // search again from the one after it
            }
        }
        e.poll(0);
        e.pings(nowMs());
    };
    auto sample = [&] {
        CpuSample s;
        s.at = nowMs();
        for (long pid : pids)
            s.nodes.push_back(processCpu(pid));
        s.db = treeCpu(dbPid);
        s.client = selfCpu();
        return s;
    };

    // The sessions' rows reach the database through each node's background writer, and every node
    // must see the others alive (run.sh waits for that before starting this).
    const double settleUntil = nowMs() + settleMs;
    while (nowMs() < settleUntil)
        pollAll(5);

    // What the nodes spend with no events (heartbeats, the held sessions' pings): subtracted below.
    const CpuSample idle0 = sample();
    const double idleUntil = nowMs() + idleSecs * 1000;
    while (!g_stop && nowMs() < idleUntil)
        pollAll(5);
    const CpuSample idle1 = sample();
    const double idleDt = (idle1.at - idle0.at) / 1000;
    std::vector<double> idleRate(nodes);
    std::printf("%s phase=idle secs=%.1f cpu_per_s", tag.c_str(), idleDt);
    for (size_t n = 0; n < nodes; ++n) {
        idleRate[n] = (idle1.nodes[n] - idle0.nodes[n]) / idleDt;
        std::printf(" node%zu=%.3f", n + 1, idleRate[n]);
    }
    const double dbIdleRate = (idle1.db - idle0.db) / idleDt;
    std::printf(" db=%.3f\n", dbIdleRate);
    std::fflush(stdout);

    // Opened only now: a connection that sends no request within the server's request timeout
    // (10 s) is closed.
    poster.open(e.ctx, ports, conns);
    for (auto &c : poster.conns)
        byNode[c->node].push_back(c.get());
    // One event on each connection first, not measured: a node serves a new connection's first
    // request after its established clients (it is deferrable until answered), which would show
    // up as the first phase's tail.
    {
        const long first = long(events.size());
        for (auto &c : poster.conns) {
            ClusterEvent ev;
            ev.dev = uint32_t(c->node); // posted to its own node's session
            ev.postNode = uint16_t(c->node);
            ev.sessionNode = sessionNode(ev.dev);
            ev.sent = nowMs();
            events.push_back(ev);
            const long idx = long(events.size()) - 1;
            poster.send(*c, idx, sourceToken,
                        mailEventBody(tokens[ev.dev].account, "cluster-" + runTag + "-warm-" + std::to_string(idx)));
        }
        const double until = nowMs() + 10000;
        for (bool pending = true; pending && nowMs() < until;) {
            pollAll(5);
            pending = false;
            for (long i = first; i < long(events.size()) && !pending; ++i)
                pending = events[size_t(i)].status == 0 || (events[size_t(i)].status == 202 && events[size_t(i)].delivered == 0);
        }
    }

    // Phases: NAME:RATE:SECS, comma-separated.
    std::istringstream phaseList(a.get("phases", "steady:200:20,max:3000:10"));
    std::string phaseSpec;
    uint32_t rr = 0;
    while (!g_stop && std::getline(phaseList, phaseSpec, ',')) {
        std::istringstream ps(phaseSpec);
        std::string name, rateText, secsText;
        std::getline(ps, name, ':');
        std::getline(ps, rateText, ':');
        std::getline(ps, secsText, ':');
        const double rate = std::strtod(rateText.c_str(), nullptr), secs = std::strtod(secsText.c_str(), nullptr);
        if (rate <= 0 || secs <= 0)
            die("bad phase " + phaseSpec);
        const long first = long(events.size());
        const CpuSample c0 = sample();
        const double t0 = c0.at;
        long planned = 0;
        while (!g_stop && nowMs() - t0 < secs * 1000) {
            const long due = long((nowMs() - t0) * rate / 1000.0) + 1;
            while (planned < due) {
                ClusterEvent ev;
                ev.dev = rr++ % devs;
                ev.postNode = postNode(ev.dev);
                ev.sessionNode = sessionNode(ev.dev);
                events.push_back(ev);
                queues[ev.postNode].push_back(long(events.size()) - 1);
                ++planned;
            }
            pollAll(1);
        }
        const double tEnd = nowMs();
        // Events the nodes did not take in time are not sent late: counted as not_sent. Then up
        // to 5 s for the answers and the deliver frames of those sent.
        for (auto &q : queues)
            q.clear();
        const double drainUntil = nowMs() + 5000;
        for (;;) {
            pollAll(5);
            bool pending = false;
            for (long i = first; i < long(events.size()) && !pending; ++i) {
                const ClusterEvent &ev = events[size_t(i)];
                pending = ev.sent > 0 && (ev.status == 0 || (ev.status == 202 && ev.delivered == 0));
            }
            if (!pending || nowMs() > drainUntil)
                break;
        }
        const CpuSample c1 = sample();
        const double dt = (c1.at - c0.at) / 1000; // the phase and its drain

        long notSent = 0, accepted = 0, delivered = 0, missing = 0, acceptedInPhase = 0, unanswered = 0;
        std::vector<double> same, cross, all;
        std::vector<long> postedTo(nodes, 0), deliveredFrom(nodes, 0);
        for (long i = first; i < long(events.size()); ++i) {
            const ClusterEvent &ev = events[size_t(i)];
            if (ev.sent == 0) {
                ++notSent;
                continue;
            }
            ++postedTo[ev.postNode];
            if (ev.status <= 0) // none in time (0), or its connection closed under it (-1)
                ++unanswered;
            if (ev.status != 202)
                continue;
            ++accepted;
            if (ev.sent <= tEnd)
                ++acceptedInPhase;
            if (ev.delivered == 0) {
                ++missing;
                continue;
            }
            ++delivered;
            ++deliveredFrom[ev.sessionNode];
            const double ms = ev.delivered - ev.sent;
            all.push_back(ms);
            (ev.postNode == ev.sessionNode ? same : cross).push_back(ms);
        }
        std::printf("%s phase=%s asked_rate=%.0f secs=%.1f events=%ld not_sent=%ld accepted=%ld delivered=%ld "
                    "missing=%ld unanswered=%ld conns_reopened=%ld rate=%.1f",
                    tag.c_str(), name.c_str(), rate, secs, long(events.size()) - first, notSent, accepted, delivered,
                    missing, unanswered, poster.reopened, double(acceptedInPhase) / secs);
        for (size_t n = 0; n < nodes; ++n)
            std::printf(" posted_node%zu=%ld", n + 1, postedTo[n]);
        for (size_t n = 0; n < nodes; ++n)
            std::printf(" sessions_node%zu=%ld", n + 1, deliveredFrom[n]);
        // When the slowest ones were sent (s into the phase): a stall shows as a cluster of them.
        std::vector<std::pair<double, double>> slow; // latency, sent
        for (long i = first; i < long(events.size()); ++i) {
            const ClusterEvent &ev = events[size_t(i)];
            if (ev.status == 202 && ev.delivered > 0)
                slow.emplace_back(ev.delivered - ev.sent, (ev.sent - t0) / 1000);
        }
        std::sort(slow.begin(), slow.end(), std::greater<>());
        std::printf(" slowest_ms@s=");
        for (size_t k = 0; k < std::min<size_t>(5, slow.size()); ++k)
            std::printf("%s%.0f@%.1f", k ? "," : "", slow[k].first, slow[k].second);
        std::printf("\n%s phase=%s hop=all %s\n", tag.c_str(), name.c_str(), percentiles(all).c_str());
        std::printf("%s phase=%s hop=same %s\n", tag.c_str(), name.c_str(), percentiles(same).c_str());
        std::printf("%s phase=%s hop=cross %s\n", tag.c_str(), name.c_str(), percentiles(cross).c_str());
        // CPU per accepted event, µs: gross (all the CPU in the window) and net (minus the idle rate).
        const double per = accepted > 0 ? 1e6 / double(accepted) : 0;
        double grossNodes = 0, netNodes = 0;
        std::string grossText, netText;
        char buf[96];
        for (size_t n = 0; n < nodes; ++n) {
            const double g = c1.nodes[n] - c0.nodes[n];
            const double net = g - idleRate[n] * dt;
            grossNodes += g;
            netNodes += net;
            std::snprintf(buf, sizeof buf, " node%zu=%.0f", n + 1, g * per);
            grossText += buf;
            std::snprintf(buf, sizeof buf, " node%zu=%.0f", n + 1, net * per);
            netText += buf;
        }
        const double dbGross = c1.db - c0.db, dbNet = dbGross - dbIdleRate * dt;
        std::printf("%s phase=%s cpu_us_per_event gross%s nodes=%.0f db=%.0f client=%.0f\n", tag.c_str(), name.c_str(),
                    grossText.c_str(), grossNodes * per, dbGross * per, (c1.client - c0.client) * per);
        std::printf("%s phase=%s cpu_us_per_event net%s nodes=%.0f db=%.0f window_s=%.1f cores_busy=%.2f\n",
                    tag.c_str(), name.c_str(), netText.c_str(), netNodes * per, dbNet * per, dt,
                    (grossNodes + dbGross + c1.client - c0.client) / dt);
        std::fflush(stdout);
    }
    std::printf("%s probe sessions welcomed=%ld failed=%ld closed=%ld errors=%ld wrong_device=%ld duplicates=%ld "
                "frames_before_answer=%ld%s%s\n",
                tag.c_str(), e.welcomed, e.failed, e.closed, e.errors, wrongDevice, duplicates, early,
                e.firstFailure.empty() ? "" : " first_failure=", e.firstFailure.c_str());
    return 0;
}

} // namespace sessionload
