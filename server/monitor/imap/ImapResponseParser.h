#pragma once

#include "ImapResponse.h"

#include <QByteArray>
#include <QString>

namespace herald {

// Turns one complete response (as cut by ImapResponseReader) into an ImapResponse. Strict where a
// mistake could desynchronise us (strings, literals, lists), lenient about data we do not use:
// untagged responses with keywords we do not interpret are kept as text and never parsed.
class ImapResponseParser
{
public:
    // Lists nested deeper than this are refused: a recursion bomb must not blow the stack.
    static constexpr int MaxDepth = 32;

    static bool parse(const QByteArray &raw, ImapResponse *out, QString *error);
    // Parses a run of values (e.g. the inside of a FETCH response) up to the end of `raw`.
    static bool parseValues(const QByteArray &raw, QList<ImapValue> *out, QString *error);

private:
    class Cursor;
};

} // namespace herald
