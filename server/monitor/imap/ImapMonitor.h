#pragma once

#include "ImapBackoff.h"
#include "ImapCheckpoint.h"
#include "ImapMessage.h"
#include "ImapSettings.h"
#include "monitor/Monitor.h"

#include <QMap>
#include <QSet>
#include <QStringList>
#include <QTimer>

namespace herald {

class ImapConnection;
struct ImapResponse;

// Watches one account's mailboxes over IMAP IDLE (and NOTIFY when several mailboxes are watched and
// the server offers it). Reports every message that arrives after its baseline exactly once,
// with eventId "<uidvalidity>.<uid>" ("<mailbox>/<uidvalidity>.<uid>" outside INBOX), and checkpoints
// the last reported UID so that a restart resumes where it stopped. Mailboxes are opened with
// EXAMINE and bodies read with BODY.PEEK, so the monitor never changes the user's mail.
class ImapMonitor : public Monitor
{
    Q_OBJECT
public:
    // New messages kept per FETCH round; the rest are fetched in the next round.
    static constexpr int MaxBatch = 500;

    ImapMonitor(const ImapSettings &settings, const MonitorContext &context, QObject *parent = nullptr);
    ~ImapMonitor() override;

    void start() override;
    void stop() override;
    State state() const override { return m_state; }
    QString lastError() const override { return m_lastError; }

    // How many times a connection was opened / a login was sent since construction (tests, stats).
    int connectionAttempts() const { return m_connectionAttempts; }
    int loginAttempts() const { return m_loginAttempts; }
    int idleCommands() const { return m_idleCommands; }
    bool usesNotify() const { return m_notifyActive; }
    // Whether a reconnect is due (the back-off timer runs): never after a permanent failure.
    bool reconnectScheduled() const { return m_reconnectTimer.isActive(); }

private:
    enum class Step { None, Login, Capability, Notify, Examine, FetchHighest, SearchSinceLogin, FetchArrivals, FetchNew,
                      FetchBody, IdleStarting, Idling };

    bool prepareCredentials();
    void connectNow();
    void onReady(bool preauthenticated, const QByteArray &capabilities);
    void onResponse(const ImapResponse &response);
    void onLost(const QString &reason);
    void handleUntagged(const ImapResponse &response);
    void handleTagged(const ImapResponse &response);
    void handleFetch(const ImapResponse &response);

    void login();
    void afterLogin(const ImapResponse &response);
    void afterCapabilities();
    void beginSync(const QStringList &mailboxes);
    void syncNext();
    void reconcile();
    void fetchNew();
    void fetchNextBody();
    void finishBatch();
    void enterIdle();
    void leaveIdle();
    void setBaseline(quint32 lastUid);
    void searchSinceLogin();
    void baselineAtLogin();

    void send(Step step, const QByteArray &command, bool sensitive = false);
    void protocolError(const QString &reason);
    void failPermanently(const QString &reason, bool authentication);
    void setState(State state);
    QString eventIdFor(const QString &mailbox, quint32 uidValidity, quint32 uid) const;
    QString primaryMailbox() const { return m_settings.mailboxes.first(); }
    bool pollsOtherMailboxes() const { return m_settings.mailboxes.size() > 1 && !m_notifyActive; }

    ImapSettings m_settings;
    MonitorContext m_context;
    ImapConnection *m_connection = nullptr;
    State m_state = State::Idle;
    QString m_lastError;
    ImapBackoff m_backoff;
    QTimer m_reconnectTimer;
    QTimer m_idleRefreshTimer;
    QTimer m_pollTimer;
    ImapCheckpoint m_checkpoint;

    QByteArray m_loginUser;     // never logged
    QByteArray m_loginPassword; // never logged
    QSet<QByteArray> m_capabilities;
    bool m_notifyActive = false;
    bool m_watchedOnce = false; // this connection reached IDLE at least once

    Step m_step = Step::None;
    QByteArray m_pendingTag;
    QStringList m_queue;       // mailboxes still to sync in this round
    QSet<QString> m_dirty;     // mailboxes known to have changed since their last sync
    QString m_current;         // mailbox being synced
    QString m_selected;        // mailbox currently selected on the server
    quint32 m_uidValidity = 0;
    quint32 m_uidNext = 0;
    qint64 m_exists = -1;
    quint32 m_highestUid = 0;
    // Started without a checkpoint: the first baseline of each mailbox is the login's time, not
    // the moment of the first EXAMINE (mail in between would otherwise count as old).
    bool m_sinceLogin = false;
    quint32 m_searchLowest = 0;   // lowest UID the SINCE search found (0: none)
    quint32 m_firstArrival = 0;   // lowest UID with INTERNALDATE at or after the login (0: none)
    QMap<quint32, ImapMessage> m_batch;
    bool m_batchTruncated = false;
    QList<quint32> m_bodyQueue;
    bool m_doneSent = false;

    int m_connectionAttempts = 0;
    int m_loginAttempts = 0;
    int m_idleCommands = 0;
};

} // namespace herald
