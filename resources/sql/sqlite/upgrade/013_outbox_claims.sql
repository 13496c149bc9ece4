-- Version 13: the outbox is claimed. Each open delivery names the server run that owns it
-- (deliveries.claimed_by), and each run keeps a heartbeat in nodes. A run pushes only what it owns;
-- it takes over another's open deliveries when that run's heartbeat is old, so two servers on one
-- database never push the same delivery. Rows written before this version belong to nobody: the
-- next start claims them.
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
CREATE TABLE nodes (
    claimer TEXT PRIMARY KEY,
    node TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL
);
