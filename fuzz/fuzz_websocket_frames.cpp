// RFC 6455 client frames as a hostile terminal sends them on the session channel: lengths in
// every encoding, masks, fragments, control frames, invalid UTF-8, sizes past the limit.
#include "presence/WebSocketFrameReader.h"

#include <QStringDecoder>

#include <cstdint>
#include <cstdlib>

using namespace herald;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    constexpr qint64 maxMessage = 1024;
    WebSocketFrameReader reader(maxMessage);
    QByteArray buffer(reinterpret_cast<const char *>(data), qsizetype(size));
    for (;;) {
        const qsizetype before = buffer.size();
        const WebSocketFrameReader::Frame f = reader.next(buffer);
        using Kind = WebSocketFrameReader::Frame::Kind;
        switch (f.kind) {
        case Kind::NeedMore:
            if (buffer.size() != before)
                std::abort(); // nothing may be consumed without a frame
            return 0;
        case Kind::Error:
            if (f.code < 1000 || f.reason.isEmpty())
                std::abort();
            return 0;
        case Kind::Close:
            return 0;
        case Kind::Text: {
            QStringDecoder decoder(QStringDecoder::Utf8);
            const QString text = decoder(f.payload);
            if (decoder.hasError() || f.payload.size() > maxMessage)
                std::abort(); // only whole, valid, bounded messages come out
            break;
        }
        default:
            break;
        }
        if (buffer.size() >= before)
            std::abort(); // a frame always consumes bytes, so the loop ends
    }
}
