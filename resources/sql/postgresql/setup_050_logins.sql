-- Login state: an account logged in to an app is monitored until it logs out, across restarts.
-- credentials are encrypted at rest; checkpoint is the monitor's opaque resume point.
-- monitor_claimer is the server run (nodes.claimer) that watches it (version 17); NULL, or a run
-- that stopped beating, means nobody does yet.
CREATE TABLE logins (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    app TEXT NOT NULL,
    credentials BYTEA,
    logged_in_at BIGINT NOT NULL,
    checkpoint BYTEA,
    monitor_state TEXT NOT NULL DEFAULT '',
    monitor_error TEXT NOT NULL DEFAULT '',
    monitor_claimer TEXT,
    PRIMARY KEY (account_id, app)
);
CREATE INDEX logins_monitor_claimer ON logins (monitor_claimer);
