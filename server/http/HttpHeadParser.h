#pragma once

#include "http/HttpLimits.h"
#include "http/HttpRequest.h"

#include <QByteArrayView>
#include <QString>

namespace herald {

// Reads one HTTP/1.1 request head (request line and header fields) from the front of a buffer.
// Pure: no socket and no clock, so the connection stays a thin driver and the rules that
// decide what a hostile client may send can be fuzzed on their own (fuzz/fuzz_http_head.cpp).
class HttpHeadParser
{
public:
    enum class Status { NeedMore, Complete, Error };

    struct Result
    {
        Status status = Status::NeedMore;
        qsizetype consumed = 0;     // bytes of the head, its blank line included (Complete)
        qint64 contentLength = 0;   // declared body length (Complete, or Error 413)
        bool keepAlive = true;      // what the client asked for (Complete)
        int errorStatus = 0;        // Error: the HTTP status to answer
        QString errorCode;          // Error: the API error code
        QString errorMessage;       // Error: the text for humans
    };

    // data: the unread bytes, starting where a request starts. On Complete, *request holds the
    // method, path, query and headers (peer and body are the caller's).
    static Result parse(QByteArrayView data, const HttpLimits &limits, HttpRequest *request);
};

} // namespace herald
