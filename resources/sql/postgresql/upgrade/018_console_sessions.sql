-- Version 18: console sessions, so that a console's token works on every node of a cluster and
-- outlives a restart. Only SHA-256 of the bearer token is kept, as for device tokens: the token
-- itself never reaches the disk. A row ends by logout, by expiry, or with its operator (disabled:
-- deleted by the admin API; removed: by the cascade).
CREATE TABLE console_sessions (
    token_hash BYTEA PRIMARY KEY,
    operator_id BIGINT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX console_sessions_operator ON console_sessions (operator_id);
CREATE INDEX console_sessions_expires ON console_sessions (expires_at);
-- What each node counts for the console's dashboard (presence of its sessions, events and
-- deliveries by minute), as JSON from its heartbeat, so that GET /admin/v1/stats on any node sums
-- the cluster. Additive: a node of version 17 keeps running on this schema.
ALTER TABLE nodes ADD COLUMN activity TEXT NOT NULL DEFAULT '';
