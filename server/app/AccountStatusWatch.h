#pragma once

#include <QObject>
#include <QSet>
#include <QTimer>

namespace herald {

class MonitorManager;
class PresenceTracker;
class Storage;

// Keeps what runs for an account in step with whether it is enabled: disabling an account stops
// its monitors and ends its devices' session channels at once; enabling it resumes the monitors.
// Accounts are disabled by the admin API (in this process: check() is called right after) or by
// `herald-server user disable` in another process, which this notices by polling storage's change
// counter (one single-row read per interval; the accounts are read only when it moved). Its reads
// run on storage's reading connections, off the event loop, one at a time.
class AccountStatusWatch : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultPollMs = 1000;

    AccountStatusWatch(Storage &storage, MonitorManager &monitors, PresenceTracker &presence,
                       QObject *parent = nullptr);

    // Takes the accounts disabled now as known (their monitors were never started) and begins polling.
    void start(int pollMs = DefaultPollMs);
    // Acts on every account whose state changed since the last look, once what is written so far
    // is committed.
    void check();

private:
    void poll();
    void read(bool evenIfUnchanged);
    void apply(const QSet<qint64> &disabled);

    Storage &m_storage;
    MonitorManager &m_monitors;
    PresenceTracker &m_presence;
    QTimer m_timer;
    QSet<qint64> m_disabled;
    qint64 m_seenChanges = -1;
    bool m_reading = false;
    bool m_readAgain = false; // check() came while a read ran
};

} // namespace herald
