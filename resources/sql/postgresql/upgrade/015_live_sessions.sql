-- Version 15: live_sessions (setup_120_live_sessions.sql), for in-band delivery across a cluster's nodes.
CREATE TABLE live_sessions (
    device_id BIGINT PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    claimer TEXT NOT NULL,
    foreground_app TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);
CREATE INDEX live_sessions_claimer ON live_sessions (claimer);
