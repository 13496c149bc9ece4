#include <QCoreApplication>

#include "HeraldVersion.h"

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("herald-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HERALD_VERSION_STRING));
    return 0;
}
