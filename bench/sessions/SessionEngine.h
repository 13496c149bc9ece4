#pragma once
// The non-blocking engine shared by hold and probe: raw OpenSSL on non-blocking sockets with
// epoll, one thread.

#include "LoadCommon.h"

namespace sessionload {

enum class Mode { Session, NoHello, Tcp };
enum class St : uint8_t { Connecting, Handshaking, Upgrading, Hello, Ready, Held, Dead };

struct Sess
{
    int fd = -1;
    SSL *ssl = nullptr;
    St st = St::Connecting;
    uint32_t idx = 0;
    int port = 0; // the node this session is on
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

    // A session with token idx, to `toPort` (a node of a cluster) or to the engine's port.
    Sess *start(uint32_t idx, int toPort = 0)
    {
        auto s = std::make_unique<Sess>();
        s->idx = idx;
        s->port = toPort ? toPort : port;
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
        a.sin_port = htons(uint16_t(raw->port));
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
            ERR_clear_error(); // another connection's failure must not be read as this one's
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
            ERR_clear_error();
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
            s.out = "GET /v1/session HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(s.port) +
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
            ERR_clear_error();
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

inline Engine makeEngine(const Args &a)
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

} // namespace sessionload
