-- One row per running server (a run: one start of herald-server), for the outbox's claims.
-- claimer is made afresh at each start; node names the data folder it runs on, so a restart can
-- let go of its own earlier runs at once instead of waiting for their heartbeat to age.
CREATE TABLE nodes (
    claimer TEXT PRIMARY KEY,
    node TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL,
    -- what the heartbeat reports for the console (version 17)
    address TEXT NOT NULL DEFAULT '',
    version TEXT NOT NULL DEFAULT '',
    sessions INTEGER NOT NULL DEFAULT 0,
    monitors INTEGER NOT NULL DEFAULT 0,
    -- presence and activity counts as JSON, for cluster-wide stats (version 18)
    activity TEXT NOT NULL DEFAULT ''
);
