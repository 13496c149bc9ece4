#pragma once

#include <QHash>
#include <QList>
#include <QObject>

#include <functional>
#include <memory>

namespace herald {

class Storage;

// The badge a push carries is the account's unread count, read when the push goes out (opens since
// the event came in have lowered it). On PostgreSQL that read is a round trip, so it runs on one
// of storage's reading connections, off the event loop; and since a burst of events often targets
// the same accounts, every request for an account made during one event-loop pass shares one read,
// made after that pass. A read sees what is committed when it runs, which includes the notification
// being pushed (the ingest commits it before it is dispatched).
class UnreadBadgeReader : public QObject
{
    Q_OBJECT
public:
    explicit UnreadBadgeReader(Storage &storage, QObject *parent = nullptr);

    // `done` runs on this thread with the count, or -1 when it cannot be read (no badge then).
    void read(qint64 accountId, std::function<void(int badge)> done);
    int readsMade() const { return m_readsMade; } // storage reads so far, for tests and benchmarks

private:
    void flush();

    Storage &m_storage;
    // Asked for during this pass, per account, not yet submitted.
    QHash<qint64, QList<std::function<void(int)>>> m_asked;
    bool m_flushQueued = false;
    int m_readsMade = 0;
};

} // namespace herald
