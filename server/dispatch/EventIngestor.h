#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>

namespace herald {

class Dispatcher;
class PresenceTracker;
class Storage;
struct ServerConfig;

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
// targeted by policy — and commits them in one transaction before anyone is told "accepted".
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

    EventIngestor(Storage &storage, PresenceTracker &presence, Dispatcher &dispatcher, const ServerConfig &config,
                  QObject *parent = nullptr);

    Result ingest(const QString &source, const EventInput &event);

private:
    Storage &m_storage;
    PresenceTracker &m_presence;
    Dispatcher &m_dispatcher;
    const ServerConfig &m_config;
};

} // namespace herald
