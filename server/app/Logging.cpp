#include "app/Logging.h"

#include <QLoggingCategory>
#include <QString>

#include <fcntl.h>
#include <unistd.h>

namespace herald::Logging {

void setup(const QString &rules)
{
    qSetMessagePattern(QStringLiteral(
        "%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-debug}debug%{endif}%{if-info}info%{endif}%{if-warning}warning%{endif}"
        "%{if-critical}critical%{endif}%{if-fatal}fatal%{endif} %{category}: %{message}"));
    QString all = QStringLiteral("qt.*.debug=false\n");
    if (!rules.isEmpty())
        all += QString(rules).replace(QLatin1Char(';'), QLatin1Char('\n'));
    QLoggingCategory::setFilterRules(all);
}

bool redirectToFile(const QString &path, QString *error)
{
    const int fd = ::open(path.toLocal8Bit().constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0) {
        *error = QStringLiteral("cannot open log file %1").arg(path);
        return false;
    }
    ::dup2(fd, STDERR_FILENO);
    ::close(fd);
    return true;
}

} // namespace herald::Logging
