#pragma once

#include <QObject>

#include <functional>
#include <memory>

class QSocketNotifier;

namespace herald {

// Wakes the event loop when a PostgreSQL connection's socket has something to read while no
// statement runs on it: a NOTIFY (LISTEN's answer) arrives whenever it is sent, not only with the
// next statement's answer. `readable` then consumes what came (PQconsumeInput, PQnotifies). The
// socket changes when the connection is made again: follow() with the new one and the connection's
// generation (a new socket may get the old one's number, and the old watch died with the old one).
class PgNotificationWatch : public QObject
{
    Q_OBJECT
public:
    explicit PgNotificationWatch(std::function<void()> readable, QObject *parent = nullptr);
    ~PgNotificationWatch() override;

    void follow(int socket, int generation); // socket -1: watch nothing (no connection)

private:
    std::function<void()> m_readable;
    std::unique_ptr<QSocketNotifier> m_notifier;
    int m_socket = -1;
    int m_generation = -1;
};

} // namespace herald
