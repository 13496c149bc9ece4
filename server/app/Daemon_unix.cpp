#include "app/Daemon.h"

#include <QByteArray>
#include <QSaveFile>

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace herald {
namespace {
int g_readyFd = -1;
}

bool Daemon::isDetached()
{
    return g_readyFd >= 0;
}

bool Daemon::detach(const QString &logFile, QString *error)
{
    int pipeFds[2];
    if (::pipe(pipeFds) != 0) {
        *error = QStringLiteral("pipe() failed");
        return false;
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        *error = QStringLiteral("fork() failed");
        return false;
    }
    if (pid > 0) {
        ::close(pipeFds[1]);
        QByteArray message;
        char buffer[512];
        ssize_t n;
        while ((n = ::read(pipeFds[0], buffer, sizeof buffer)) > 0)
            message.append(buffer, int(n));
        if (message == "ok")
            ::_exit(0);
        std::fprintf(stderr, "herald-server: %s\n",
                     message.isEmpty() ? "the server exited during start-up" : message.constData());
        ::_exit(1);
    }
    ::close(pipeFds[0]);
    ::fcntl(pipeFds[1], F_SETFD, FD_CLOEXEC);
    g_readyFd = pipeFds[1];
    ::setsid();
    ::umask(027);
    const int devNull = ::open("/dev/null", O_RDWR);
    ::dup2(devNull, STDIN_FILENO);
    ::dup2(devNull, STDOUT_FILENO);
    const int log = ::open(logFile.toLocal8Bit().constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    ::dup2(log >= 0 ? log : devNull, STDERR_FILENO);
    if (log >= 0)
        ::close(log);
    ::close(devNull);
    return true;
}

bool Daemon::writePidFile(const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QByteArray::number(::getpid()) + '\n') < 0 || !file.commit()) {
        *error = QStringLiteral("cannot write pid file %1").arg(path);
        return false;
    }
    return true;
}

void Daemon::reportReady()
{
    if (g_readyFd < 0)
        return;
    [[maybe_unused]] auto n = ::write(g_readyFd, "ok", 2);
    ::close(g_readyFd);
    g_readyFd = -1;
}

void Daemon::reportFailure(const QString &message)
{
    if (g_readyFd < 0)
        return;
    const QByteArray bytes = message.toUtf8();
    [[maybe_unused]] auto n = ::write(g_readyFd, bytes.constData(), size_t(bytes.size()));
    ::close(g_readyFd);
    g_readyFd = -1;
}

} // namespace herald
