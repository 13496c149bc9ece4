#pragma once

#include <QString>

namespace herald {

// What the dispatcher and the ingestor are configured with ([dispatch], and [session]
// ack_timeout_secs). Held inside app's ServerConfig; dispatch sees only this.
struct DispatchSettings
{
    QString targetPolicy = QStringLiteral("latest"); // latest | all
    int notificationTtlSecs = 7 * 24 * 3600;
    int maxPushAttempts = 8;
    int heldPushes = 10000;     // per provider: waiting pushes kept whole in memory, beyond that ids only
    int groupWindowSecs = 120;  // pushes of one account and app this close together become one notification
    int ackTimeoutSecs = 10;    // an in-band delivery unacked this long falls back to push
    // The outbox's claims (Storage.h): this run's heartbeat, and how old another run's may grow
    // before its unfinished deliveries are taken over. Generous against a stalled event loop or
    // a slow database: a run taken for dead while it still pushes would push twice.
    int nodeHeartbeatSecs = 10;
    int nodeTimeoutSecs = 60;
};

} // namespace herald
