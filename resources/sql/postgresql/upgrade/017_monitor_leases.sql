-- Version 17: monitors placed by lease, and what the console shows of each node.
-- logins.monitor_claimer names the server run (nodes.claimer) that watches the login; NULL or a
-- run that stopped beating means nobody does, and a live node takes it at its next heartbeat.
-- Claims, checkpoints and monitor states are written all the time and say nothing about whom an
-- event reaches, so the logins trigger now counts only rows that come, go or change their key.
-- nodes gains what the heartbeat reports: where the node listens, its version, and how many
-- sessions and monitors it holds. Every change here is additive: a node of version 16 keeps
-- running on this schema (rolling upgrade: docs/architecture.md, tests/unit/tst_schemacompat).
ALTER TABLE logins ADD COLUMN monitor_claimer TEXT;
CREATE INDEX logins_monitor_claimer ON logins (monitor_claimer);
DROP TRIGGER logins_counted ON logins;
CREATE TRIGGER logins_counted AFTER INSERT OR DELETE OR UPDATE OF account_id, app ON logins FOR EACH STATEMENT EXECUTE FUNCTION herald_count_target_change();
ALTER TABLE nodes ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE nodes ADD COLUMN version TEXT NOT NULL DEFAULT '';
ALTER TABLE nodes ADD COLUMN sessions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE nodes ADD COLUMN monitors INTEGER NOT NULL DEFAULT 0;
