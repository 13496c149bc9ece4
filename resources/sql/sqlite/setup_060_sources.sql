-- Integrations allowed to POST /v1/events (kind 'events') or /v1/presence (kind 'presence'); the
-- bearer token is kept as SHA-256 only. A revoked source (revoked_at set) keeps its row. Version 8
-- added kind and revoked_at.
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    token_hash BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    kind TEXT NOT NULL DEFAULT 'events',
    revoked_at INTEGER
);
