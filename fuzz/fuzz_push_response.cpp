// Answers from APNs and FCM: any status, a Retry-After header, any body. The first two bytes are
// the status, the bytes up to the first newline the Retry-After value, the rest the body.
#include "push/ApnsProvider.h"
#include "push/FcmProvider.h"

#include <cstdint>
#include <cstdlib>

using namespace herald;

namespace {

void check(const PushResult &r, const Http2Response &response)
{
    if (r.httpStatus != response.status || r.reason.size() > 100 || r.retryAfterSecs < -1)
        std::abort();
    if (r.outcome == PushResult::Outcome::Delivered && response.status != 200)
        std::abort(); // only a 200 is ever taken as delivered
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    Http2Response response;
    response.status = 100 + (data[0] << 8 | data[1]) % 500;
    const QByteArray rest(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));
    const qsizetype newline = rest.indexOf('\n');
    if (newline >= 0) {
        response.headers.append({QByteArrayLiteral("retry-after"), rest.first(newline)});
        response.headers.append({QByteArrayLiteral("apns-id"), rest.first(newline)});
        response.body = rest.sliced(newline + 1);
    } else {
        response.body = rest;
    }
    check(ApnsProvider::classify(response), response);
    check(FcmProvider::classify(response), response);
    return 0;
}
