#include "storage/postgresql/PgStatementText.h"

namespace herald {
namespace {

bool isNameStart(QChar c) { return c.isLetter() || c == QLatin1Char('_'); }
bool isNamePart(QChar c) { return c.isLetterOrNumber() || c == QLatin1Char('_'); }

// Copies a quoted run ('…' or "…", the quote doubled inside) starting at `i`; returns the index after it.
qsizetype copyQuoted(const QString &in, qsizetype i, QString *out)
{
    const QChar quote = in.at(i);
    out->append(quote);
    ++i;
    while (i < in.size()) {
        out->append(in.at(i));
        if (in.at(i) == quote) {
            if (i + 1 < in.size() && in.at(i + 1) == quote) {
                out->append(quote);
                i += 2;
                continue;
            }
            return i + 1;
        }
        ++i;
    }
    return i; // unterminated: PostgreSQL reports it when the statement is prepared
}

} // namespace

PgStatementText PgStatementText::fromNamed(const QString &in)
{
    PgStatementText result;
    result.sql.reserve(in.size());
    qsizetype i = 0;
    while (i < in.size()) {
        const QChar c = in.at(i);
        if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            i = copyQuoted(in, i, &result.sql);
            continue;
        }
        if (c == QLatin1Char('-') && i + 1 < in.size() && in.at(i + 1) == QLatin1Char('-')) {
            const qsizetype end = in.indexOf(QLatin1Char('\n'), i);
            const qsizetype stop = end < 0 ? in.size() : end;
            result.sql.append(QStringView(in).mid(i, stop - i));
            i = stop;
            continue;
        }
        if (c == QLatin1Char(':')) {
            if (i + 1 < in.size() && in.at(i + 1) == QLatin1Char(':')) { // a cast
                result.sql.append(QStringLiteral("::"));
                i += 2;
                continue;
            }
            if (i + 1 < in.size() && isNameStart(in.at(i + 1))) {
                qsizetype end = i + 1;
                while (end < in.size() && isNamePart(in.at(end)))
                    ++end;
                const QString name = in.mid(i + 1, end - i - 1);
                qsizetype position = result.parameters.indexOf(name);
                if (position < 0) {
                    result.parameters.append(name);
                    position = result.parameters.size() - 1;
                }
                result.sql.append(QLatin1Char('$') + QString::number(position + 1));
                i = end;
                continue;
            }
        }
        result.sql.append(c);
        ++i;
    }
    return result;
}

} // namespace herald
