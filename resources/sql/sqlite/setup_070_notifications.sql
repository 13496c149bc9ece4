-- One row per accepted event (the outbox's unit). (source, event_id) makes ingestion idempotent.
-- state: active | opened | suppressed (no login for the app when it arrived) | expired
CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    app TEXT NOT NULL,
    source TEXT NOT NULL,
    event_id TEXT NOT NULL,
    sender TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    received_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'active',
    opened_at INTEGER,
    UNIQUE (source, event_id)
);
CREATE INDEX notifications_account ON notifications (account_id, created_at);
-- The unread count each push carries as its badge reads only this index (upgrade 012).
CREATE INDEX notifications_unread ON notifications (account_id, state, expires_at) WHERE state = 'active';
-- Per-device deliveries. state: pending | inband | push | retry | delivered | failed | cancelled
-- channel records how it was (or is being) delivered: '' | inband | push
-- claimed_by: the server run (nodes.claimer) that owns the delivery while it is open. Only that
-- run pushes it; another takes it over (claim_open_deliveries) once that run's heartbeat is old.
CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    notification_id TEXT NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    channel TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    provider_id TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    claimed_by TEXT NOT NULL DEFAULT ''
);
-- Open deliveries only, in the order a restart resumes them: a finished delivery leaves the index
-- instead of moving within it (one entry removed, none added). The WHERE is three comparisons, not
-- an IN list: SQLite builds an IN list as an ephemeral table on every write to the row.
-- select_open_deliveries.sql repeats it word for word, which is how SQLite knows it may use the index.
CREATE INDEX deliveries_open ON deliveries (next_attempt_at, created_at)
    WHERE state <> 'delivered' AND state <> 'failed' AND state <> 'cancelled';
CREATE INDEX deliveries_notification ON deliveries (notification_id);
-- Every attempt and its outcome, for delivery history. A push is one row, written when its answer
-- (or failure) is known: at = then, sent_at = when the request went out (0 for rows of other kinds).
CREATE TABLE delivery_attempts (
    id INTEGER PRIMARY KEY,
    delivery_id TEXT NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL,
    sent_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id);
