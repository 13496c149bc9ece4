-- Version 2: push topic, locale and token retirement on devices; per-device apps; login state.
ALTER TABLE devices ADD COLUMN push_topic TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN locale TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN push_token_state TEXT NOT NULL DEFAULT 'active';
ALTER TABLE devices ADD COLUMN push_token_retired_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE devices ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
CREATE TABLE device_apps (
    device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    app TEXT NOT NULL,
    PRIMARY KEY (device_id, app)
);
CREATE TABLE logins (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    app TEXT NOT NULL,
    credentials BLOB,
    logged_in_at INTEGER NOT NULL,
    checkpoint BLOB,
    monitor_state TEXT NOT NULL DEFAULT '',
    monitor_error TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (account_id, app)
);
