#include "app/Logging.h"

#include <QLoggingCategory>
#include <QString>

#include <fcntl.h>
#include <sys/stat.h>
#ifdef Q_OS_WIN
#include <io.h>
#else
#include <unistd.h>
#endif

namespace herald::Logging {

bool stderrIsJournal()
{
#ifdef Q_OS_WIN
    return false;
#else
    // systemd sets JOURNAL_STREAM=<device>:<inode> of the stream it connected stderr to; if stderr
    // was redirected since (a log file), the numbers no longer match and we are not in the journal.
    const QByteArray stream = qgetenv("JOURNAL_STREAM");
    const int colon = stream.indexOf(':');
    if (colon <= 0)
        return false;
    struct stat st = {};
    if (::fstat(STDERR_FILENO, &st) != 0)
        return false;
    bool okDev = false, okIno = false;
    const qulonglong dev = stream.left(colon).toULongLong(&okDev);
    const qulonglong ino = stream.mid(colon + 1).toULongLong(&okIno);
    return okDev && okIno && dev == qulonglong(st.st_dev) && ino == qulonglong(st.st_ino);
#endif
}

void applyRules(const QString &rules)
{
    QString all = QStringLiteral("qt.*.debug=false\n");
    if (!rules.isEmpty())
        all += QString(rules).replace(QLatin1Char(';'), QLatin1Char('\n'));
    QLoggingCategory::setFilterRules(all);
}

void setup(const QString &rules)
{
    if (stderrIsJournal()) {
        // The journal stamps every line itself and reads the level from a "<N>" syslog prefix.
        qSetMessagePattern(QStringLiteral(
            "%{if-debug}<7>%{endif}%{if-info}<6>%{endif}%{if-warning}<4>%{endif}"
            "%{if-critical}<2>%{endif}%{if-fatal}<0>%{endif}%{category}: %{message}"));
    } else {
        qSetMessagePattern(QStringLiteral(
            "%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-debug}debug%{endif}%{if-info}info%{endif}%{if-warning}warning%{endif}"
            "%{if-critical}critical%{endif}%{if-fatal}fatal%{endif} %{category}: %{message}"));
    }
    applyRules(rules);
}

bool redirectToFile(const QString &path, QString *error)
{
#ifdef Q_OS_WIN
    const int fd = ::_wopen(reinterpret_cast<const wchar_t *>(path.utf16()), _O_WRONLY | _O_CREAT | _O_APPEND,
                            _S_IREAD | _S_IWRITE);
#else
    const int fd = ::open(path.toLocal8Bit().constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
#endif
    if (fd < 0) {
        *error = QStringLiteral("cannot open log file %1").arg(path);
        return false;
    }
#ifdef Q_OS_WIN
    ::_dup2(fd, 2);
    ::_close(fd);
#else
    ::dup2(fd, STDERR_FILENO);
    ::close(fd);
#endif
    return true;
}

} // namespace herald::Logging
