#pragma once
// What every session_load command shares: arguments, the stop flag, the TLS client context, the
// few JSON and token-file helpers.

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


namespace sessionload {

using Clock = std::chrono::steady_clock;
inline double nowMs()
{
    return std::chrono::duration<double, std::milli>(Clock::now().time_since_epoch()).count();
}

inline volatile sig_atomic_t g_stop = 0;
inline void onSignal(int) { g_stop = 1; }

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

[[noreturn]] inline void die(const std::string &msg)
{
    std::fprintf(stderr, "session_load: %s\n", msg.c_str());
    std::exit(2);
}

inline SSL_CTX *makeContext(const std::string &caFile)
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

inline std::string jsonString(const std::string &text, const std::string &key)
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

inline std::vector<TokenLine> readTokens(const std::string &path)
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

} // namespace sessionload
