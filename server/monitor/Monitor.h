#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QObject>
#include <QString>

namespace herald {

// New information found by a monitor. Same fields as POST /v1/events takes.
struct MonitorEvent
{
    QString account;
    QString app;
    QString eventId;       // stable for the same item across reconnects and restarts
    QString sender;        // display name, or the address when there is none
    QString senderAddress; // optional
    QString subject;
    QString body;          // only filled when the app's privacy level is "full"; bounded excerpt
    QDateTime receivedAt;
};

// What a monitor needs to start watching one app for one account.
struct MonitorContext
{
    QString account;
    QString app;
    QString privacy;      // "full" | "summary" | "generic" | "none": decides whether bodies are fetched
    QByteArray credentials; // decrypted JSON from POST /v1/login, or empty in master-user mode
    QByteArray checkpoint;  // what the monitor last reported through checkpointChanged()
    // When the login happened. Without a checkpoint, what arrived since then is news even if it is
    // already there when the monitor first looks (the login answer goes out before that).
    QDateTime watchFrom;
};

// The seam between the login trigger and whatever watches a remote app (IMAP IDLE, EWS, ...).
// A monitor runs on the main thread's event loop; it never blocks and never spins a thread per account.
class Monitor : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Connecting, Watching, Backoff, Failed, Stopped };
    Q_ENUM(State)

    using QObject::QObject;
    ~Monitor() override = default;

    virtual void start() = 0;
    virtual void stop() = 0;
    virtual State state() const = 0;
    virtual QString lastError() const = 0; // why it is Failed/Backoff; never contains message contents

signals:
    // Emitted for each new item, in order. The receiver persists it (deduplicated by eventId)
    // before the monitor reports a checkpoint past it.
    void newInformation(const herald::MonitorEvent &event);
    // Opaque resume point (e.g. UIDVALIDITY + last UID); stored and handed back in MonitorContext.
    void checkpointChanged(const QByteArray &checkpoint);
    void stateChanged(herald::Monitor::State state);
    // Authentication failed: the monitor stopped and will not retry by itself.
    void authenticationFailed(const QString &reason);
};

} // namespace herald

Q_DECLARE_METATYPE(herald::MonitorEvent)
