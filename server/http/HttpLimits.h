#pragma once

#include <QtGlobal>

namespace herald {

// Bounds on what one client may make the server hold or wait for.
struct HttpLimits
{
    int maxRequestLineBytes = 8 * 1024;
    int maxHeaderBytes = 32 * 1024;
    int maxHeaderCount = 100;
    qint64 maxBodyBytes = 64 * 1024;
    int headerTimeoutMs = 10'000; // a request's head and body must arrive within this (slowloris)
    int idleTimeoutMs = 60'000;   // keep-alive connections with no request are closed after this
    // A client that does not take its answers (pipelined requests it never reads the answers of,
    // or the last answer before the close) loses the connection after this.
    int sendTimeoutMs = 30'000;
};

} // namespace herald
