#include "registry/SourceName.h"

#include <QRegularExpression>

namespace herald::SourceName {

bool isValid(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[a-z0-9][a-z0-9._-]{0,63}\\z"));
    return re.match(name).hasMatch() && !name.startsWith(QLatin1String("monitor"));
}

} // namespace herald::SourceName
