#include "api/FlatJsonObject.h"

#include <QStringDecoder>

#include <algorithm>

namespace herald {

namespace {

// A cursor over the body. Every reader returns false at the first byte it is not sure about.
class Reader
{
public:
    explicit Reader(QByteArrayView json)
        : m_p(json.data())
        , m_end(json.data() + json.size())
    {
    }

    bool atEnd() const { return m_p == m_end; }
    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }
    bool take(char c)
    {
        if (m_p < m_end && *m_p == c) {
            ++m_p;
            return true;
        }
        return false;
    }
    bool takeWord(const char *word, int length)
    {
        if (m_end - m_p < length || memcmp(m_p, word, size_t(length)) != 0)
            return false;
        m_p += length;
        return true;
    }

    // After the opening quote; leaves the cursor past the closing one.
    bool string(QString *out)
    {
        // Nearly every string is printable ASCII without escapes: one scan, one Latin-1 copy.
        const char *start = m_p;
        while (m_p < m_end && uchar(*m_p) >= 0x20 && uchar(*m_p) < 0x7f && *m_p != '"' && *m_p != '\\')
            ++m_p;
        if (m_p < m_end && *m_p == '"') {
            *out = QString::fromLatin1(start, m_p - start);
            ++m_p;
            return true;
        }
        QString text = QString::fromLatin1(start, m_p - start);
        while (m_p < m_end) {
            const uchar c = uchar(*m_p);
            if (c == '"') {
                ++m_p;
                *out = std::move(text);
                return true;
            }
            if (c < 0x20)
                return false; // a raw control character: QJsonDocument's call
            if (c == '\\') {
                if (!escape(&text))
                    return false;
                continue;
            }
            // A run of plain bytes, ASCII or not, up to the next quote, backslash or control byte:
            // Qt's UTF-8 decoder says whether it is well-formed by the rules QJsonDocument applies
            // too (no overlong forms, no surrogates, nothing past U+10FFFF, no cut sequence;
            // tst_flatjson holds the two together).
            const QByteArrayView run(m_p, std::find_if(m_p, m_end, [](char b) {
                                              return uchar(b) < 0x20 || b == '"' || b == '\\';
                                          }) - m_p);
            m_p += run.size();
            // QJsonDocument drops a byte-order mark that starts a string and keeps one anywhere
            // else: a rule of its own, left to it.
            if (run.contains("\xef\xbb\xbf"))
                return false;
            QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
            text += utf8.decode(run);
            if (utf8.hasError())
                return false;
        }
        return false; // unterminated
    }

private:
    static int hexDigit(char c)
    {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    }

    // "\uXXXX" at the cursor.
    bool codeUnit(char16_t *unit)
    {
        if (m_end - m_p < 6 || m_p[0] != '\\' || m_p[1] != 'u')
            return false;
        int v = 0;
        for (int i = 2; i < 6; ++i) {
            const int d = hexDigit(m_p[i]);
            if (d < 0)
                return false;
            v = v * 16 + d;
        }
        *unit = char16_t(v);
        m_p += 6;
        return true;
    }

    bool escape(QString *text)
    {
        if (m_end - m_p < 2)
            return false;
        const char c = m_p[1];
        const char *simple = "\"\\/bfnrt";
        const char *decoded = "\"\\/\b\f\n\r\t";
        if (const char *hit = c ? strchr(simple, c) : nullptr) {
            text->append(QChar(uchar(decoded[hit - simple])));
            m_p += 2;
            return true;
        }
        char16_t unit = 0;
        if (!codeUnit(&unit))
            return false;
        if (QChar::isLowSurrogate(unit))
            return false; // a lone low surrogate
        if (QChar::isHighSurrogate(unit)) {
            char16_t low = 0;
            if (!codeUnit(&low) || !QChar::isLowSurrogate(low))
                return false; // only whole pairs here
            text->append(QChar(unit));
            text->append(QChar(low));
            return true;
        }
        text->append(QChar(unit));
        return true;
    }

    const char *m_p;
    const char *m_end;
};

} // namespace

bool FlatJsonObject::parse(QByteArrayView json)
{
    m_members.clear();
    Reader in(json);
    in.skipSpace();
    if (!in.take('{'))
        return false;
    in.skipSpace();
    if (!in.take('}')) {
        for (;;) {
            Member m;
            if (!in.take('"') || !in.string(&m.name))
                return false;
            // Member names beyond ASCII are never ours, and QJsonObject orders them by a rule of its
            // own: left to QJsonDocument.
            if (std::any_of(m.name.cbegin(), m.name.cend(), [](QChar c) { return c.unicode() >= 0x80; }))
                return false;
            in.skipSpace();
            if (!in.take(':'))
                return false;
            in.skipSpace();
            if (in.take('"')) {
                if (!in.string(&m.value))
                    return false;
            } else if (in.takeWord("null", 4)) {
                m.null = true;
            } else {
                return false; // a number, boolean, object or array: not this shape
            }
            // A repeated name is valid JSON with a rule of its own in QJsonDocument: left to it.
            if (m_members.size() == kMaxMembers || find(m.name))
                return false;
            m_members.append(std::move(m));
            in.skipSpace();
            if (in.take('}'))
                break;
            if (!in.take(','))
                return false;
            in.skipSpace();
        }
    }
    in.skipSpace();
    return in.atEnd();
}

const FlatJsonObject::Member *FlatJsonObject::find(QStringView name) const
{
    for (const Member &m : m_members)
        if (m.name == name)
            return &m;
    return nullptr;
}

QJsonValue FlatJsonObject::value(QStringView name) const
{
    const Member *m = find(name);
    if (!m)
        return QJsonValue(QJsonValue::Undefined);
    if (m->null)
        return QJsonValue(QJsonValue::Null);
    return QJsonValue(m->value);
}

QJsonObject FlatJsonObject::toObject() const
{
    QJsonObject object;
    for (const Member &m : m_members)
        object.insert(m.name, m.null ? QJsonValue(QJsonValue::Null) : QJsonValue(m.value));
    return object;
}

} // namespace herald
