#include "app/NodeName.h"

#include <QDir>
#include <QFile>
#include <QHostInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSaveFile>

namespace herald {
namespace {

constexpr qint64 MaxFileBytes = 4096; // a name and a newline; anything larger is not a name file
const QRegularExpression &validName()
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9._-]{1,100}$"));
    return re;
}

QString newName()
{
    QString host = QHostInfo::localHostName();
    host.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9.-]")), QStringLiteral("-"));
    host = host.left(80);
    if (host.isEmpty())
        host = QStringLiteral("herald");
    const quint32 random = QRandomGenerator::system()->generate() & 0xffffff;
    return host + QLatin1Char('-') + QStringLiteral("%1").arg(random, 6, 16, QLatin1Char('0'));
}

} // namespace

std::optional<QString> loadOrCreateNodeName(const QString &dataDir, QString *error)
{
    const QString path = QDir(dataDir).filePath(QStringLiteral("node-name"));
    QFile file(path);
    if (file.exists()) {
        if (!file.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("%1: cannot read: %2").arg(path, file.errorString());
            return std::nullopt;
        }
        const QByteArray bytes = file.read(MaxFileBytes + 1);
        const QString name = QString::fromUtf8(bytes).trimmed();
        if (bytes.size() > MaxFileBytes || !validName().match(name).hasMatch()) {
            *error = QStringLiteral("%1: a node name is 1 to 100 letters, digits, '.', '_' or '-' on one line")
                         .arg(path);
            return std::nullopt;
        }
        return name;
    }
    const QString name = newName();
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(name.toUtf8() + '\n') < 0 || !out.commit()) {
        *error = QStringLiteral("%1: cannot write: %2").arg(path, out.errorString());
        return std::nullopt;
    }
    return name;
}

} // namespace herald
