#include "http/HttpHeadParser.h"

#include "protocol/ApiError.h"

#include <QUrl>

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

namespace herald {
namespace {

// RFC 9110 tchar, as a table: names are checked byte by byte on every request.
constexpr std::array<bool, 256> tokenChars()
{
    std::array<bool, 256> t{};
    for (int c = '0'; c <= '9'; ++c)
        t[c] = true;
    for (int c = 'a'; c <= 'z'; ++c)
        t[c] = t[c - 'a' + 'A'] = true;
    for (char c : std::string_view("!#$%&'*+-.^_`|~"))
        t[uchar(c)] = true;
    return t;
}

bool isToken(QByteArrayView s)
{
    static constexpr std::array<bool, 256> tchar = tokenChars();
    if (s.isEmpty())
        return false;
    for (char c : s)
        if (!tchar[uchar(c)])
            return false;
    return true;
}

// memchr: QByteArrayView::indexOf(char) goes through Qt's general substring search.
qsizetype find(QByteArrayView s, char c, qsizetype from = 0)
{
    if (from >= s.size())
        return -1;
    const void *at = std::memchr(s.data() + from, c, size_t(s.size() - from));
    return at ? static_cast<const char *>(at) - s.data() : -1;
}

// The same for a short needle: libstdc++ looks for its first byte with memchr; Qt's search hashed
// every byte of the head.
qsizetype find(QByteArrayView s, std::string_view needle)
{
    const size_t at = std::string_view(s.data(), size_t(s.size())).find(needle);
    return at == std::string_view::npos ? -1 : qsizetype(at);
}

HttpHeadParser::Result error(int status, const char *code, const char *message)
{
    HttpHeadParser::Result r;
    r.status = HttpHeadParser::Status::Error;
    r.errorStatus = status;
    r.errorCode = QString::fromLatin1(code);
    r.errorMessage = QString::fromLatin1(message);
    return r;
}

HttpHeadParser::Result malformed(const char *message)
{
    return error(400, "bad_request", message);
}

} // namespace

HttpHeadParser::Result HttpHeadParser::parse(QByteArrayView data, const HttpLimits &limits, HttpRequest *request)
{
    const qsizetype end = find(data, "\r\n\r\n");
    if (end < 0) {
        const qsizetype lineEnd = find(data, "\r\n");
        if ((lineEnd < 0 && data.size() > limits.maxRequestLineBytes) || lineEnd > limits.maxRequestLineBytes)
            return error(414, "request_line_too_long", "the request line is too long");
        if (data.size() > limits.maxRequestLineBytes + limits.maxHeaderBytes)
            return error(431, "headers_too_large", "the request headers are too large");
        return {};
    }
    const qsizetype requestLineEnd = find(data, "\r\n");
    if (requestLineEnd > limits.maxRequestLineBytes)
        return error(414, "request_line_too_long", "the request line is too long");
    if (end - requestLineEnd > limits.maxHeaderBytes)
        return error(431, "headers_too_large", "the request headers are too large");

    // Views into the buffer: nothing below copies a line, only the names and values kept.
    const QByteArrayView head = data.first(end);
    qsizetype pos = 0;
    auto nextLine = [&head, &pos] {
        qsizetype newline = find(head, '\n', pos);
        if (newline < 0)
            newline = head.size();
        const QByteArrayView line = head.sliced(pos, newline - pos);
        pos = newline + 1;
        return line;
    };

    *request = HttpRequest();
    const QByteArrayView requestLine = nextLine().trimmed();
    if (requestLine.size() > limits.maxRequestLineBytes)
        return error(414, "request_line_too_long", "the request line is too long");
    const qsizetype firstSpace = find(requestLine, ' ');
    const qsizetype secondSpace = firstSpace < 0 ? -1 : find(requestLine, ' ', firstSpace + 1);
    if (secondSpace < 0 || find(requestLine, ' ', secondSpace + 1) >= 0)
        return malformed("malformed request line");
    const QByteArrayView method = requestLine.first(firstSpace);
    const QByteArrayView target = requestLine.sliced(firstSpace + 1, secondSpace - firstSpace - 1);
    const QByteArrayView version = requestLine.sliced(secondSpace + 1);
    if (!isToken(method) || !target.startsWith('/'))
        return malformed("malformed request line");
    if (version != "HTTP/1.1" && version != "HTTP/1.0")
        return error(505, "http_version_not_supported", "only HTTP/1.1 and 1.0 are served");
    request->method = method.toByteArray();
    const qsizetype q = find(target, '?');
    const QByteArrayView rawPath = q < 0 ? target : target.first(q);
    request->path = find(rawPath, '%') >= 0 ? QUrl::fromPercentEncoding(rawPath.toByteArray())
                                           : QString::fromUtf8(rawPath);
    if (request->path.contains(QChar(0)))
        return malformed("malformed path");
    if (q >= 0)
        request->query = QUrlQuery(QString::fromUtf8(target.sliced(q + 1)));

    if (std::count(head.begin(), head.end(), '\n') > limits.maxHeaderCount)
        return error(431, "headers_too_large", "too many request headers");
    while (pos <= head.size()) {
        QByteArrayView line = nextLine();
        if (line.endsWith('\r'))
            line.chop(1);
        const qsizetype colon = find(line, ':');
        // Obsolete line folding and names with spaces are classic smuggling vectors: refuse them.
        if (colon <= 0 || !isToken(line.first(colon)))
            return malformed("malformed header line");
        const QByteArray name = line.first(colon).toByteArray().toLower();
        const QByteArray value = line.sliced(colon + 1).trimmed().toByteArray();
        const auto seen = request->headers.find(name);
        if (seen == request->headers.end())
            request->headers.insert(name, value);
        else if (name != "content-length")
            seen.value() += ", " + value;
        else if (seen.value() != value)
            return malformed("conflicting Content-Length headers");
    }

    Result r;
    r.consumed = end + 4;
    const QByteArray connection = request->header("connection").toLower();
    r.keepAlive = version == "HTTP/1.1" ? !connection.contains("close") : connection.contains("keep-alive");

    if (request->headers.contains("transfer-encoding"))
        return error(411, "length_required", "chunked request bodies are not accepted; send Content-Length");
    if (request->headers.contains("content-length")) {
        const QByteArray value = request->header("content-length");
        bool ok = !value.isEmpty() && value.size() <= 18;
        for (char c : value)
            ok = ok && c >= '0' && c <= '9';
        if (!ok)
            return malformed("malformed Content-Length");
        r.contentLength = value.toLongLong();
    }
    if (r.contentLength > limits.maxBodyBytes) {
        const auto tooLarge = protocol::ApiError::payloadTooLarge(limits.maxBodyBytes);
        Result e = error(tooLarge.status, "", "");
        e.errorCode = tooLarge.code;
        e.errorMessage = tooLarge.message;
        e.consumed = r.consumed;
        e.contentLength = r.contentLength;
        return e;
    }
    r.status = Status::Complete;
    return r;
}

} // namespace herald
