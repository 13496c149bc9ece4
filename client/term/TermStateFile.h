#pragma once

#include <QJsonObject>
#include <QString>

namespace herald::term {

// herald-term's memory between runs: the device token is a bearer secret, so the file is written
// atomically and readable by its owner only.
class TermStateFile
{
public:
    explicit TermStateFile(const QString &path) : m_path(path) {}

    QString path() const { return m_path; }
    bool exists() const;
    // False with `error` set when the file exists but cannot be read or is not herald-term's.
    bool load(QString *error);
    bool save(QString *error) const;
    bool remove(QString *error) const;

    QString server;
    QString deviceToken;
    QString deviceId;
    QJsonObject pushKey; // client::PushKeyPair::toJson(); empty without one

private:
    QString m_path;
};

} // namespace herald::term
