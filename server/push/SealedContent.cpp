#include "push/SealedContent.h"

#include "crypto/WebPushCrypto.h"
#include "push/PushText.h"

#include <functional>

namespace herald {
namespace {

QByteArray render(const PushContent &c, const QString &sender, const QString &subject, const QString &excerpt)
{
    QByteArray out;
    out.reserve(160 + (sender.size() + subject.size() + excerpt.size() + c.uri.size()) * 3);
    auto field = [&out](const char *name, const QString &value) {
        out.append(",\"").append(name).append("\":");
        PushText::appendJsonString(out, value);
    };
    out.append("{\"v\":1");
    field("nid", c.notificationId);
    field("app", c.app);
    field("sender", sender);
    field("subject", subject);
    field("excerpt", excerpt);
    field("uri", c.uri);
    field("createdAt", c.createdAt.toUTC().toString(Qt::ISODateWithMs));
    out.append('}');
    return out;
}

// The longest prefix of `text` (whole characters, an ellipsis added when cut) for which
// `fits(prefix)` holds; binary search, since rendering is linear in the text.
QString longestFitting(const QString &text, const std::function<bool(const QString &)> &fits)
{
    if (fits(text))
        return text;
    int lo = 0, hi = int(text.size()); // fits(cut(lo)) is assumed, fits(text) is false
    auto cutAt = [&](int n) { return n == 0 ? QString() : PushText::cut(text, n) + QChar(0x2026); };
    while (hi - lo > 1) {
        const int mid = (lo + hi) / 2;
        if (fits(cutAt(mid)))
            lo = mid;
        else
            hi = mid;
    }
    return cutAt(lo);
}

} // namespace

int SealedContent::maxBlobBytesFor(const QString &platform)
{
    return platform == QLatin1String("web") ? kWebMaxBlobBytes : kMobileMaxBlobBytes;
}

QByteArray SealedContent::plaintext(const PushContent &c, int maxBytes)
{
    auto fits = [&](const QString &sender, const QString &subject, const QString &excerpt) {
        return render(c, sender, subject, excerpt).size() <= maxBytes;
    };
    if (fits(c.sender, c.subject, c.excerpt))
        return render(c, c.sender, c.subject, c.excerpt);
    if (!fits({}, {}, {}))
        return {};
    // The sender is kept whole longest, then the subject; the excerpt takes what is left.
    const QString sender = longestFitting(c.sender, [&](const QString &s) { return fits(s, {}, {}); });
    const QString subject = longestFitting(c.subject, [&](const QString &s) { return fits(sender, s, {}); });
    const QString excerpt = longestFitting(c.excerpt, [&](const QString &e) { return fits(sender, subject, e); });
    return render(c, sender, subject, excerpt);
}

std::optional<QByteArray> SealedContent::seal(const PushContent &content, const QByteArray &p256dh,
                                              const QByteArray &authSecret, int maxBlobBytes, QString *error)
{
    const QByteArray text = plaintext(content, maxBlobBytes - WebPushCrypto::kOverheadBytes);
    if (text.isEmpty()) {
        if (error)
            *error = QStringLiteral("the notification's ids alone exceed %1 bytes").arg(maxBlobBytes);
        return std::nullopt;
    }
    return WebPushCrypto::encrypt(text, p256dh, authSecret, error);
}

} // namespace herald
