// session_load register: see session_load.cpp.
#include "BlockingHttps.h"
#include "Commands.h"

namespace sessionload {

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

} // namespace sessionload
