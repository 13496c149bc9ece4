#include "KnownServers.h"

#include <QSettings>

namespace herald {
namespace {
const QString Group = QStringLiteral("knownServers");
}

QString KnownServers::key(const QUrl &server)
{
    // QSettings treats '/' as a group separator and ':' badly in INI keys: hex-encode the origin.
    const QString origin = server.host().toLower() + QLatin1Char(':') + QString::number(server.port(443));
    return QString::fromLatin1(origin.toUtf8().toHex());
}

QByteArray KnownServers::pinFor(const QUrl &server)
{
    QSettings settings;
    settings.beginGroup(Group);
    return QByteArray::fromHex(settings.value(key(server)).toByteArray());
}

void KnownServers::remember(const QUrl &server, const QByteArray &sha256)
{
    QSettings settings;
    settings.beginGroup(Group);
    settings.setValue(key(server), QString::fromLatin1(sha256.toHex()));
}

void KnownServers::forget(const QUrl &server)
{
    QSettings settings;
    settings.beginGroup(Group);
    settings.remove(key(server));
}

} // namespace herald
