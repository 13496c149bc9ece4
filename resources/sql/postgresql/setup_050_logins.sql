-- Login state: an account logged in to an app is monitored until it logs out, across restarts.
-- credentials are encrypted at rest; checkpoint is the monitor's opaque resume point.
CREATE TABLE logins (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    app TEXT NOT NULL,
    credentials BYTEA,
    logged_in_at BIGINT NOT NULL,
    checkpoint BYTEA,
    monitor_state TEXT NOT NULL DEFAULT '',
    monitor_error TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (account_id, app)
);
