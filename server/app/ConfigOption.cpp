#include "app/ConfigOption.h"

namespace herald {

QString ConfigOption::envName() const
{
    return QStringLiteral("HERALD_") + QString(cliName).replace(QLatin1Char('-'), QLatin1Char('_')).toUpper();
}

QString ConfigOption::qualifiedKey() const
{
    return QStringLiteral("[%1] %2").arg(section, key);
}

} // namespace herald
