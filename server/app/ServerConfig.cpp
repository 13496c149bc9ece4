#include "app/ServerConfig.h"

#include <QDir>

namespace herald {

QString ServerConfig::effectiveDatabasePath() const
{
    return databasePath.isEmpty() ? QDir(dataDir).filePath(QStringLiteral("herald.sqlite")) : databasePath;
}

QString ServerConfig::listenString() const
{
    return hostPortString(listenAddress, listenPort);
}

QString ServerConfig::hostPortString(const QHostAddress &address, quint16 port)
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol ? QStringLiteral("[%1]").arg(address.toString())
                                                                              : address.toString();
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

} // namespace herald
