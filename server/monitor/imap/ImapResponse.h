#pragma once

#include "ImapValue.h"

#include <QByteArray>
#include <QList>

namespace herald {

// One complete server response (RFC 3501 section 7), literals already folded into values.
struct ImapResponse
{
    enum class Kind { Tagged, Untagged, Continuation };

    Kind kind = Kind::Untagged;
    QByteArray tag;      // Tagged only
    QByteArray status;   // "OK", "NO", "BAD", "BYE", "PREAUTH" (upper case); empty for data responses
    QByteArray code;     // response code name inside [...], upper case ("UIDVALIDITY", "CAPABILITY", ...)
    QByteArray codeArgs; // the rest of the response code, raw
    QByteArray text;     // human-readable text of a status or continuation response; never logged
    qint64 number = -1;  // "* <n> EXISTS|EXPUNGE|RECENT|FETCH"
    QByteArray name;     // data response keyword, upper case: "FETCH", "STATUS", "CAPABILITY", ...
    QList<ImapValue> values; // the parsed data after the keyword (only for keywords we interpret)

    bool isStatus() const { return !status.isEmpty(); }
};

} // namespace herald
