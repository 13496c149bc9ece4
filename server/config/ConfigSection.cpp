#include "config/ConfigSection.h"

namespace herald {

QString ConfigSection::where(const QString &key) const
{
    return QStringLiteral("%1:%2: [%3] %4").arg(fileName).arg(lines.value(key)).arg(name, key);
}

} // namespace herald
