#pragma once

#include <QString>

namespace herald {

// Classic Unix daemon start: fork, setsid, stdio to /dev/null and the log file, a pid file.
// The parent waits on a pipe until the child reports that it is listening (exit 0) or why it
// could not start (the message on stderr, exit 1), so `herald-server` fails loudly, not silently.
class Daemon
{
public:
    // Returns in the child only; the parent exits inside.
    static bool detach(const QString &logFile, QString *error);
    static bool writePidFile(const QString &path, QString *error);
    static void reportReady();
    static void reportFailure(const QString &message);
    static bool isDetached();
};

} // namespace herald
