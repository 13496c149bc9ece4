#pragma once
// Keep-alive HTTPS connections that POST /v1/events, non-blocking, one request in flight on each,
// shared by probe and cluster. Each connection goes to one port (one node of a cluster).

#include "LoadCommon.h"

namespace sessionload {

struct EventConn
{
    int fd = -1;
    SSL *ssl = nullptr;
    size_t node = 0;    // index into the ports the poster was opened with
    std::string in, out;
    long inflight = -1; // the caller's index of the event in flight, -1 when idle
    bool closed = false;
};

struct EventPoster
{
    std::vector<std::unique_ptr<EventConn>> conns;
    int epfd = -1;
    long closedConns = 0;
    // Called for every answer: the caller's event index, the HTTP status, the body.
    std::function<void(long, int, const std::string &)> onAnswer;

    SSL_CTX *ctx = nullptr;
    std::vector<int> ports;
    long reopened = 0;

    // Blocking connect + handshake, then non-blocking: `count` connections spread round robin over
    // `ports` (connection k to ports[k % ports.size()]).
    void open(SSL_CTX *context, const std::vector<int> &toPorts, int count)
    {
        ctx = context;
        ports = toPorts;
        epfd = epoll_create1(0);
        for (int k = 0; k < count; ++k) {
            auto c = std::make_unique<EventConn>();
            c->node = size_t(k) % ports.size();
            connectTo(*c);
            conns.push_back(std::move(c));
        }
    }

    void connectTo(EventConn &c)
    {
        c.fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(uint16_t(ports[c.node]));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(c.fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
            die("event connection failed");
        int one = 1;
        setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c.ssl = SSL_new(ctx);
        SSL_set_fd(c.ssl, c.fd);
        if (SSL_connect(c.ssl) != 1)
            die("event connection TLS failed");
        fcntl(c.fd, F_SETFL, fcntl(c.fd, F_GETFL) | O_NONBLOCK);
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLET;
        ev.data.ptr = &c;
        epoll_ctl(epfd, EPOLL_CTL_ADD, c.fd, &ev);
        c.closed = false;
        c.in.clear();
        c.out.clear();
        c.inflight = -1;
    }

    // A connection the server closed (e.g. one that sent no request within its request timeout)
    // is opened again before its next request.
    void reopen(EventConn &c)
    {
        epoll_ctl(epfd, EPOLL_CTL_DEL, c.fd, nullptr);
        SSL_free(c.ssl);
        ::close(c.fd);
        ++reopened;
        connectTo(c);
    }

    void pump(EventConn &c)
    {
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
            if (n > 0) {
                c.in.append(buf, size_t(n));
                continue;
            }
            const int e = SSL_get_error(c.ssl, n);
            if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE && !c.closed) {
                c.closed = true;
                ++closedConns;
                if (c.inflight >= 0) { // its answer will never come: status -1
                    std::fprintf(stderr, "event connection to node %zu closed with event %ld in flight\n",
                                 c.node + 1, c.inflight);
                    const long idx = c.inflight;
                    c.inflight = -1;
                    if (onAnswer)
                        onAnswer(idx, -1, {});
                }
            }
            break;
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
            const long idx = c.inflight;
            const int status = std::atoi(c.in.c_str() + 9);
            c.in.erase(0, he + 4 + cl);
            c.inflight = -1;
            if (idx >= 0 && onAnswer)
                onAnswer(idx, status, body);
        }
    }

    // POST /v1/events with `body` on an idle connection.
    void send(EventConn &c, long idx, const std::string &sourceToken, const std::string &body)
    {
        if (c.closed)
            reopen(c);
        c.out = "POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer " +
                sourceToken + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        c.inflight = idx;
        pump(c);
    }

    void poll()
    {
        epoll_event evs[64];
        const int n = epoll_wait(epfd, evs, 64, 0);
        for (int i = 0; i < n; ++i)
            pump(*static_cast<EventConn *>(evs[i].data.ptr));
    }
};

inline std::string mailEventBody(const std::string &account, const std::string &eventId)
{
    return "{\"account\":\"" + account + "\",\"app\":\"mail\",\"eventId\":\"" + eventId +
           "\",\"sender\":\"bench@example.org\",\"subject\":\"latency probe\",\"body\":\"hello\"}";
}

} // namespace sessionload
