#pragma once

#include <QObject>

class QSocketNotifier;

namespace herald {

// Turns SIGTERM/SIGINT (and SIGHUP) into Qt signals through a self-pipe, so shutdown runs on the
// event loop with the normal destructors instead of inside an async-signal handler.
class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

signals:
    void terminateRequested(int signalNumber);
    void reloadRequested();

private:
    static void handler(int signalNumber);
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace herald
