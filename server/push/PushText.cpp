#include "push/PushText.h"

namespace herald {

QString PushText::cut(const QString &text, int chars)
{
    if (chars >= text.size())
        return text;
    if (chars <= 0)
        return {};
    if (text.at(chars - 1).isHighSurrogate())
        --chars;
    return text.left(chars);
}

void PushText::appendJsonString(QByteArray &out, const QString &text)
{
    static const char hex[] = "0123456789abcdef";
    const QByteArray utf8 = text.toUtf8();
    out.reserve(out.size() + utf8.size() + 2);
    out.append('"');
    // Most text needs no escaping: runs between the bytes that do are copied whole (one append
    // per byte was most of what building an APNs payload cost).
    const char *run = utf8.constData();
    const char *const end = run + utf8.size();
    for (const char *p = run; p != end; ++p) {
        const auto c = uchar(*p);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(run, p - run);
        run = p + 1;
        switch (c) {
        case '"':
            out.append("\\\"", 2);
            break;
        case '\\':
            out.append("\\\\", 2);
            break;
        case '\n':
            out.append("\\n", 2);
            break;
        case '\r':
            out.append("\\r", 2);
            break;
        case '\t':
            out.append("\\t", 2);
            break;
        case '\b':
            out.append("\\b", 2);
            break;
        case '\f':
            out.append("\\f", 2);
            break;
        default: {
            const char escaped[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
            out.append(escaped, 6);
        }
        }
    }
    out.append(run, end - run);
    out.append('"');
}

QByteArray PushText::fit(const QString &title, const QString &body, int maxBytes,
                         const std::function<QByteArray(const QString &, const QString &)> &render)
{
    QByteArray full = render(title, body);
    if (full.size() <= maxBytes)
        return full;
    static const QString ellipsis = QStringLiteral("\u2026");
    // Largest prefix of `text` that fits, by binary search over its length.
    auto shrink = [&](const QString &text, const std::function<QByteArray(const QString &)> &with,
                      QByteArray *out) {
        int lo = 0, hi = int(text.size()) - 1; // at least one character is dropped
        int best = -1;
        while (lo <= hi) {
            const int mid = (lo + hi) / 2;
            const QString candidate = mid > 0 ? cut(text, mid) + ellipsis : QString();
            const QByteArray r = with(candidate);
            if (r.size() <= maxBytes) {
                best = mid;
                *out = r;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return best >= 0;
    };
    QByteArray out;
    if (shrink(
            body, [&](const QString &b) { return render(title, b); }, &out))
        return out;
    if (shrink(
            title, [&](const QString &t) { return render(t, QString()); }, &out))
        return out;
    return {};
}

} // namespace herald
