#pragma once

#include <QMap>
#include <QString>

namespace herald {

// A small, strict INI reader: `[section]`, `key = value`, `#`/`;` comment lines, optional
// double quotes around a value. Unlike QSettings it reports errors with file and line, rejects
// duplicates instead of silently keeping one, and never turns commas into lists.
class IniFile
{
public:
    struct Entry
    {
        QString value;
        int line = 0;
    };
    using Section = QMap<QString, Entry>;

    static constexpr qint64 MaxFileBytes = 1024 * 1024;

    bool load(const QString &path);
    bool parse(const QByteArray &text, const QString &nameForErrors);

    QString errorString() const { return m_error; }
    QString fileName() const { return m_fileName; }
    const QMap<QString, Section> &sections() const { return m_sections; }

private:
    bool fail(int line, const QString &what);

    QString m_fileName;
    QString m_error;
    QMap<QString, Section> m_sections;
};

} // namespace herald
