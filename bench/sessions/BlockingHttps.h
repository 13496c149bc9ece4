#pragma once
// session_load register: blocking TLS, one keep-alive connection per thread.

#include "LoadCommon.h"

namespace sessionload {

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

} // namespace sessionload
