#include "MimeText.h"

#include <QStringDecoder>

namespace herald::MimeText {

namespace {
int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

QString plainBytes(const QByteArray &bytes)
{
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString s = utf8.decode(bytes);
    if (!utf8.hasError())
        return s;
    return QString::fromLatin1(bytes);
}

// One "=?charset?X?text?=" starting at `pos`. On success fills *decoded and *end (one past "?=").
bool decodeWord(const QByteArray &raw, qsizetype pos, QString *decoded, qsizetype *end)
{
    if (!raw.mid(pos, 2).startsWith("=?"))
        return false;
    const qsizetype q1 = raw.indexOf('?', pos + 2);
    if (q1 < 0 || q1 + 2 >= raw.size() || raw.at(q1 + 2) != '?')
        return false;
    const char enc = raw.at(q1 + 1);
    const qsizetype textStart = q1 + 3;
    const qsizetype close = raw.indexOf("?=", textStart);
    if (close < 0)
        return false;
    const QByteArray text = raw.mid(textStart, close - textStart);
    if (text.contains(' ') || text.contains('\t'))
        return false;
    QByteArray charset = raw.mid(pos + 2, q1 - pos - 2);
    const qsizetype star = charset.indexOf('*'); // RFC 2231 language suffix
    if (star >= 0)
        charset.truncate(star);
    QByteArray bytes;
    if (enc == 'B' || enc == 'b')
        bytes = QByteArray::fromBase64(text);
    else if (enc == 'Q' || enc == 'q')
        bytes = decodeQuotedPrintable(text, true);
    else
        return false;
    bool ok = false;
    *decoded = toUnicode(bytes, charset, &ok);
    if (!ok)
        return false;
    *end = close + 2;
    return true;
}
} // namespace

QString toUnicode(const QByteArray &bytes, const QByteArray &charset, bool *ok)
{
    const QByteArray name = charset.trimmed().toLower();
    if (ok)
        *ok = true;
    if (name.isEmpty() || name == "us-ascii" || name == "ascii")
        return plainBytes(bytes);
    if (name == "utf-8" || name == "utf8")
        return QString::fromUtf8(bytes);
    if (name == "iso-8859-1" || name == "latin1" || name == "iso8859-1")
        return QString::fromLatin1(bytes);
    QStringDecoder decoder(name.constData());
    if (decoder.isValid())
        return decoder.decode(bytes);
    if (ok)
        *ok = false;
    return QString::fromLatin1(bytes);
}

QString decodeHeader(const QByteArray &raw)
{
    QString out;
    qsizetype pos = 0;
    qsizetype plainStart = 0;
    bool lastWasEncoded = false;
    while (pos < raw.size()) {
        const qsizetype start = raw.indexOf("=?", pos);
        if (start < 0)
            break;
        QString decoded;
        qsizetype end = 0;
        if (!decodeWord(raw, start, &decoded, &end)) {
            pos = start + 2;
            continue;
        }
        const QByteArray between = raw.mid(plainStart, start - plainStart);
        if (!(lastWasEncoded && between.trimmed().isEmpty()))
            out += plainBytes(between);
        out += decoded;
        lastWasEncoded = true;
        pos = plainStart = end;
    }
    out += plainBytes(raw.mid(plainStart));
    // Header folding leaves CR/LF behind in some servers' envelopes; a notification title has no use
    // for them, and control characters could confuse whoever displays the text.
    for (QChar &c : out) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = QLatin1Char(' ');
    }
    return out.simplified();
}

QByteArray decodeQuotedPrintable(const QByteArray &in, bool headerMode)
{
    QByteArray out;
    out.reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        const char c = in.at(i);
        if (c == '_' && headerMode) {
            out.append(' ');
        } else if (c == '=') {
            if (i + 1 < in.size() && (in.at(i + 1) == '\r' || in.at(i + 1) == '\n')) {
                // Soft line break.
                ++i;
                if (in.at(i) == '\r' && i + 1 < in.size() && in.at(i + 1) == '\n')
                    ++i;
            } else if (i + 2 < in.size() && hexValue(in.at(i + 1)) >= 0 && hexValue(in.at(i + 2)) >= 0) {
                out.append(char(hexValue(in.at(i + 1)) * 16 + hexValue(in.at(i + 2))));
                i += 2;
            } else if (i + 2 >= in.size()) {
                break; // cut off inside an escape by the excerpt limit
            } else {
                out.append(c);
            }
        } else {
            out.append(c);
        }
    }
    return out;
}

QByteArray decodeBase64Prefix(const QByteArray &in)
{
    QByteArray clean;
    clean.reserve(in.size());
    for (char c : in) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
            || c == '=')
            clean.append(c);
    }
    clean.truncate(clean.size() - clean.size() % 4);
    return QByteArray::fromBase64(clean);
}

QString excerpt(const QByteArray &raw, const QByteArray &transferEncoding, const QByteArray &charset, int maxChars)
{
    const QByteArray te = transferEncoding.trimmed().toLower();
    QByteArray bytes = raw;
    if (te == "quoted-printable")
        bytes = decodeQuotedPrintable(raw);
    else if (te == "base64")
        bytes = decodeBase64Prefix(raw);
    QString text = toUnicode(bytes, charset);
    // The excerpt may end in the middle of a UTF-8 sequence: drop the replacement character it leaves.
    while (!text.isEmpty() && text.back() == QChar::ReplacementCharacter)
        text.chop(1);
    for (QChar &c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = QLatin1Char(' ');
    }
    text = text.simplified();
    if (text.size() > maxChars) {
        text.truncate(maxChars);
        if (!text.isEmpty() && text.back().isHighSurrogate())
            text.chop(1);
    }
    return text;
}

} // namespace herald::MimeText
