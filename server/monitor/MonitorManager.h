#pragma once

#include "monitor/Monitor.h"
#include "storage/Records.h"
#include "storage/Storage.h"
#include "monitor/MonitorStatus.h"

#include <QHash>
#include <QSet>
#include <QObject>

#include <functional>
#include <optional>

namespace herald {

class AppCatalog;
class EventIngestor;
class Storage;

// The login trigger's back end: records login state (so it survives restarts), starts a monitor
// for apps that have one configured and stops it at logout. Monitors' events go through the
// EventIngestor like any other source's, deduplicated by (monitor source, eventId).
class MonitorManager : public QObject
{
    Q_OBJECT
public:
    // Creates the monitor for an app's `monitor = <section>` setting; nullptr + error if it cannot.
    using Factory = std::function<Monitor *(const QString &section, const MonitorContext &context, QString *error)>;
    // Seals credentials before they are stored, and opens them again (AES-GCM in production).
    using Sealer = std::function<QByteArray(const QByteArray &plain, const QByteArray &associated)>;

    MonitorManager(Storage &storage, const AppCatalog &apps, EventIngestor &ingestor, QObject *parent = nullptr);

    void setFactory(Factory factory) { m_factory = std::move(factory); }
    void setSealer(Sealer seal, Sealer open);

    using LoginDone = std::function<void(bool ok, const QString &error)>;
    // Records the login and (re)starts the app's monitor. The row is written by the background
    // writer, off the event loop; `done` runs on this thread once it is committed or lost, and
    // the monitor starts only after the commit, so none runs for a login that is not stored.
    void login(qint64 accountId, const QString &account, const QString &app, const QByteArray &credentials,
               LoginDone done);
    // Stops the app's monitor at once and forgets the login; `done` once that is committed.
    // Logins and logouts go through the same writer, whose units commit in submission order, and
    // a login's monitor does not start when a later logout or login of the app came meanwhile.
    void logout(qint64 accountId, const QString &app, std::function<void(bool ok)> done);
    // At start, before the event loop serves anyone: the monitors of every login this run holds
    // (MonitorLeases claimed them just before), two reads.
    void resumeAll();
    // MonitorLeases' pass: `held` are the logins this run holds now, `claimed` those the pass took
    // (whole, with their `accounts`). Monitors of logins no longer held stop; those of the claimed
    // start from their checkpoints. A login or logout asked for here after `changesBefore`
    // (changeMark() when the pass began) decides on its own. Returns how many monitors started.
    int takeLeases(const QList<Storage::LoginKey> &held, const QList<LoginRecord> &claimed,
                   const QList<AccountRecord> &accounts, quint64 changesBefore);
    // Stops the monitors of up to `count` of the `held` logins (not ones being logged in or out)
    // and returns them, for the caller to give back.
    QList<Storage::LoginKey> giveBack(const QList<Storage::LoginKey> &held, int count);
    quint64 changeMark() const { return m_changes; }
    void stopAll();
    // A disabled account is not watched: its monitors stop (its logins stay, so enabling it
    // resumes them from their checkpoints). Resuming reads the account's logins off the event
    // loop; a login or logout of one of its apps made while that read runs wins over what it read.
    void suspendAccount(qint64 accountId);
    void resumeAccount(qint64 accountId);
    int runningMonitors() const { return int(m_monitors.size()); }
    // Every logged-in (account, app) with a monitor, and where it stands; stopped ones are gone.
    QList<MonitorStatus> statuses() const { return m_status.values(); }
    std::optional<MonitorStatus> status(qint64 accountId, const QString &app) const;

signals:
    void monitorStateChanged(qint64 accountId, const QString &app, const QString &state, const QString &reason);
    // resumeAccount()'s read came back and was acted on: `started` monitors (0 when the account was
    // disabled again meanwhile, or the read failed).
    void resumeSettled(qint64 accountId, int started);

private:
    void startMonitor(qint64 accountId, const QString &account, const QString &app, const QByteArray &credentials,
                      const QByteArray &checkpoint, const QDateTime &watchFrom);
    struct Resumable
    {
        LoginRecord login;
        QString account; // its name
    };
    // The logins to watch of those read, with their accounts' names: enabled accounts only, and
    // only logins this run holds.
    QList<Resumable> resumable(const QList<LoginRecord> &logins, const QList<AccountRecord> &accounts) const;
    void stopMonitor(const QString &key, qint64 accountId, const QString &app);
    int resumeLogins(const QList<Resumable> &logins); // returns how many monitors it started
    // Stores where a monitor stands in its login row, through the background writer: behind the
    // login's own row, which goes the same way, so the state never lands before the row it updates.
    void storeMonitorState(qint64 accountId, const QString &app, const QString &state, const QString &error);
    static QString key(qint64 accountId, const QString &app);
    // Records the monitor's state for the console and emits monitorStateChanged when it moved.
    void setStatus(qint64 accountId, const QString &account, const QString &app, const QString &state,
                   const QString &reasonCode = {}, const QString &reason = {});

    Storage &m_storage;
    const AppCatalog &m_apps;
    EventIngestor &m_ingestor;
    Factory m_factory;
    Sealer m_seal;
    Sealer m_open;
    QHash<QString, Monitor *> m_monitors;
    QHash<QString, MonitorStatus> m_status; // same keys
    // The latest login or logout asked for, per key, while its write is in flight.
    QHash<QString, quint64> m_latestChange;
    // The change number of the last login or logout asked for, per key, kept after it is written:
    // a resume whose read began before it must leave that key alone.
    QHash<QString, quint64> m_lastChange;
    quint64 m_changes = 0;
    QSet<qint64> m_suspended; // accounts disabled while this process runs (resumeLogins checks storage)
};

} // namespace herald
