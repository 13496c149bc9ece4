// What an IMAP server sends: lines, literals ({n}CRLF + n bytes), nested lists, FETCH envelopes and
// body excerpts, as a hostile or broken server might. The first byte picks the size of the pieces the stream arrives in, so
// responses split across reads are covered too.
#include "monitor/imap/ImapFetchParser.h"
#include "monitor/imap/ImapResponseParser.h"
#include "monitor/imap/ImapResponseReader.h"

#include <cstdint>
#include <cstdlib>

using namespace herald;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype piece = 1 + data[0] % 64;
    const QByteArray stream(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    ImapResponseReader::Limits limits;
    limits.maxLineBytes = 1024;
    limits.maxLiteralBytes = 4096;
    limits.maxResponseBytes = 8192;
    ImapResponseReader reader(limits);
    for (qsizetype at = 0; at < stream.size(); at += piece) {
        reader.append(stream.mid(at, piece));
        for (;;) {
            QByteArray raw;
            QString error;
            const ImapResponseReader::Result r = reader.next(&raw, &error);
            if (r == ImapResponseReader::Result::NeedMore)
                break;
            if (r == ImapResponseReader::Result::Error) {
                if (error.isEmpty())
                    std::abort();
                return 0;
            }
            // Servers' bare LF ends a line too (the reader is lenient there, as most clients are).
            if (raw.size() > limits.maxResponseBytes || !raw.endsWith('\n'))
                std::abort(); // a complete response is bounded and ends its line
            ImapResponse response;
            QString parseError;
            if (!ImapResponseParser::parse(raw, &response, &parseError) && parseError.isEmpty())
                std::abort();
            // A FETCH response goes on to the envelope, structure and excerpt readers (RFC 2047
            // words, quoted-printable, base64, charsets) as the monitor would take it.
            ImapMessage message;
            ImapFetchParser::Result fetched;
            ImapFetchParser::parse(response, &message, &fetched, &parseError);
            QList<ImapValue> values;
            ImapResponseParser::parseValues(raw, &values, &parseError);
        }
        if (reader.bufferedBytes() > limits.maxResponseBytes + piece)
            std::abort(); // never buffers past its cap
    }
    return 0;
}
