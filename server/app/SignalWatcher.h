#pragma once

#include <QObject>

class QSocketNotifier;

namespace herald {

// Turns SIGTERM/SIGINT (and SIGHUP) into Qt signals through a self-pipe, so shutdown runs on the
// event loop with the normal destructors instead of inside an async-signal handler. On Windows
// (SignalWatcher_win.cpp) console Ctrl+C/close/shutdown events, and the service manager's stop
// through requestTerminate(), take the same path.
class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

    // Safe from any thread and without a pointer to the watcher (the Windows service's stop
    // request arrives on the SCM's thread): the live watcher, if any, gets terminateRequested(code).
    static void requestTerminateOfCurrent(int code);
    // Safe from any thread: the same orderly shutdown as SIGTERM, queued to the event loop.
    void requestTerminate(int code)
    {
        QMetaObject::invokeMethod(this, [this, code] { Q_EMIT terminateRequested(code); }, Qt::QueuedConnection);
    }

signals:
    void terminateRequested(int signalNumber);
    void reloadRequested();

private:
    static void handler(int signalNumber);
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace herald
