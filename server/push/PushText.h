#pragma once

#include <QByteArray>
#include <QString>

#include <functional>

namespace herald {

// Fits a payload to a byte budget by shortening its text fields, so a long mail subject never
// turns into a provider rejection. Works on whole characters (never splits a UTF-8 sequence or a
// surrogate pair) and re-serialises the JSON each time, so escaping is always accounted for.
class PushText
{
public:
    // render(title, body) returns the serialised payload. Shortens body first, then title,
    // appending an ellipsis to what was cut. Returns an empty array if even empty texts don't fit.
    static QByteArray fit(const QString &title, const QString &body, int maxBytes,
                          const std::function<QByteArray(const QString &, const QString &)> &render);
    // Appends `text` as a JSON string literal (quotes included), UTF-8, escaped per RFC 8259.
    // Payloads are built by hand on the hot path: QJsonObject cost a third of a push's CPU time.
    static void appendJsonString(QByteArray &out, const QString &text);
    // The first `chars` UTF-16 units of text, backing off so a surrogate pair is never split.
    static QString cut(const QString &text, int chars);
};

} // namespace herald
