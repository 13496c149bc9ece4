#include "ImapCheckpoint.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace herald {

ImapCheckpoint ImapCheckpoint::fromBytes(const QByteArray &bytes, bool *ok)
{
    ImapCheckpoint cp;
    if (ok)
        *ok = bytes.isEmpty();
    if (bytes.isEmpty())
        return cp;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (!doc.isObject() || doc.object().value(QLatin1String("v")).toInt() != 1)
        return cp;
    const QJsonObject marks = doc.object().value(QLatin1String("m")).toObject();
    for (auto it = marks.begin(); it != marks.end(); ++it) {
        const QJsonArray pair = it.value().toArray();
        const double validity = pair.at(0).toDouble(-1);
        const double uid = pair.at(1).toDouble(-1);
        if (pair.size() != 2 || validity < 1 || validity > 0xFFFFFFFFu || uid < 0 || uid > 0xFFFFFFFFu)
            return ImapCheckpoint();
        cp.m_marks.insert(it.key(), Mark{quint32(validity), quint32(uid)});
    }
    if (ok)
        *ok = true;
    return cp;
}

QByteArray ImapCheckpoint::toBytes() const
{
    QJsonObject marks;
    for (auto it = m_marks.cbegin(); it != m_marks.cend(); ++it)
        marks.insert(it.key(), QJsonArray{double(it->uidValidity), double(it->lastUid)});
    return QJsonDocument(QJsonObject{{QStringLiteral("v"), 1}, {QStringLiteral("m"), marks}})
        .toJson(QJsonDocument::Compact);
}

} // namespace herald
