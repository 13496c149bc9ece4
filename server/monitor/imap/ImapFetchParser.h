#pragma once

#include "ImapMessage.h"
#include "ImapResponse.h"

#include <QString>

namespace herald {

// Reads the FETCH responses our monitor asks for: UID, ENVELOPE, INTERNALDATE, BODYSTRUCTURE and a
// BODY[section]<0> excerpt. Anything else in the response is ignored.
class ImapFetchParser
{
public:
    static constexpr int MaxSubjectChars = 1000;
    static constexpr int MaxNameChars = 256;

    struct Result
    {
        quint32 uid = 0;       // 0: the response carried no UID
        bool hasEnvelope = false;
        bool hasBody = false;  // a BODY[...] item was present
        QDateTime internalDate; // INTERNALDATE, when present and readable: when the server received it
        QByteArray body;       // its raw bytes
    };

    // Fills *message from a "* n FETCH (...)" response. False with *error when the response is
    // malformed in a way that means the server is broken (not a list, envelope of the wrong shape).
    static bool parse(const ImapResponse &response, ImapMessage *message, Result *result, QString *error);
    static QDateTime parseInternalDate(const QByteArray &text);

private:
    static bool readEnvelope(const ImapValue &envelope, ImapMessage *message, QString *error);
    static void findTextPart(const ImapValue &structure, const QByteArray &prefix, ImapMessage *message, int depth);
};

} // namespace herald
