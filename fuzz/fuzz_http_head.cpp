// HTTP/1.1 request heads as a hostile client sends them: the request line, header fields, their
// limits, Content-Length rules. Pipelined heads are read one after another as the connection does.
#include "http/HttpHeadParser.h"

#include <QByteArrayView>

#include <cstdint>
#include <cstdlib>

using namespace herald;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    HttpLimits limits;
    limits.maxRequestLineBytes = 512; // small limits so the fuzzer reaches every limit's edge
    limits.maxHeaderBytes = 2048;
    limits.maxHeaderCount = 20;
    limits.maxBodyBytes = 256;
    QByteArrayView rest(reinterpret_cast<const char *>(data), qsizetype(size));
    while (!rest.isEmpty()) {
        HttpRequest request;
        const HttpHeadParser::Result r = HttpHeadParser::parse(rest, limits, &request);
        if (r.status == HttpHeadParser::Status::Error) {
            if (r.errorStatus < 400 || r.errorStatus > 599 || r.errorCode.isEmpty())
                std::abort(); // every refusal must be a client or server error with a code
            return 0;
        }
        if (r.status == HttpHeadParser::Status::NeedMore)
            return 0;
        if (r.consumed <= 0 || r.consumed > rest.size() || r.contentLength < 0 ||
            r.contentLength > limits.maxBodyBytes || request.method.isEmpty() || !request.path.startsWith(u'/'))
            std::abort();
        const qint64 body = qMin<qint64>(r.contentLength, rest.size() - r.consumed);
        rest = rest.sliced(r.consumed + body);
    }
    return 0;
}
