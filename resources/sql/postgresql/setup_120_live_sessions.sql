-- The session channels each server run holds, so that the nodes of a cluster can hand an in-band
-- delivery to the node that holds the device's session (version 15). One row per device with a
-- session: the run that holds it, and the app its terminal shows in the foreground ('' for none).
-- A row of a run that has left the nodes table, or whose heartbeat is old, counts for nothing.
CREATE TABLE live_sessions (
    device_id BIGINT PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    claimer TEXT NOT NULL,
    foreground_app TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);
CREATE INDEX live_sessions_claimer ON live_sessions (claimer);
