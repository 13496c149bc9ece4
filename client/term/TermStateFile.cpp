#include "TermStateFile.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace herald::term {

bool TermStateFile::exists() const
{
    return QFileInfo::exists(m_path);
}

bool TermStateFile::load(QString *error)
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read state file %1: %2").arg(m_path, file.errorString());
        return false;
    }
    // A state file is a few hundred bytes; anything huge is not ours.
    const QByteArray data = file.read(64 * 1024);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = QStringLiteral("state file %1 is not a herald-term JSON object").arg(m_path);
        return false;
    }
    const QJsonObject object = document.object();
    server = object.value(QStringLiteral("server")).toString();
    deviceToken = object.value(QStringLiteral("deviceToken")).toString();
    deviceId = object.value(QStringLiteral("deviceId")).toString();
    pushKey = object.value(QStringLiteral("pushKey")).toObject();
    return true;
}

bool TermStateFile::save(QString *error) const
{
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write state file %1: %2").arg(m_path, file.errorString());
        return false;
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QJsonObject object{{QStringLiteral("server"), server},
                       {QStringLiteral("deviceToken"), deviceToken},
                       {QStringLiteral("deviceId"), deviceId}};
    if (!pushKey.isEmpty())
        object.insert(QStringLiteral("pushKey"), pushKey);
    file.write(QJsonDocument(object).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        *error = QStringLiteral("cannot write state file %1: %2").arg(m_path, file.errorString());
        return false;
    }
    return true;
}

bool TermStateFile::remove(QString *error) const
{
    QFile file(m_path);
    if (file.exists() && !file.remove()) {
        *error = QStringLiteral("cannot remove state file %1: %2").arg(m_path, file.errorString());
        return false;
    }
    return true;
}

} // namespace herald::term
