#include "app/IniFile.h"

#include <QFile>
#include <QRegularExpression>
#include <QStringDecoder>

namespace herald {

bool IniFile::load(const QString &path)
{
    m_fileName = path;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(0, QStringLiteral("cannot read: %1").arg(file.errorString()));
    if (file.size() > MaxFileBytes)
        return fail(0, QStringLiteral("file is larger than %1 bytes").arg(MaxFileBytes));
    return parse(file.read(MaxFileBytes + 1), path);
}

bool IniFile::parse(const QByteArray &text, const QString &nameForErrors)
{
    m_fileName = nameForErrors;
    m_sections.clear();
    m_error.clear();
    if (text.size() > MaxFileBytes)
        return fail(0, QStringLiteral("file is larger than %1 bytes").arg(MaxFileBytes));
    if (text.contains('\0'))
        return fail(0, QStringLiteral("file contains NUL bytes; is it a text file?"));
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString decoded = decoder(text);
    if (decoder.hasError())
        return fail(0, QStringLiteral("file is not valid UTF-8"));

    static const QRegularExpression sectionRe(QStringLiteral("^\\[([A-Za-z0-9_.\\-]+)\\]\\z"));
    static const QRegularExpression keyRe(QStringLiteral("^[A-Za-z0-9_.\\-]+\\z"));
    QString section = QStringLiteral("server"); // keys before any header belong to [server]
    const QStringList lines = decoded.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const int lineNo = i + 1;
        QString line = lines.at(i);
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        line = line.trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')) || line.startsWith(QLatin1Char(';')))
            continue;
        if (line.startsWith(QLatin1Char('['))) {
            const auto match = sectionRe.match(line);
            if (!match.hasMatch())
                return fail(lineNo, QStringLiteral("malformed section header '%1'").arg(line.left(80)));
            section = match.captured(1).toLower();
            m_sections[section]; // an empty section still exists
            continue;
        }
        const int eq = line.indexOf(QLatin1Char('='));
        if (eq < 0)
            return fail(lineNo, QStringLiteral("expected 'key = value'"));
        const QString key = line.left(eq).trimmed().toLower();
        QString value = line.mid(eq + 1).trimmed();
        if (!keyRe.match(key).hasMatch())
            return fail(lineNo, QStringLiteral("invalid key '%1'").arg(key.left(80)));
        if (value.startsWith(QLatin1Char('"'))) {
            if (value.size() < 2 || !value.endsWith(QLatin1Char('"')))
                return fail(lineNo, QStringLiteral("unterminated quoted value for '%1'").arg(key));
            value = value.mid(1, value.size() - 2);
        }
        Section &entries = m_sections[section];
        if (entries.contains(key))
            return fail(lineNo, QStringLiteral("'%1' is already set in [%2] on line %3")
                                    .arg(key, section)
                                    .arg(entries.value(key).line));
        entries.insert(key, Entry{value, lineNo});
    }
    return true;
}

bool IniFile::fail(int line, const QString &what)
{
    m_error = line > 0 ? QStringLiteral("%1:%2: %3").arg(m_fileName).arg(line).arg(what)
                       : QStringLiteral("%1: %2").arg(m_fileName, what);
    return false;
}

} // namespace herald
