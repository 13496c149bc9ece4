// session_load: load generator for bench/sessions (issue 3). Not a test; never run by ctest.
//
//   session_load register --port P --ca CERT --out FILE --prefix NAME --accounts A --per-account D
//                         --password PW [--parallel C] [--login APP]
//       registers A*D devices (device ids NAME-<i>, accounts NAME<a>) over C keep-alive TLS
//       connections and writes "deviceId<TAB>account<TAB>deviceToken" lines to FILE.
//   session_load hold --port P --ca CERT --tokens FILE --from I --count N --source-ip 127.0.0.X
//                     [--rate R] [--hold-secs S] [--heartbeat H] [--mode session|nohello|tcp]
//       opens N sessions (tokens I..I+N-1) from the given source address at R/s and keeps them:
//       session = TLS, GET /v1/session upgrade, hello, wait for welcome, one state frame, then a
//       ping every H s (jittered); nohello = TLS + upgrade only; tcp = a bare TCP connection.
//       Prints a status line each second; exits after S s once everything is started, or on SIGTERM.
//   session_load probe --port P --ca CERT --tokens FILE --source-token T --pushes FILE
//                      [--rate 50] [--secs 20]
//       uses every device in FILE (one device per account, logged in to "mail"):
//       phase fg: state foreground, then events at R/s; latency = event sent -> deliver frame.
//       phase bg: per event, state background immediately followed by the event; the event must
//       not come in-band; latency = state sent -> the push line with its nid in the pushes file.
//
// Raw OpenSSL on non-blocking sockets with epoll, one thread, so 5 000 sessions per process stay
// cheap (SSL_MODE_RELEASE_BUFFERS on the client side).

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
double nowMs()
{
    return std::chrono::duration<double, std::milli>(Clock::now().time_since_epoch()).count();
}

volatile sig_atomic_t g_stop = 0;
void onSignal(int) { g_stop = 1; }

struct Args
{
    std::map<std::string, std::string> kv;
    std::string get(const std::string &k, const std::string &def = {}) const
    {
        auto it = kv.find(k);
        return it == kv.end() ? def : it->second;
    }
    long num(const std::string &k, long def) const
    {
        auto it = kv.find(k);
        return it == kv.end() ? def : std::strtol(it->second.c_str(), nullptr, 10);
    }
};

[[noreturn]] void die(const std::string &msg)
{
    std::fprintf(stderr, "session_load: %s\n", msg.c_str());
    std::exit(2);
}

SSL_CTX *makeContext(const std::string &caFile)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                              SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (!caFile.empty()) {
        if (SSL_CTX_load_verify_locations(ctx, caFile.c_str(), nullptr) != 1)
            die("cannot load " + caFile);
        X509_VERIFY_PARAM_set_flags(SSL_CTX_get0_param(ctx), X509_V_FLAG_PARTIAL_CHAIN);
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    }
    return ctx;
}

std::string jsonString(const std::string &text, const std::string &key)
{
    const std::string needle = "\"" + key + "\":\"";
    const size_t p = text.find(needle);
    if (p == std::string::npos)
        return {};
    const size_t start = p + needle.size();
    const size_t end = text.find('"', start);
    return end == std::string::npos ? std::string() : text.substr(start, end - start);
}

struct TokenLine
{
    std::string deviceId, account, token;
};

std::vector<TokenLine> readTokens(const std::string &path)
{
    std::ifstream in(path);
    if (!in)
        die("cannot read " + path);
    std::vector<TokenLine> out;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        TokenLine t;
        if (std::getline(ls, t.deviceId, '\t') && std::getline(ls, t.account, '\t') && std::getline(ls, t.token))
            out.push_back(t);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// register: blocking TLS, one keep-alive connection per thread.

struct BlockingHttps
{
    SSL_CTX *ctx;
    int port;
    int fd = -1;
    SSL *ssl = nullptr;
    std::string buf;

    void close()
    {
        if (ssl)
            SSL_free(ssl);
        if (fd >= 0)
            ::close(fd);
        ssl = nullptr;
        fd = -1;
        buf.clear();
    }
    bool open()
    {
        close();
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(uint16_t(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0)
            return false;
        ssl = SSL_new(ctx);
        SSL_set_fd(ssl, fd);
        return SSL_connect(ssl) == 1;
    }
    // Returns the status, fills body; 0 on transport failure.
    int request(const std::string &method, const std::string &path, const std::string &bearer,
                const std::string &body, std::string *respBody)
    {
        if (!ssl && !open())
            return 0;
        std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
        if (!bearer.empty())
            req += "Authorization: Bearer " + bearer + "\r\n";
        req += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        if (SSL_write(ssl, req.data(), int(req.size())) <= 0)
            return 0;
        char tmp[16384];
        for (;;) {
            const size_t he = buf.find("\r\n\r\n");
            if (he != std::string::npos) {
                size_t cl = 0;
                std::string head = buf.substr(0, he);
                for (auto &c : head)
                    c = char(std::tolower(c));
                const size_t p = head.find("content-length:");
                if (p != std::string::npos)
                    cl = std::strtoul(head.c_str() + p + 15, nullptr, 10);
                if (buf.size() >= he + 4 + cl) {
                    const int status = std::atoi(buf.c_str() + 9);
                    *respBody = buf.substr(he + 4, cl);
                    buf.erase(0, he + 4 + cl);
                    if (head.find("connection: close") != std::string::npos)
                        close();
                    return status;
                }
            }
            const int n = SSL_read(ssl, tmp, sizeof tmp);
            if (n <= 0)
                return 0;
            buf.append(tmp, size_t(n));
        }
    }
};

int cmdRegister(const Args &a)
{
    SSL_CTX *ctx = makeContext(a.get("ca"));
    const int port = int(a.num("port", 0));
    const std::string prefix = a.get("prefix", "bench");
    const long accounts = a.num("accounts", 1), perAccount = a.num("per-account", 1);
    const long total = accounts * perAccount;
    const int parallel = int(std::max(1L, a.num("parallel", 8)));
    const std::string password = a.get("password"), loginApp = a.get("login");
    std::vector<TokenLine> out(static_cast<size_t>(total));
    std::atomic<long> next{0}, failed{0};
    const double t0 = nowMs();
    std::vector<std::thread> threads;
    for (int t = 0; t < parallel; ++t) {
        threads.emplace_back([&] {
            BlockingHttps c{ctx, port, -1, nullptr, {}};
            for (;;) {
                const long i = next++;
                if (i >= total)
                    break;
                TokenLine &line = out[size_t(i)];
                line.account = prefix + std::to_string(i / perAccount);
                line.deviceId = prefix + "-dev-" + std::to_string(i);
                const std::string body = "{\"username\":\"" + line.account + "\",\"password\":\"" + password +
                                         "\",\"device\":{\"id\":\"" + line.deviceId +
                                         "\",\"platform\":\"android\",\"pushToken\":\"fcm-" + line.deviceId +
                                         "\"},\"apps\":[\"mail\"]}";
                std::string resp;
                int status = 0;
                for (int attempt = 0; attempt < 3 && status != 201; ++attempt) {
                    status = c.request("POST", "/v1/register", {}, body, &resp);
                    if (status == 0)
                        c.close();
                }
                line.token = status == 201 ? jsonString(resp, "deviceToken") : std::string();
                if (line.token.empty()) {
                    ++failed;
                    std::fprintf(stderr, "register %s: status %d %s\n", line.deviceId.c_str(), status, resp.c_str());
                    continue;
                }
                if (!loginApp.empty()) {
                    const int s = c.request("POST", "/v1/login", line.token,
                                            "{\"apps\":[{\"app\":\"" + loginApp + "\"}]}", &resp);
                    if (s != 200) {
                        ++failed;
                        std::fprintf(stderr, "login %s: status %d %s\n", line.account.c_str(), s, resp.c_str());
                    }
                }
            }
            c.close();
        });
    }
    for (auto &t : threads)
        t.join();
    std::ofstream f(a.get("out"));
    long ok = 0;
    for (const auto &l : out) {
        if (!l.token.empty()) {
            f << l.deviceId << '\t' << l.account << '\t' << l.token << '\n';
            ++ok;
        }
    }
    const double secs = (nowMs() - t0) / 1000.0;
    std::printf("registered %ld of %ld devices on %ld accounts in %.1f s (%.0f/s), %ld failures\n", ok, total,
                accounts, secs, ok / std::max(secs, 0.001), failed.load());
    return failed.load() == 0 ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------
// The non-blocking engine shared by hold and probe.

enum class Mode { Session, NoHello, Tcp };
enum class St : uint8_t { Connecting, Handshaking, Upgrading, Hello, Ready, Held, Dead };

struct Sess
{
    int fd = -1;
    SSL *ssl = nullptr;
    St st = St::Connecting;
    uint32_t idx = 0;
    double nextPing = 0;
    std::string in, out;
};

struct Engine
{
    SSL_CTX *ctx = nullptr;
    int port = 0;
    in_addr source{};
    Mode mode = Mode::Session;
    int heartbeatMs = 30000;
    int epfd = -1;
    const std::vector<TokenLine> *tokens = nullptr;
    std::vector<std::unique_ptr<Sess>> sessions;
    std::mt19937 rng{std::random_device{}()};
    long connected = 0, upgraded = 0, welcomed = 0, failed = 0, closed = 0, pongs = 0, errors = 0;
    std::string firstFailure;
    // probe hooks
    std::function<void(Sess &, const std::string &)> onText;

    void fail(Sess &s, const std::string &why)
    {
        if (s.st == St::Dead)
            return;
        const bool wasUp = s.st == St::Ready || s.st == St::Held || s.st == St::Hello;
        if (wasUp)
            ++closed;
        else
            ++failed;
        if (firstFailure.empty())
            firstFailure = why;
        s.st = St::Dead;
        if (s.ssl)
            SSL_free(s.ssl);
        s.ssl = nullptr;
        if (s.fd >= 0) {
            epoll_ctl(epfd, EPOLL_CTL_DEL, s.fd, nullptr);
            ::close(s.fd);
        }
        s.fd = -1;
        std::string().swap(s.in);
        std::string().swap(s.out);
    }

    Sess *start(uint32_t idx)
    {
        auto s = std::make_unique<Sess>();
        s->idx = idx;
        Sess *raw = s.get();
        sessions.push_back(std::move(s));
        raw->fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (raw->fd < 0) {
            fail(*raw, std::string("socket: ") + std::strerror(errno));
            return raw;
        }
        int one = 1;
        setsockopt(raw->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        sockaddr_in local{};
        local.sin_family = AF_INET;
        local.sin_addr = source;
        if (::bind(raw->fd, reinterpret_cast<sockaddr *>(&local), sizeof local) != 0) {
            fail(*raw, std::string("bind: ") + std::strerror(errno));
            return raw;
        }
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(uint16_t(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(raw->fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 && errno != EINPROGRESS) {
            fail(*raw, std::string("connect: ") + std::strerror(errno));
            return raw;
        }
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLOUT | EPOLLET | EPOLLRDHUP;
        ev.data.ptr = raw;
        epoll_ctl(epfd, EPOLL_CTL_ADD, raw->fd, &ev);
        return raw;
    }

    void sendFrame(Sess &s, const std::string &text)
    {
        std::string f;
        f.push_back(char(0x81));
        if (text.size() < 126) {
            f.push_back(char(0x80 | text.size()));
        } else {
            f.push_back(char(0x80 | 126));
            f.push_back(char((text.size() >> 8) & 0xff));
            f.push_back(char(text.size() & 0xff));
        }
        unsigned char mask[4];
        const uint32_t r = rng();
        std::memcpy(mask, &r, 4);
        f.append(reinterpret_cast<char *>(mask), 4);
        for (size_t i = 0; i < text.size(); ++i)
            f.push_back(char(text[i] ^ mask[i % 4]));
        s.out += f;
        flush(s);
    }

    void flush(Sess &s)
    {
        while (s.ssl && !s.out.empty() && s.st != St::Dead) {
            const int n = SSL_write(s.ssl, s.out.data(), int(s.out.size()));
            if (n > 0) {
                s.out.erase(0, size_t(n));
                continue;
            }
            const int e = SSL_get_error(s.ssl, n);
            if (e != SSL_ERROR_WANT_WRITE && e != SSL_ERROR_WANT_READ)
                fail(s, "write failed");
            return;
        }
        if (s.out.empty() && s.out.capacity() > 256)
            std::string().swap(s.out);
    }

    void drive(Sess &s)
    {
        if (s.st == St::Dead)
            return;
        if (s.st == St::Connecting) {
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err == EINPROGRESS)
                return;
            if (err != 0)
                return fail(s, std::string("connect: ") + std::strerror(err));
            sockaddr_in peer{};
            socklen_t plen = sizeof peer;
            if (getpeername(s.fd, reinterpret_cast<sockaddr *>(&peer), &plen) != 0)
                return; // not connected yet
            ++connected;
            if (mode == Mode::Tcp) {
                s.st = St::Held;
                return;
            }
            s.ssl = SSL_new(ctx);
            SSL_set_fd(s.ssl, s.fd);
            s.st = St::Handshaking;
        }
        if (s.st == St::Handshaking) {
            const int r = SSL_connect(s.ssl);
            if (r != 1) {
                const int e = SSL_get_error(s.ssl, r);
                if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
                    return;
                char buf[256];
                ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
                return fail(s, std::string("TLS handshake: ") + buf);
            }
            const TokenLine &t = (*tokens)[s.idx];
            s.out = "GET /v1/session HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                    "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " +
                    t.token + "\r\n\r\n";
            s.st = St::Upgrading;
        }
        flush(s);
        if (s.st == St::Dead || !s.ssl)
            return;
        char buf[4096];
        for (;;) {
            const int n = SSL_read(s.ssl, buf, sizeof buf);
            if (n > 0) {
                s.in.append(buf, size_t(n));
                continue;
            }
            const int e = SSL_get_error(s.ssl, n);
            if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
                break;
            return fail(s, e == SSL_ERROR_ZERO_RETURN ? "closed by the server" : "read failed");
        }
        process(s);
    }

    void process(Sess &s)
    {
        if (s.st == St::Upgrading) {
            const size_t he = s.in.find("\r\n\r\n");
            if (he == std::string::npos)
                return;
            if (s.in.compare(0, 12, "HTTP/1.1 101") != 0)
                return fail(s, "upgrade refused: " + s.in.substr(0, s.in.find("\r\n")));
            s.in.erase(0, he + 4);
            ++upgraded;
            if (mode == Mode::NoHello) {
                s.st = St::Held;
            } else {
                s.st = St::Hello;
                sendFrame(s, "{\"type\":\"hello\",\"protocol\":1,\"features\":[\"ack\",\"clear\"]}");
            }
        }
        while (s.st != St::Dead && s.in.size() >= 2) {
            const auto *p = reinterpret_cast<const unsigned char *>(s.in.data());
            size_t len = p[1] & 0x7f, hdr = 2;
            if (len == 126) {
                if (s.in.size() < 4)
                    break;
                len = (size_t(p[2]) << 8) | p[3];
                hdr = 4;
            } else if (len == 127) {
                return fail(s, "unexpected huge frame");
            }
            if (s.in.size() < hdr + len)
                break;
            const int op = p[0] & 0x0f;
            const std::string payload = s.in.substr(hdr, len);
            s.in.erase(0, hdr + len);
            if (op == 0x8)
                return fail(s, "close frame from the server");
            if (op != 0x1)
                continue;
            const std::string type = jsonString(payload, "type");
            if (type == "welcome" && s.st == St::Hello) {
                ++welcomed;
                s.st = St::Ready;
                sendFrame(s, "{\"type\":\"state\",\"app\":\"mail\",\"ui\":\"background\"}");
                s.nextPing = nowMs() + std::uniform_int_distribution<int>(heartbeatMs / 2, heartbeatMs)(rng);
            } else if (type == "pong") {
                ++pongs;
            } else if (type == "error") {
                ++errors;
                if (firstFailure.empty())
                    firstFailure = "error frame: " + payload;
            }
            if (onText)
                onText(s, payload);
        }
        if (s.in.empty() && s.in.capacity() > 256)
            std::string().swap(s.in);
    }

    void poll(int timeoutMs)
    {
        epoll_event evs[512];
        const int n = epoll_wait(epfd, evs, 512, timeoutMs);
        for (int i = 0; i < n; ++i) {
            Sess &s = *static_cast<Sess *>(evs[i].data.ptr);
            if (mode == Mode::Tcp && s.st == St::Held && (evs[i].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))) {
                fail(s, "closed by the server");
                continue;
            }
            drive(s);
        }
    }

    void pings(double now)
    {
        for (auto &sp : sessions) {
            Sess &s = *sp;
            if (s.st == St::Ready && s.nextPing <= now) {
                sendFrame(s, "{\"type\":\"ping\"}");
                s.nextPing = now + heartbeatMs;
            }
        }
    }
};

Engine makeEngine(const Args &a)
{
    Engine e;
    e.ctx = makeContext(a.get("ca"));
    e.port = int(a.num("port", 0));
    inet_pton(AF_INET, a.get("source-ip", "127.0.0.1").c_str(), &e.source);
    e.heartbeatMs = int(a.num("heartbeat", 30)) * 1000;
    e.epfd = epoll_create1(0);
    const std::string m = a.get("mode", "session");
    e.mode = m == "tcp" ? Mode::Tcp : m == "nohello" ? Mode::NoHello : Mode::Session;
    return e;
}

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

// ---------------------------------------------------------------------------------------------
// probe

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
            const int n = SSL_write(c.ssl, c.out.data(), int(c.out.size()));
            if (n <= 0)
                break;
            c.out.erase(0, size_t(n));
        }
        char buf[4096];
        for (;;) {
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
    auto pollAll = [&](int ms) {
        e.poll(ms); // sessions: deliver frames are timestamped as they arrive
        epoll_event evs[16];
        const int n = epoll_wait(ecEpfd, evs, 16, 0);
        for (int i = 0; i < n; ++i)
            pumpConn(*static_cast<EventConn *>(evs[i].data.ptr));
        for (auto &c : ec) {
            if (c.inflight < 0 && !queue.empty()) {
                const long idx = queue.front();
                queue.erase(queue.begin());
                sendEvent(c, idx);
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

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2)
        die("usage: session_load register|hold|probe --key value ...");
    Args a;
    for (int i = 2; i + 1 < argc; i += 2) {
        std::string k = argv[i];
        if (k.rfind("--", 0) != 0)
            die("bad argument " + k);
        a.kv[k.substr(2)] = argv[i + 1];
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, onSignal);
    signal(SIGINT, onSignal);
    const std::string cmd = argv[1];
    if (cmd == "register")
        return cmdRegister(a);
    if (cmd == "hold")
        return cmdHold(a);
    if (cmd == "probe")
        return cmdProbe(a);
    die("unknown command " + cmd);
}
