#pragma once

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <functional>

namespace herald {

class MonitorManager;

// POST /v1/login answers per app whether its monitor runs, so the answer waits until every
// monitor the login started has either reached its server (watching) or failed (wrong password,
// unreachable host): at most `timeoutMs`, after which a monitor still connecting is reported as
// "starting". Deletes itself after calling `done`, which gets whether everything settled in time.
class LoginMonitorWait : public QObject
{
    Q_OBJECT
public:
    LoginMonitorWait(MonitorManager &monitors, qint64 accountId, QStringList apps, int timeoutMs,
                     std::function<void(bool settled)> done);

private:
    bool allSettled() const;
    void check();
    void finish(bool settled);

    MonitorManager &m_monitors;
    qint64 m_accountId;
    QStringList m_apps;
    std::function<void(bool)> m_done;
    QTimer m_timeout;
    bool m_checkQueued = false;
};

} // namespace herald
