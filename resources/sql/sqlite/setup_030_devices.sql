-- One row per terminal. device_id is the terminal's own id; token_hash is SHA-256 of the bearer
-- deviceToken (the token itself is never stored). Columns after last_seen came with version 2;
-- push_token_retired_at with version 8; push_key_p256dh and push_key_auth (RFC 8291 receiver key,
-- NULL without one) with version 11.
CREATE TABLE devices (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    device_id TEXT NOT NULL UNIQUE,
    platform TEXT NOT NULL,
    push_token TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    token_hash BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_seen INTEGER,
    push_topic TEXT NOT NULL DEFAULT '',
    locale TEXT NOT NULL DEFAULT '',
    push_token_state TEXT NOT NULL DEFAULT 'active',
    push_token_retired_reason TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL DEFAULT 0,
    push_token_retired_at INTEGER,
    push_key_p256dh BLOB,
    push_key_auth BLOB
);
CREATE INDEX devices_account ON devices (account_id);
