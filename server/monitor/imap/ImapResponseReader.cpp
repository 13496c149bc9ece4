#include "ImapResponseReader.h"

namespace herald {

namespace {
// A line ending in "{123}" or "{123+}" (LITERAL+ syntax, which a server never should send but a
// hostile one may) announces a literal. Returns its size, -1 when the line announces none, -2 when
// the announcement is malformed.
qint64 literalSize(const QByteArray &buffer, qint64 from, qint64 end)
{
    if (end <= from || buffer.at(end - 1) != '}')
        return -1;
    qint64 i = end - 2;
    if (i >= from && buffer.at(i) == '+')
        --i;
    const qint64 digitsEnd = i + 1;
    while (i >= from && buffer.at(i) >= '0' && buffer.at(i) <= '9')
        --i;
    if (i < from || buffer.at(i) != '{')
        return -1;
    const qint64 digits = digitsEnd - (i + 1);
    if (digits == 0 || digits > 12)
        return -2;
    return buffer.mid(i + 1, digits).toLongLong();
}
} // namespace

ImapResponseReader::Result ImapResponseReader::next(QByteArray *response, QString *error)
{
    for (;;) {
        if (m_literalRemaining > 0) {
            const qint64 available = m_buffer.size() - m_lineStart;
            if (available < m_literalRemaining)
                return Result::NeedMore;
            m_lineStart += m_literalRemaining;
            m_literalRemaining = 0;
        }
        const qint64 lf = m_buffer.indexOf('\n', m_lineStart);
        if (lf < 0) {
            if (m_buffer.size() - m_lineStart > m_limits.maxLineBytes) {
                *error = QStringLiteral("response line longer than %1 bytes").arg(m_limits.maxLineBytes);
                return Result::Error;
            }
            return Result::NeedMore;
        }
        if (lf - m_lineStart > m_limits.maxLineBytes) {
            *error = QStringLiteral("response line longer than %1 bytes").arg(m_limits.maxLineBytes);
            return Result::Error;
        }
        const qint64 contentEnd = (lf > m_lineStart && m_buffer.at(lf - 1) == '\r') ? lf - 1 : lf;
        const qint64 literal = literalSize(m_buffer, m_lineStart, contentEnd);
        if (literal == -2 || literal > m_limits.maxLiteralBytes) {
            *error = QStringLiteral("literal larger than %1 bytes").arg(m_limits.maxLiteralBytes);
            return Result::Error;
        }
        if (lf + 1 + qMax<qint64>(literal, 0) > m_limits.maxResponseBytes) {
            *error = QStringLiteral("response larger than %1 bytes").arg(m_limits.maxResponseBytes);
            return Result::Error;
        }
        if (literal >= 0) {
            m_lineStart = lf + 1;
            m_literalRemaining = literal;
            continue;
        }
        *response = m_buffer.left(lf + 1);
        m_buffer.remove(0, lf + 1);
        m_lineStart = 0;
        return Result::Complete;
    }
}

void ImapResponseReader::clear()
{
    m_buffer.clear();
    m_lineStart = 0;
    m_literalRemaining = 0;
}

} // namespace herald
