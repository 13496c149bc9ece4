#include "app/Daemon.h"

#include <QCoreApplication>
#include <QSaveFile>

namespace herald {

// Windows has no fork(): a background server there is the service (`herald-server service install`).
bool Daemon::detach(const QString &, QString *error)
{
    *error = QStringLiteral("running in the background needs the Windows service on this system: "
                            "use --foreground, or `herald-server service install`");
    return false;
}

bool Daemon::writePidFile(const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QByteArray::number(QCoreApplication::applicationPid()) + '\n') < 0
        || !file.commit()) {
        *error = QStringLiteral("cannot write pid file %1").arg(path);
        return false;
    }
    return true;
}

void Daemon::reportReady()
{
}

void Daemon::reportFailure(const QString &)
{
}

bool Daemon::isDetached()
{
    return false;
}

} // namespace herald
