#include "ImapResponseParser.h"

namespace herald {

namespace {
bool isAtomChar(char c)
{
    // RFC 3501 ATOM-CHAR, except that we also accept '\' (flags) and ']' (response codes) and leave
    // list-wildcards alone: we only need to find where an atom ends, not to validate it.
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && c != '(' && c != ')' && c != '{' && c != '"';
}
bool isStatusWord(const QByteArray &w)
{
    return w == "OK" || w == "NO" || w == "BAD" || w == "BYE" || w == "PREAUTH";
}
// Data responses whose payload we actually read. Everything else stays unparsed text so that an
// odd extension response cannot trip the parser.
bool isInterpreted(const QByteArray &name)
{
    return name == "FETCH" || name == "STATUS" || name == "CAPABILITY" || name == "LIST" || name == "FLAGS"
        || name == "SEARCH" || name == "ENABLED";
}
} // namespace

class ImapResponseParser::Cursor
{
public:
    Cursor(const QByteArray &raw) : m_raw(raw)
    {
        m_end = raw.size();
        if (m_end > 0 && raw.at(m_end - 1) == '\n')
            --m_end;
        if (m_end > 0 && raw.at(m_end - 1) == '\r')
            --m_end;
    }

    bool atEnd() const { return m_pos >= m_end; }
    char peek() const { return m_pos < m_end ? m_raw.at(m_pos) : '\0'; }
    void skipSpaces()
    {
        while (m_pos < m_end && m_raw.at(m_pos) == ' ')
            ++m_pos;
    }
    QByteArray word()
    {
        const qint64 start = m_pos;
        while (m_pos < m_end && m_raw.at(m_pos) != ' ')
            ++m_pos;
        return m_raw.mid(start, m_pos - start);
    }
    QByteArray rest()
    {
        const QByteArray r = m_raw.mid(m_pos, m_end - m_pos);
        m_pos = m_end;
        return r;
    }
    qint64 position() const { return m_pos; }
    void setPosition(qint64 p) { m_pos = p; }
    qint64 end() const { return m_end; }
    const QByteArray &raw() const { return m_raw; }

    bool values(QList<ImapValue> *out, QString *error)
    {
        for (;;) {
            skipSpaces();
            if (atEnd())
                return true;
            ImapValue v;
            if (!value(&v, 0, error))
                return false;
            out->append(std::move(v));
        }
    }

    bool value(ImapValue *v, int depth, QString *error)
    {
        const char c = peek();
        if (c == '(') {
            if (depth >= MaxDepth)
                return fail(error, QStringLiteral("lists nested too deeply"));
            ++m_pos;
            v->type = ImapValue::Type::List;
            for (;;) {
                skipSpaces();
                if (atEnd())
                    return fail(error, QStringLiteral("unterminated list"));
                if (peek() == ')') {
                    ++m_pos;
                    return true;
                }
                ImapValue item;
                if (!value(&item, depth + 1, error))
                    return false;
                v->items.append(std::move(item));
            }
        }
        if (c == '"')
            return quoted(v, error);
        if (c == '{' || (c == '~' && m_pos + 1 < m_end && m_raw.at(m_pos + 1) == '{'))
            return literal(v, error);
        if (c == ')')
            return fail(error, QStringLiteral("unexpected ')'"));
        return atom(v, error);
    }

private:
    static bool fail(QString *error, const QString &what)
    {
        *error = what;
        return false;
    }

    bool quoted(ImapValue *v, QString *error)
    {
        ++m_pos;
        v->type = ImapValue::Type::String;
        while (m_pos < m_end) {
            const char c = m_raw.at(m_pos++);
            if (c == '"')
                return true;
            if (c == '\\') {
                if (m_pos >= m_end)
                    break;
                const char e = m_raw.at(m_pos++);
                if (e != '\\' && e != '"')
                    return fail(error, QStringLiteral("bad escape in quoted string"));
                v->data.append(e);
            } else if (c == '\r' || c == '\n') {
                return fail(error, QStringLiteral("line break in quoted string"));
            } else {
                v->data.append(c);
            }
        }
        return fail(error, QStringLiteral("unterminated quoted string"));
    }

    bool literal(ImapValue *v, QString *error)
    {
        if (peek() == '~')
            ++m_pos;
        const qint64 close = m_raw.indexOf('}', m_pos);
        if (close < 0 || close - m_pos > 14)
            return fail(error, QStringLiteral("malformed literal"));
        QByteArray digits = m_raw.mid(m_pos + 1, close - m_pos - 1);
        if (digits.endsWith('+'))
            digits.chop(1);
        bool ok = false;
        const qint64 size = digits.toLongLong(&ok);
        if (!ok || size < 0)
            return fail(error, QStringLiteral("malformed literal size"));
        qint64 p = close + 1;
        if (p < m_raw.size() && m_raw.at(p) == '\r')
            ++p;
        if (p >= m_raw.size() || m_raw.at(p) != '\n')
            return fail(error, QStringLiteral("literal not followed by a line break"));
        ++p;
        if (p + size > m_raw.size())
            return fail(error, QStringLiteral("literal runs past the response"));
        v->type = ImapValue::Type::String;
        v->data = m_raw.mid(p, size);
        m_pos = p + size;
        // The literal may have ended exactly where our trimmed end used to be computed from the
        // last line; the end marker is always after it.
        return true;
    }

    bool atom(ImapValue *v, QString *error)
    {
        const qint64 start = m_pos;
        while (m_pos < m_end) {
            const char c = m_raw.at(m_pos);
            if (c == '[') {
                // Section specs such as BODY[HEADER.FIELDS (FROM TO)] contain spaces and parens.
                const qint64 close = m_raw.indexOf(']', m_pos);
                if (close < 0 || close >= m_end)
                    return fail(error, QStringLiteral("unterminated '['"));
                m_pos = close + 1;
                continue;
            }
            if (!isAtomChar(c))
                break;
            ++m_pos;
        }
        if (m_pos == start)
            return fail(error, QStringLiteral("unexpected character 0x%1").arg(int(uchar(m_raw.at(m_pos))), 2, 16,
                                                                              QLatin1Char('0')));
        const QByteArray a = m_raw.mid(start, m_pos - start);
        if (a.compare("NIL", Qt::CaseInsensitive) == 0) {
            v->type = ImapValue::Type::Nil;
        } else {
            v->type = ImapValue::Type::Atom;
            v->data = a;
        }
        return true;
    }

    const QByteArray &m_raw;
    qint64 m_pos = 0;
    qint64 m_end = 0;
};

bool ImapResponseParser::parseValues(const QByteArray &raw, QList<ImapValue> *out, QString *error)
{
    Cursor cursor(raw);
    return cursor.values(out, error);
}

namespace {
// Status text after the status word: optional "[CODE args]", then free text.
void parseStatusTail(QByteArray tail, ImapResponse *out)
{
    tail = tail.trimmed();
    if (tail.startsWith('[')) {
        const qsizetype close = tail.indexOf(']');
        if (close > 0) {
            const QByteArray inner = tail.mid(1, close - 1).trimmed();
            const qsizetype space = inner.indexOf(' ');
            out->code = (space < 0 ? inner : inner.left(space)).toUpper();
            out->codeArgs = space < 0 ? QByteArray() : inner.mid(space + 1).trimmed();
            tail = tail.mid(close + 1).trimmed();
        }
    }
    out->text = tail;
}
} // namespace

bool ImapResponseParser::parse(const QByteArray &raw, ImapResponse *out, QString *error)
{
    *out = ImapResponse();
    Cursor cursor(raw);
    if (cursor.atEnd()) {
        *error = QStringLiteral("empty response");
        return false;
    }
    const char first = cursor.peek();
    if (first == '+') {
        out->kind = ImapResponse::Kind::Continuation;
        cursor.setPosition(1);
        out->text = cursor.rest().trimmed();
        return true;
    }
    const QByteArray tag = cursor.word();
    cursor.skipSpaces();
    const QByteArray second = cursor.word().toUpper();
    if (second.isEmpty()) {
        *error = QStringLiteral("response without content");
        return false;
    }
    if (tag == "*") {
        out->kind = ImapResponse::Kind::Untagged;
    } else {
        out->kind = ImapResponse::Kind::Tagged;
        out->tag = tag;
        if (!isStatusWord(second) || second == "PREAUTH" || second == "BYE") {
            *error = QStringLiteral("tagged response is not OK/NO/BAD");
            return false;
        }
    }
    if (isStatusWord(second)) {
        out->status = second;
        cursor.skipSpaces();
        parseStatusTail(cursor.rest(), out);
        return true;
    }

    bool isNumber = false;
    const qint64 number = second.toLongLong(&isNumber);
    if (isNumber) {
        if (number < 0 || number > 0xFFFFFFFFLL) {
            *error = QStringLiteral("message number out of range");
            return false;
        }
        out->number = number;
        cursor.skipSpaces();
        out->name = cursor.word().toUpper();
        if (out->name.isEmpty()) {
            *error = QStringLiteral("numbered response without keyword");
            return false;
        }
    } else {
        out->name = second;
    }
    cursor.skipSpaces();
    if (!isInterpreted(out->name)) {
        out->text = cursor.rest();
        return true;
    }
    return cursor.values(&out->values, error);
}

} // namespace herald
