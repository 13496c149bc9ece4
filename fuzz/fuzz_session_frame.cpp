// Session-channel messages (JSON text) as the server reads them from terminals, and as
// herald-client reads them from a server.
#include "protocol/SessionFrameParser.h"

#include <cstdint>
#include <cstdlib>

using namespace herald::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray utf8(reinterpret_cast<const char *>(data), qsizetype(size));
    static const SessionFrameParser server(FrameDirection::ClientToServer, 4096);
    static const SessionFrameParser client(FrameDirection::ServerToClient, 4096);
    for (const SessionFrameParser *parser : {&server, &client}) {
        const SessionFrameResult r = parser->parse(utf8);
        if (r.isValid() == !r.error.code.isEmpty())
            std::abort(); // exactly one of a frame and an error
    }
    return 0;
}
