#pragma once

#include "storage/Records.h"

#include <QDateTime>
#include <QObject>
#include <QString>

#include <QHash>

#include <deque>
#include <functional>
#include <optional>

namespace herald {

class Dispatcher;
class PresenceTracker;
class Storage;
struct DispatchSettings;

// New information from POST /v1/events or a built-in monitor.
struct EventInput
{
    QString account;
    QString app;
    QString eventId;
    QString sender;
    QString subject;
    QString body;
    QDateTime receivedAt;
};

// Turns an event into a notification and its deliveries — deduplicated by (source, eventId),
// targeted by policy — and commits them in one unit before anyone is told "accepted". The rows are
// written in the background (Storage::writeInBackground): the result comes once they are committed.
class EventIngestor : public QObject
{
    Q_OBJECT
public:
    struct Result
    {
        enum class Status { Accepted, Duplicate, UnknownAccount, Failed };
        Status status = Status::Failed;
        QString notificationId;
        int deliveries = 0;
    };

    EventIngestor(Storage &storage, PresenceTracker &presence, Dispatcher &dispatcher, const DispatchSettings &config,
                  QObject *parent = nullptr);

    using ResultHandler = std::function<void(const Result &result)>;
    // `done` gets the result once it is known: for an unknown account as soon as that is known,
    // else after the commit. Deliveries are handed to the dispatcher before `done` runs.
    //
    // Whom an event reaches is usually remembered (Storage's targets cache). When it is not, it is
    // read on the event loop where that is cheap (SQLite), or on a reading connection where a read
    // is a round trip (Storage::readsAreRoundTrips(), PostgreSQL); then the account's later events
    // wait behind that read, in order, while other accounts' events go on. True when the event was
    // handed to the background writer (or answered) before this returned, which is what an answer
    // gated by Storage::whenDurable() needs; false when it waits behind a read.
    bool ingest(const QString &source, const EventInput &event, ResultHandler done = {});
    // Runs `then` once every event of `account` ingested before it has been handed to the background
    // writer, so that a write `then` submits commits after theirs (a monitor's checkpoint after
    // its mail). At once when none waits.
    void afterQueued(const QString &account, std::function<void()> then);

signals:
    void notificationCreated(const herald::NotificationRecord &notification);
    void eventRepeated(const QString &source);

private:
    struct Queued
    {
        QString source;
        EventInput event;
        ResultHandler done;
        std::optional<std::optional<EventTargets>> targets; // outer unset: not known yet
        std::function<void()> then;                         // set: an afterQueued() marker, not an event
    };
    void readTargets(const QString &account, const QString &app);
    void pump(const QString &account); // the account's queue, up to the next read it needs
    void store(const QString &source, const EventInput &event, const std::optional<EventTargets> &found,
               ResultHandler done);

    // Accounts with a targets read on its way, and what arrived for them since, in order.
    QHash<QString, std::deque<Queued>> m_waiting;
    Storage &m_storage;
    PresenceTracker &m_presence;
    Dispatcher &m_dispatcher;
    const DispatchSettings &m_config;
};

} // namespace herald
