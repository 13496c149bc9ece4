#pragma once

#include <QDateTime>
#include <QString>
#include <QVariant>

#include <optional>

// How SqliteStorage writes values: times as UTC milliseconds (0 = unset), text never as NULL
// (a null QString binds as SQL NULL, and optional text columns are NOT NULL DEFAULT '').
namespace herald::sqlvalues {

inline qint64 toMs(const QDateTime &t) { return t.isValid() ? t.toMSecsSinceEpoch() : 0; }
inline QDateTime fromMs(const QVariant &v)
{
    return v.isNull() || v.toLongLong() == 0 ? QDateTime() : QDateTime::fromMSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}
inline QString text(const QString &s) { return s.isNull() ? QStringLiteral("") : s; }

// A state column's text as its enum (parse: one of RecordStates.h's parse…()). Unknown text is not
// mapped to anything: false, and *error names the column and the value.
template<typename E>
bool fromText(const QVariant &v, std::optional<E> (*parse)(QStringView), const char *column, E *out, QString *error)
{
    const QString stored = v.toString();
    if (const std::optional<E> value = parse(stored)) {
        *out = *value;
        return true;
    }
    *error = QStringLiteral("%1 holds '%2', which this version does not know")
                 .arg(QLatin1String(column), stored.left(64));
    return false;
}

} // namespace herald::sqlvalues
