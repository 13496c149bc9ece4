#pragma once

#include "storage/Records.h"

#include <QDateTime>
#include <QObject>
#include <QString>

#include <functional>

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
    // `done` gets the result once it is known: at once for an unknown account, else after the
    // commit. Deliveries are handed to the dispatcher before `done` runs.
    void ingest(const QString &source, const EventInput &event, ResultHandler done = {});

signals:
    void notificationCreated(const herald::NotificationRecord &notification);
    void eventRepeated(const QString &source);

private:
    Storage &m_storage;
    PresenceTracker &m_presence;
    Dispatcher &m_dispatcher;
    const DispatchSettings &m_config;
};

} // namespace herald
