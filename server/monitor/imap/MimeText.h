#pragma once

#include <QByteArray>
#include <QString>

namespace herald {

// Turning the bytes a mail server hands us into text: RFC 2047 encoded-words in headers, and the
// content transfer encodings and charsets of a body excerpt.
namespace MimeText {

// Decodes a header value such as "=?UTF-8?B?w4lyaWM=?= <x@y>" (B and Q encodings, any charset Qt
// knows, UTF-8 and ISO-8859-1 always). Whitespace between adjacent encoded-words is dropped as
// RFC 2047 section 6.2 asks. Unencoded bytes are read as UTF-8 when valid, else ISO-8859-1.
// An encoded-word we cannot decode (unknown charset, bad syntax) is kept verbatim.
QString decodeHeader(const QByteArray &raw);

// charset -> Unicode. *ok is false when the charset is unknown; then ISO-8859-1 is used.
QString toUnicode(const QByteArray &bytes, const QByteArray &charset, bool *ok = nullptr);

// Quoted-printable (RFC 2045 6.7); header mode (RFC 2047 "Q") also maps '_' to a space.
QByteArray decodeQuotedPrintable(const QByteArray &in, bool headerMode = false);

// Base64 that may have been cut off anywhere (a BODY[]<0.N> excerpt): decodes the whole quanta.
QByteArray decodeBase64Prefix(const QByteArray &in);

// A body excerpt in the given transfer encoding and charset, as readable text of at most maxChars
// characters: line breaks folded to single spaces, a partially cut multi-byte sequence dropped.
QString excerpt(const QByteArray &raw, const QByteArray &transferEncoding, const QByteArray &charset, int maxChars);

} // namespace MimeText

} // namespace herald
