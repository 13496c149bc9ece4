#pragma once

#include "storage/postgresql/PgConnection.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

class QSocketNotifier;

namespace herald {

// Connects a listening connection again after PostgreSQL went away (a restart, a failover), without
// blocking the event loop. Such a connection runs no statements of its own, so nothing else would
// notice and every NOTIFY (hand-overs, the cluster's live feed) would be lost until one ran.
// Attempts start a second after the loss and back off to MaxDelayMs while the database stays away;
// each one is libpq's non-blocking reset, stepped by the socket's readiness and bounded by
// AttemptMs. `reconnected` runs once the session (LISTENs included) is set up again.
class PgReconnector : public QObject
{
    Q_OBJECT
public:
    PgReconnector(PgConnection &connection, std::function<void()> reconnected, QObject *parent = nullptr);
    ~PgReconnector() override;

    static constexpr int FirstDelayMs = 1000;
    static constexpr int MaxDelayMs = 30000;
    static constexpr int AttemptMs = 15000;

    // The connection was found dead: try again soon, unless an attempt is already under way or due.
    void connectionLost();
    bool isReconnecting() const { return m_timer.isActive() || m_notifier != nullptr; }

private:
    void attempt();
    void step(PgConnection::Reconnect state);
    void failed();

    PgConnection &m_connection;
    std::function<void()> m_reconnected;
    QTimer m_timer;   // the next attempt
    QTimer m_timeout; // the attempt under way
    std::unique_ptr<QSocketNotifier> m_notifier;
    int m_delayMs = FirstDelayMs;
    quint64 m_attempt = 0; // moves when an attempt fails, so its queued step is dropped
};

} // namespace herald
