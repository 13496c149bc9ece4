#include "ImapSyntax.h"

namespace herald::ImapSyntax {

bool needsLiteral(const QByteArray &bytes)
{
    for (char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if (u == 0 || u == '\r' || u == '\n' || u >= 0x80)
            return true;
    }
    return false;
}

QByteArray quoted(const QByteArray &bytes)
{
    if (needsLiteral(bytes))
        return QByteArray();
    QByteArray out;
    out.reserve(bytes.size() + 2);
    out.append('"');
    for (char c : bytes) {
        if (c == '"' || c == '\\')
            out.append('\\');
        out.append(c);
    }
    out.append('"');
    return out;
}

QByteArray encodeMailboxName(const QString &name)
{
    QByteArray out;
    QString pending; // run of non-printable-ASCII characters waiting to be base64-encoded
    auto flush = [&] {
        if (pending.isEmpty())
            return;
        QByteArray utf16;
        for (QChar c : std::as_const(pending)) {
            utf16.append(char(c.unicode() >> 8));
            utf16.append(char(c.unicode() & 0xff));
        }
        QByteArray b64 = utf16.toBase64(QByteArray::OmitTrailingEquals);
        b64.replace('/', ',');
        out.append('&').append(b64).append('-');
        pending.clear();
    };
    for (QChar c : name) {
        const ushort u = c.unicode();
        if (u >= 0x20 && u <= 0x7e) {
            flush();
            out.append(u == '&' ? QByteArray("&-") : QByteArray(1, char(u)));
        } else {
            pending.append(c);
        }
    }
    flush();
    return out;
}

QByteArray mailboxArgument(const QString &name)
{
    if (name.compare(QLatin1String("INBOX"), Qt::CaseInsensitive) == 0)
        return QByteArrayLiteral("INBOX");
    return quoted(encodeMailboxName(name));
}

} // namespace herald::ImapSyntax
