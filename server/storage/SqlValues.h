#pragma once

#include <QDateTime>
#include <QString>
#include <QVariant>

// How SqliteStorage writes values: times as UTC milliseconds (0 = unset), text never as NULL
// (a null QString binds as SQL NULL, and optional text columns are NOT NULL DEFAULT '').
namespace herald::sqlvalues {

inline qint64 toMs(const QDateTime &t) { return t.isValid() ? t.toMSecsSinceEpoch() : 0; }
inline QDateTime fromMs(const QVariant &v)
{
    return v.isNull() || v.toLongLong() == 0 ? QDateTime() : QDateTime::fromMSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}
inline QString text(const QString &s) { return s.isNull() ? QStringLiteral("") : s; }

} // namespace herald::sqlvalues
